from django.contrib import admin

from clinic.admin_archive import ArchiveActionAdmin
from clinic.admin_history import HistoryAdmin
from clinic.lib.admin import SuperuserDeleteOnly
from clinic.paging import LargeTableAdmin
from patients.audit import AccessLoggedAdmin
from patients.models import Patient, PhotoConsent, ScarAssessment, ScarCount

CLINICIAN_PERMISSION = "patients.act_as_clinician"


class ClinicalRecordAdmin(AccessLoggedAdmin, ArchiveActionAdmin, SuperuserDeleteOnly):
    """A clinical record in the admin follows the app's rules: opening it is logged, it is added
    in the app (where the safety rules and services run), changed only by a clinician, and
    archived with a reason, never deleted."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and request.user.has_perm(
            CLINICIAN_PERMISSION
        )


class PhotoConsentInline(SuperuserDeleteOnly, admin.TabularInline):
    model = PhotoConsent
    extra = 0
    fields = ["use", "given_on", "withdrawn_on", "notes", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Patient)
class PatientAdmin(
    LargeTableAdmin,
    AccessLoggedAdmin,
    ArchiveActionAdmin,
    SuperuserDeleteOnly,
    HistoryAdmin,
):
    archive_permission = "patients.archive_patient"

    list_display = [
        "mrn",
        "last_name",
        "first_name",
        "date_of_birth",
        "fitzpatrick_type",
        "phone",
        "archived_at",
        "updated_at",
    ]
    list_fields = [*list_display]  # str() and the access trail read names and MRN, all shown
    list_filter = [
        "fitzpatrick_type",
        ("archived_at", admin.EmptyFieldListFilter),
        "active_acne",
        "sex_at_birth",
    ]
    # The desk's search (Patient.objects.search): name words, MRN, date of birth or phone, each
    # served by an index; see get_search_results.
    search_fields = ["mrn", "last_name", "first_name", "preferred_name", "phone"]
    search_help_text = "Name, MRN, date of birth or phone, as at the desk."
    readonly_fields = [
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "archived_at",
        "archived_by",
        "archive_reason",
    ]
    list_select_related = True
    inlines = [PhotoConsentInline]
    actions = ["restore_selected"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # The skin history and risk factors are the dermatologist's to record.
        if not request.user.has_perm(CLINICIAN_PERMISSION):
            readonly += [f for f in Patient.CLINICAL_FIELDS if f not in readonly]
        return readonly

    @admin.action(description="Restore selected archived patients", permissions=["archive"])
    def restore_selected(self, request, queryset):
        restored = [p for p in queryset if p.is_archived]
        for patient in restored:
            patient.unarchive(by=request.user)
        self.message_user(request, f"Restored {len(restored)} patient(s).")

    def has_archive_permission(self, request) -> bool:
        return request.user.has_perm("patients.archive_patient")

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        for consent in formset.save(commit=False):
            if consent.recorded_by_id is None:
                consent.recorded_by = request.user
            consent.save()
        formset.save_m2m()


@admin.register(PhotoConsent)
class PhotoConsentAdmin(SuperuserDeleteOnly, HistoryAdmin):
    list_display = ["patient", "use", "given_on", "withdrawn_on", "recorded_by"]
    list_filter = ["use", "withdrawn_on"]
    search_fields = ["patient__mrn", "patient__last_name"]
    list_select_related = ["patient", "recorded_by"]
    raw_id_fields = ["patient"]
    readonly_fields = ["recorded_by", "recorded_at", "withdrawal_recorded_by"]


class ScarCountInline(admin.TabularInline):
    model = ScarCount
    fields = ["region", "scar_type", "count"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(count__gt=0)


@admin.register(ScarAssessment)
class ScarAssessmentAdmin(LargeTableAdmin, ClinicalRecordAdmin, HistoryAdmin):
    """View-only: assessments are recorded and amended in the app, where scores are recomputed
    from the counts; editing a stored score here would break that guarantee."""

    list_display = [
        "assessed_on",
        "patient",
        "assessor",
        "ecca_score",
        "gb_grade",
        "gb_quantitative_score",
        "cadi_score",
        "dlqi_score",
        "archived_at",
    ]
    list_filter = ["gb_grade", "assessed_on", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["patient__mrn", "patient__last_name", "patient__first_name"]
    list_select_related = ["patient", "assessor"]
    inlines = [ScarCountInline]
    archive_permission = "patients.change_scarassessment"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


from patients import audit_admin  # noqa: E402, F401 - registers the access trail
