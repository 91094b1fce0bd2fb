from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "paritrana.portal"
    label = "portal"
    verbose_name = "Portal"
