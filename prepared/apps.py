from django.apps import AppConfig


class PreparedConfig(AppConfig):
    name = "prepared"
    verbose_name = "Prepared pages"
    default_auto_field = "django.db.models.BigAutoField"
