from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "paritrana.linkage"
    verbose_name = "Pencocokan daftar luar (KUR, Prakerja)"
    default_auto_field = "django.db.models.BigAutoField"
