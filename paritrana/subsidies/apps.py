from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "paritrana.subsidies"
    verbose_name = "Bantuan Subsidi Upah (BSU)"
    default_auto_field = "django.db.models.BigAutoField"
