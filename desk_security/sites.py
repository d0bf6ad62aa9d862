from functools import partial

from django.contrib import admin
from django.urls import path


class DeskAdminSite(admin.AdminSite):
    """The admin with the desk's login (throttled, with a two-factor code for
    accounts that use one) and each member's own two-factor pages."""

    login_template = "admin/desk_login.html"

    @property
    def login_form(self):
        from .forms import DeskAuthenticationForm

        return DeskAuthenticationForm

    def get_urls(self):
        from . import views

        def page(view):
            return self.admin_view(partial(view, self))

        return [
            path("two-factor/", page(views.status), name="two_factor"),
            path("two-factor/setup/", page(views.setup), name="two_factor_setup"),
            path(
                "two-factor/recovery-codes/",
                page(views.recovery_codes),
                name="two_factor_recovery_codes",
            ),
            path("two-factor/off/", page(views.turn_off), name="two_factor_off"),
            *super().get_urls(),
        ]
