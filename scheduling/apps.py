from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from patients.audit import audit_urls
        from scheduling import panels  # noqa: F401 - registers chart and dashboard sections
        from scheduling.models import Appointment

        audit_urls(
            Appointment,
            *(
                f"scheduling:{name}"
                for name in ("detail", "reschedule", "cancel", "check_in", "no_show", "progress")
            ),
        )
