from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "paritrana.benefits"
    label = "benefits"
    verbose_name = "Manfaat dan klaim"
    default_auto_field = "django.db.models.BigAutoField"
