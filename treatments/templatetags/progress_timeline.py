"""`{% timeline_marks t %}` and `{% timeline_table_rows rows %}`: the progress timeline's SVG
marks and table rows, written by treatments.timeline_html."""

from django import template

from treatments.timeline_html import timeline_marks, timeline_table_rows

register = template.Library()
register.simple_tag(timeline_marks)
register.simple_tag(timeline_table_rows)
