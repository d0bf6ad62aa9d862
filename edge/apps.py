from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "Edge cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import conf

        checks.register(conf.check_settings)
