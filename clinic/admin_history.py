"""The admin's history pages, read-only.

django-simple-history's "revert" page saves the form it shows with only the view permission
checked, which would let an admin write past the app's services (safety rules, clash checks,
recomputed scores). Records are amended in the app; here history is only read.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
