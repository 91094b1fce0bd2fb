from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "paritrana.notifications"
    verbose_name = "Notifikasi e-mail"
    default_auto_field = "django.db.models.BigAutoField"
