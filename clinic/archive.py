"""Archiving a clinical record from its page: one form and one helper for every kind of record
(assessment, session, photo). A reason is required; the record stays in the database and its
history, and leaves the chart, scores and reports."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from clinic.models import Archivable


class ArchiveForm(forms.Form):
    reason = forms.CharField(max_length=300)

    def __init__(
        self, *args: Any, what: str, example: str, many: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = (
            f"Why are these {what} being archived?"
            if many
            else f"Why is this {what} being archived?"
        )
        self.fields["reason"].help_text = f"For example: {example}."


def archive_from_request(
    request: HttpRequest, record: Archivable, *, what: str, leaves: str
) -> None:
    """Archives `record` with the reason posted, or tells the user why not. `leaves` says what
    the record no longer counts in ("scores or trends", "the timeline")."""
    form = ArchiveForm(request.POST, what=what, example="entered for the wrong patient")
    if record.is_archived:
        messages.info(request, f"This {what} was already archived.")
    elif form.is_valid():
        record.archive(reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, f"{what.capitalize()} archived: it no longer shows in {leaves}.")
    else:
        messages.error(request, f"Give a reason to archive the {what}.")
