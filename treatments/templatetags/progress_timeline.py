"""`{% timeline_marks t %}`, `{% timeline_table_rows rows %}` and `{% response_rows responses %}`:
the progress timeline's SVG marks and table rows, and the response per modality's rows, written
by treatments.timeline_html."""

from django import template

from treatments.timeline_html import response_rows, timeline_marks, timeline_table_rows

register = template.Library()
register.simple_tag(timeline_marks)
register.simple_tag(timeline_table_rows)
register.simple_tag(response_rows)
