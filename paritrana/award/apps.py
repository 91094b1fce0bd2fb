from django.apps import AppConfig


class AwardConfig(AppConfig):
    name = "paritrana.award"
    verbose_name = "Paritrana Award"
    default_auto_field = "django.db.models.BigAutoField"
