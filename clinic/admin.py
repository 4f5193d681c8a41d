from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from clinic.models import AccessLog
from clinic.paging import LargeTableAdmin


class RecordFilter(admin.SimpleListFilter):
    """Which kind of record was opened. The choices are the kinds the app logs, not a DISTINCT
    over the whole trail (which reads every row of a table that only grows)."""

    title = "record"
    parameter_name = "record"
    CHART = "chart"

    def lookups(self, request, model_admin):
        logged = ["patients.ScarAssessment", "treatments.TreatmentSession"]
        logged += ["treatments.ClinicalPhoto", "scheduling.Appointment"]
        models = [apps.get_model(label) for label in logged]
        choices = [(m._meta.label, m._meta.verbose_name.capitalize()) for m in models]
        return [(self.CHART, "Chart or its history"), *choices]

    def queryset(self, request, queryset):
        if self.value() == self.CHART:
            return queryset.filter(object_type="")
        if self.value():
            return queryset.filter(object_type=self.value())
        return queryset


@admin.register(AccessLog)
class AccessLogAdmin(LargeTableAdmin, admin.ModelAdmin):
    """The audit trail: readable by clinic admins, never editable by anyone."""

    list_display = ["at", "username", "action", "patient_mrn", "object_type", "object_id", "path"]
    list_filter = ["action", RecordFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["username", "patient_mrn", "path"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(User)


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Clinic admins manage accounts and roles, but cannot make anyone (themselves included) a
    superuser or hand out permissions outside the role table."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are deactivated, not deleted, so the audit trail keeps its names.
        return request.user.is_superuser
