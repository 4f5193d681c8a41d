"""The access trail in the admin: clinic admins read it, search it by patient, and print or
download one patient's report. Nobody edits it."""

import csv
import datetime as dt

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html

from clinic.paging import LargeTableAdmin
from patients.audit import access_record
from patients.models import AccessLog, Patient


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


class StaffUserFilter(admin.SimpleListFilter):
    """Filter by the person: staff accounts are few, the log is long, so the choices come from
    the user table rather than a scan of the log."""

    title = "user"
    parameter_name = "user"

    def lookups(self, request, model_admin):
        users = User.objects.order_by("username").only("pk", "username", "first_name", "last_name")
        return [(u.pk, u.get_full_name() or u.username) for u in users]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(user_id=int(value))
        return queryset


@admin.register(AccessLog)
class AccessLogAdmin(LargeTableAdmin, admin.ModelAdmin):
    """The audit trail: readable by clinic admins, never editable by anyone. Search a patient's
    name or MRN, then open their access report to print it or download it as CSV."""

    list_display = ["at", "username", "action", "patient_column", "record", "ip_address"]
    list_filter = ["action", StaffUserFilter, RecordFilter, ("at", admin.DateFieldListFilter)]
    search_fields = ["patient_mrn", "patient__last_name", "patient__first_name", "username"]
    list_select_related = ["patient"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Patient", ordering="patient_mrn")
    def patient_column(self, row: AccessLog) -> str:
        if row.patient_id is None:
            return row.patient_mrn or "—"
        report = reverse("admin:patients_accesslog_patient_report", args=[row.patient_id])
        return format_html(
            '{} ({}) · <a href="{}">access report</a>',
            row.patient.full_name,
            row.patient_mrn,
            report,
        )

    @admin.display(description="Record")
    def record(self, row: AccessLog) -> str:
        return row.object_label or row.object_type or "—"

    def get_urls(self):
        report = self.admin_site.admin_view(self.patient_report)
        return [
            path("patient/<int:patient_id>/", report, name="patients_accesslog_patient_report"),
            *super().get_urls(),
        ]

    def patient_report(self, request, patient_id: int):
        """Who opened this patient's record between two dates: printable, or CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        patient = get_object_or_404(Patient, pk=patient_id)
        today = timezone.localdate()
        start = parse_date(request.GET.get("from") or "") or today - dt.timedelta(days=90)
        end = parse_date(request.GET.get("to") or "") or today
        rows = AccessLog.objects.filter(
            patient=patient, at__date__gte=start, at__date__lte=end
        ).order_by("at", "pk")
        as_csv = request.GET.get("format") == "csv"
        access_record(
            request,
            patient=patient,
            action=AccessLog.Action.EXPORT if as_csv else AccessLog.Action.PRINT,
        )
        if as_csv:
            return self._report_csv(patient, rows, start, end)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Access report: {patient.full_name} ({patient.mrn})",
            "patient": patient,
            "rows": rows,
            "start": start,
            "end": end,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/patients/accesslog/patient_report.html", context)

    @staticmethod
    def _report_csv(patient, rows, start: dt.date, end: dt.date) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"access-{patient.mrn}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(["when", "user", "action", "record", "path", "ip address"])
        for row in rows.iterator():
            writer.writerow(
                [
                    timezone.localtime(row.at).isoformat(timespec="seconds"),
                    row.username,
                    row.get_action_display(),
                    row.object_label or row.object_type,
                    row.path,
                    row.ip_address or "",
                ]
            )
        return response
