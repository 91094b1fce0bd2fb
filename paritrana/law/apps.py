from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "paritrana.law"
    label = "law"
    verbose_name = "Hukum (parameter berlaku)"
    default_auto_field = "django.db.models.BigAutoField"
