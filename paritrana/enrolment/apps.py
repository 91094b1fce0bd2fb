from django.apps import AppConfig


class EnrolmentConfig(AppConfig):
    name = "paritrana.enrolment"
    verbose_name = "Pendaftaran massal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paritrana.core.batch import on_reaped

        from .services import upload_gone

        on_reaped("enrolment_apply", upload_gone)
