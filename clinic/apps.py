from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(sender, using, apps=global_apps, **kwargs) -> None:
    # `flush` (used between transactional tests) sends post_migrate without `apps`.
    from clinic.roles import sync_roles

    sync_roles(apps=apps, using=using)


class ClinicAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the clinic's site (clinic/admin_site.py) as `admin.site`."""

    default = False  # named in INSTALLED_APPS; the clinic app's own config is ClinicConfig
    default_site = "clinic.admin_site.ClinicAdminSite"


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from clinic import timestamps
        from clinic.middleware import session_started

        post_migrate.connect(_sync_roles_after_migrate, sender=self)
        user_logged_in.connect(session_started, dispatch_uid="clinic.session_started")
        timestamps.connect()
