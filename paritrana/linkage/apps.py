from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "paritrana.linkage"
    verbose_name = "Pencocokan daftar luar (KUR, Prakerja)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paritrana.core.batch import on_reaped

        from .services import run_gone

        on_reaped("linkage_run", run_gone)
