from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "paritrana.contributions"
    label = "contributions"
    verbose_name = "Iuran"
    default_auto_field = "django.db.models.BigAutoField"
