from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "paritrana.enrolment"
    verbose_name = "Pendaftaran massal"
    default_auto_field = "django.db.models.BigAutoField"
