from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from patients import panels  # noqa: F401 - registers the dashboard section
        from patients.audit import audit_urls
        from patients.models import Patient, ScarAssessment

        audit_urls(
            Patient,
            *(f"patients:{name}" for name in ("detail", "update", "archive", "history")),
            "patients:consent_create",
            "patients:consent_withdraw",
            "patients:assessment_create",
        )
        audit_urls(
            ScarAssessment,
            "patients:assessment_detail",
            "patients:assessment_update",
            "patients:assessment_archive",
        )
