from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, apps, using, **kwargs) -> None:
    from clinic.roles import sync_roles

    sync_roles(apps=apps, using=using)


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles_after_migrate, sender=self)
