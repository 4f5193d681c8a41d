from django.contrib import admin
from django.db.models.expressions import RawSQL

from clinic.admin_history import HistoryAdmin
from clinic.lib.admin import SuperuserDeleteOnly
from clinic.paging import LargeTableAdmin
from patients.admin import ClinicalRecordAdmin
from treatments.modality_sql import modalities_of_sessions, session_modalities_sql
from treatments.models import (
    PROCEDURE_MODELS,
    AdverseEvent,
    ClinicalPhoto,
    Scar,
    ScarStatusChange,
    ScarTreatment,
    SessionWarning,
    SkinTest,
    TopicalRegimen,
    TreatmentSession,
)


def _inline(model):
    return type(
        f"{model.__name__}Inline",
        (SuperuserDeleteOnly, admin.StackedInline),
        {"model": model, "extra": 0},
    )


class AdverseEventInline(SuperuserDeleteOnly, admin.TabularInline):
    model = AdverseEvent
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


class SessionWarningInline(admin.TabularInline):
    model = SessionWarning
    extra = 0
    can_delete = False
    readonly_fields = ["code", "severity", "message", "acknowledged_by", "acknowledged_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ModalityFilter(admin.SimpleListFilter):
    title = "modality"
    parameter_name = "modality"

    def lookups(self, request, model_admin):
        return [(m.MODALITY.value, m.MODALITY.label) for m in PROCEDURE_MODELS]

    def queryset(self, request, queryset):
        if self.value():
            lookup = f"{self.value()}_procedures__isnull"
            return queryset.filter(**{lookup: False}).distinct()
        return queryset


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(LargeTableAdmin, ClinicalRecordAdmin, HistoryAdmin):
    """Sessions with their procedures, adverse events and acknowledged warnings, to read."""

    archive_permission = "treatments.change_treatmentsession"
    list_display = ["performed_at", "patient", "clinician", "modality_list", "next_session_due"]
    list_filter = [ModalityFilter, "clinician", "performed_at", "anaesthesia"]
    search_fields = ["patient__mrn", "patient__last_name", "patient__first_name"]
    list_select_related = ["patient", "clinician"]
    list_fields = [
        *("performed_at", "next_session_due", "patient", "clinician"),
        *("patient__first_name", "patient__last_name", "patient__mrn", "clinician__username"),
    ]
    raw_id_fields = ["patient"]
    readonly_fields = ["fitzpatrick_type", "updated_by", "archived_at", "archived_by"]
    inlines = [*(_inline(model) for model in PROCEDURE_MODELS), AdverseEventInline]
    inlines.append(SessionWarningInline)

    def get_queryset(self, request):
        # Selecting related rows here makes the changelist skip list_select_related.
        return super().get_queryset(request).select_related("patient", "clinician")

    def get_paginator(self, request, queryset, *args, **kwargs):
        # The page's rows come with their modalities (not six prefetches of every procedure
        # row, nor an EXISTS per row, which PostgreSQL plans as a scan of each whole table).
        # Counting leaves the unused subquery out; but a DISTINCT list (the modality filter)
        # would compute it for every row it compares, so that one is told afterwards.
        if not queryset.query.distinct:
            modalities = RawSQL(*session_modalities_sql())  # noqa: S611 - names from the models
            queryset = queryset.annotate(modality_csv=modalities)
        return super().get_paginator(request, queryset, *args, **kwargs)

    def get_changelist_instance(self, request):
        """The page's sessions, each told its modalities: by the page's own query, or, for a
        page read without them (a list of one page, all rows), by one UNION over the procedure
        tables for just these ids."""
        changelist = super().get_changelist_instance(request)
        sessions = list(changelist.result_list)
        unread = [session for session in sessions if not hasattr(session, "modality_csv")]
        found = modalities_of_sessions([session.pk for session in unread])
        for session in sessions:
            if hasattr(session, "modality_csv"):
                session.modality_values = set(filter(None, (session.modality_csv or "").split(",")))
            else:
                session.modality_values = found[session.pk]
        return changelist

    # View-only: sessions are logged and amended in the app, where the safety rules run and
    # warnings must be acknowledged; an admin form would save past them.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Modalities")
    def modality_list(self, obj: TreatmentSession) -> str:
        present = getattr(obj, "modality_values", None)
        if present is None:
            return ", ".join(m.label for m in obj.modalities())
        return ", ".join(m.MODALITY.label for m in PROCEDURE_MODELS if m.MODALITY.value in present)


@admin.register(AdverseEvent)
class AdverseEventAdmin(ClinicalRecordAdmin, HistoryAdmin):
    list_display = ["onset_on", "event_type", "severity", "session", "resolved_on"]
    list_filter = ["event_type", "severity"]
    search_fields = ["session__patient__mrn", "session__patient__last_name"]
    list_select_related = ["session__patient"]
    raw_id_fields = ["session"]


@admin.register(TopicalRegimen)
class TopicalRegimenAdmin(ClinicalRecordAdmin, HistoryAdmin):
    list_display = ["patient", "agent", "strength_percent", "frequency", "started_on", "stopped_on"]
    list_filter = ["agent"]
    search_fields = ["patient__mrn", "patient__last_name"]
    list_select_related = ["patient"]
    raw_id_fields = ["patient"]


@admin.register(SkinTest)
class SkinTestAdmin(ClinicalRecordAdmin, HistoryAdmin):
    list_display = ["patient", "product", "tested_on", "read_on", "result"]
    list_filter = ["result", "material"]
    search_fields = ["patient__mrn", "patient__last_name"]
    list_select_related = ["patient"]
    raw_id_fields = ["patient"]


@admin.register(ClinicalPhoto)
class ClinicalPhotoAdmin(LargeTableAdmin, ClinicalRecordAdmin, HistoryAdmin):
    """Metadata only: the images themselves open through the app's permission-checked views."""

    archive_permission = "treatments.change_clinicalphoto"
    list_display = ["taken_on", "patient", "view", "lighting", "width", "height", "archived_at"]
    list_filter = ["view", "lighting", "taken_on"]
    search_fields = ["patient__mrn", "patient__last_name", "sha256"]
    list_select_related = ["patient"]
    raw_id_fields = ["patient", "session", "assessment"]
    readonly_fields = [
        "image",
        "display",
        "thumbnail",
        "width",
        "height",
        "file_size",
        "sha256",
        "captured_at",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # uploads go through the app, where files are checked and cleaned


class ScarStatusChangeInline(admin.TabularInline):
    """Statuses are recorded on the scar's page in the app, where the chart's response follows."""

    model = ScarStatusChange
    extra = 0
    can_delete = False
    fields = readonly_fields = ["recorded_on", "status", "note", "recorded_by", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ScarTreatmentInline(admin.TabularInline):
    """Which CROSS or punch procedure treated the scar; linked from the session form."""

    model = ScarTreatment
    extra = 0
    can_delete = False
    fields = readonly_fields = ["cross", "punch", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Scar)
class ScarAdmin(LargeTableAdmin, ClinicalRecordAdmin, HistoryAdmin):
    """The scar register: placed and treated in the app on the face map; here to read, amend
    the notes and archive."""

    list_display = [
        "patient",
        "number",
        "scar_type",
        "region",
        "status",
        "status_on",
        "archived_at",
    ]
    list_filter = ["scar_type", "status", "region", "view"]
    search_fields = ["patient__mrn", "patient__last_name"]
    list_select_related = ["patient"]
    raw_id_fields = ["patient"]
    readonly_fields = ["number", "view", "x", "y", "region", "status", "status_on", "created_by"]
    inlines = [ScarStatusChangeInline, ScarTreatmentInline]
