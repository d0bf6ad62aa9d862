from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, on our site class (newsroom/admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
