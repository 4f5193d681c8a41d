"""Widgets that write Django's own markup in Python instead of through the form templates.

Django renders each widget with a template (and an included template per option and per
attribute list): a millisecond for the admin's actions drop-down on every list page. These write
the same HTML as `forms.Select` and `forms.HiddenInput` (tests/clinic/test_admin_large_lists.py
compares them), so the admin's scripts and styles see no difference.
"""

from django import forms
from django.contrib.admin import helpers
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


def _attrs(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


class QuickHiddenInput(forms.HiddenInput):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return mark_safe(  # noqa: S308 - every value is escaped
            f'<input type="{widget["type"]}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )


class QuickActionForm(helpers.ActionForm):
    """The admin's actions form (helpers.ActionForm) with the quick widgets."""

    action = forms.ChoiceField(label=_("Action:"), widget=QuickSelect)
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=QuickHiddenInput({"class": "select-across"}),
    )
