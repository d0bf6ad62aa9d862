from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """Django's admin, with the desk's site (`desk_security.sites.DeskAdminSite`) as
    `admin.site`: every `admin.register` in the project lands on it unchanged."""

    default_site = "desk_security.sites.DeskAdminSite"
