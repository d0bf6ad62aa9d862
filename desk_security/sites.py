from django.contrib import admin


class DeskAdminSite(admin.AdminSite):
    """The admin with the desk's login: throttled, and with a two-factor code for
    accounts that have set one up."""

    login_template = "admin/desk_login.html"

    @property
    def login_form(self):
        from .forms import DeskAuthenticationForm

        return DeskAuthenticationForm
