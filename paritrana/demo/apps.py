from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "paritrana.demo"
    label = "demo"
    verbose_name = "Demo dan data sintetis"
    default_auto_field = "django.db.models.BigAutoField"
