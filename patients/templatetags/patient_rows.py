"""`{% patient_rows page %}`: the patient list's rows, written by patients.list_html."""

from django import template
from django.utils.safestring import SafeString

from patients import list_html

register = template.Library()


@register.simple_tag
def patient_rows(patients) -> SafeString:
    return list_html.patient_rows(patients)
