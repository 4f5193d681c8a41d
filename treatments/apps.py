from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"
    verbose_name = "Treatments"

    def ready(self) -> None:
        from patients.audit import audit_urls
        from patients.models import Patient
        from treatments import panels, scar_panels  # noqa: F401 - register chart sections
        from treatments.models import (
            ClinicalPhoto,
            Scar,
            SkinTest,
            TopicalRegimen,
            TreatmentSession,
        )

        audit_urls(
            Patient,
            *(
                f"treatments:{name}"
                for name in (
                    "session_create",
                    "topical_create",
                    "skin_test_create",
                    "photo_upload",
                    "photo_compare",
                    "progress_summary",
                    "fhir_export",
                    "letter_create",
                    "scar_register",
                )
            ),
        )
        audit_urls(
            TreatmentSession,
            "treatments:session_detail",
            "treatments:session_update",
            "treatments:session_archive",
            "treatments:adverse_event_create",
        )
        audit_urls(
            Scar,
            "treatments:scar_detail",
            "treatments:scar_status",
            "treatments:scar_archive",
            "treatments:scar_dismiss_suggestion",
        )
        audit_urls(TopicalRegimen, "treatments:topical_stop")
        audit_urls(SkinTest, "treatments:skin_test_read")
        audit_urls(
            ClinicalPhoto,
            "treatments:photo_detail",
            "treatments:photo_file",
            "treatments:photo_export",
            "treatments:photo_archive",
        )
