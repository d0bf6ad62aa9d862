from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"  # as its migration has it

    def ready(self):
        from . import generation, writes

        generation.connect_signals()
        writes.guard_the_row()
