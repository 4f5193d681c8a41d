"""Archiving from the admin follows the app's rule: a reason is asked for, one record or many,
and the archive lands in the record's history with the user who did it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from clinic.archive import ArchiveForm


class ArchiveActionAdmin:
    """Adds "Archive selected" (asks for a reason first) to a ModelAdmin whose model has
    `archive(by=..., reason=...)`. `archive_permission` names who may do it."""

    archive_permission: str = ""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.archive_permission and request.user.has_perm(self.archive_permission):
            action = admin.action(description="Archive selected (asks for a reason)")(
                type(self).archive_selected
            )
            actions["archive_selected"] = (action, "archive_selected", action.short_description)
        return actions

    def archive_selected(self, request, queryset):
        if not request.user.has_perm(self.archive_permission):
            raise PermissionDenied
        current = [obj for obj in queryset if not obj.is_archived]
        form = ArchiveForm(
            request.POST if "reason" in request.POST else None,
            what="records",
            example="entered for the wrong patient, or a duplicate",
            many=True,
        )
        if form.is_valid():
            for obj in current:
                try:
                    obj.archive(by=request.user, reason=form.cleaned_data["reason"])
                except ValidationError as exc:
                    self.message_user(request, f"{obj}: {exc.messages[0]}", messages.ERROR)
                    return None
            self.message_user(request, f"Archived {len(current)} record(s). They are kept.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Archive {len(current)} {self.model._meta.verbose_name_plural}",
            "form": form,
            "objects": current,
            "already": queryset.count() - len(current),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": [obj.pk for obj in queryset],
        }
        return TemplateResponse(request, "admin/archive_selected.html", context)
