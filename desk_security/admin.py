"""Users in the admin: who has two-factor authentication, and resetting it for
someone who lost their phone."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor

User = get_user_model()

# django-otp's own device pages show secrets and offer raw editing; a user's
# two-factor state is read and reset from the user list instead.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Extend whatever admin the project registered for users, not only Django's.
BaseUserAdmin = (
    type(admin.site.get_model_admin(User))
    if admin.site.is_registered(User)
    else UserAdmin
)
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class DeskUserAdmin(BaseUserAdmin):
    list_display = (*BaseUserAdmin.list_display, "two_factor")
    actions = [*(BaseUserAdmin.actions or []), "reset_two_factor"]

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(devices))

    @admin.display(boolean=True, description=_("Two-factor"), ordering="has_two_factor")
    def two_factor(self, obj):
        return obj.has_two_factor

    @admin.action(
        description=_("Reset two-factor authentication (lost phone)"),
        permissions=["reset_two_factor"],
    )
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            twofactor.reset_two_factor(user=user)
            self.log_change(request, user, "Reset two-factor authentication.")
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d user: they log in "
                "with their password and set it up again.",
                "Two-factor authentication reset for %(count)d users: they log in "
                "with their password and set it up again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def has_reset_two_factor_permission(self, request):
        return request.user.has_perms(
            ["auth.change_user", "otp_totp.delete_totpdevice"]
        )
