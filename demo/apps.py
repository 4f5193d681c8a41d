from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top floor: fictional clinics for trying the app (seed_demo) and for measuring it at a
    clinic group's size (seed_scale). It imports every app; no app imports it."""

    name = "demo"
    verbose_name = "Demo data"
