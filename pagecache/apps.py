from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from . import generation, writes

        generation.connect_signals()
        writes.guard_the_row()
