from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo county and its sign-ins: loaders built on the real services."""

    name = "demo"
    verbose_name = "Demo county"
