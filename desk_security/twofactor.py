"""Two-factor authentication for desk accounts (django-otp): an authenticator app
(TOTP) plus ten single-use recovery codes.

A user has two-factor authentication once they have a confirmed TOTP device; from
then on every login needs a code from it, or a recovery code, which is used up.
With `REQUIRE_2FA_FOR_EDITORS`, Editors and superusers without it are sent to set
it up before anything else (`RequireTwoFactorMiddleware`).
"""

import re

import segno
from django.conf import settings
from django.contrib.auth import logout
from django.db import DatabaseError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

EDITORS = "Editors"  # articles/roles.py names the group; this app imports nothing
RECOVERY_CODES = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")


# Reads.


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def requires_two_factor(user):
    """Whether policy makes this account use two-factor authentication."""
    if not settings.REQUIRE_2FA_FOR_EDITORS or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


def qr_code_svg(device):
    """The device's otpauth:// address as an inline SVG QR code, made here: the
    secret never leaves the server for a QR service."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title="QR code to scan"
    )


def secret_text(device):
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(code):
    return re.sub(r"[\s-]", "", code or "").lower()


# Services.


def pending_authenticator(*, user):
    """The not yet confirmed TOTP device the user is setting up (one at a time, so a
    reloaded page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def confirm_authenticator(*, user, device, code):
    """Confirm `device` with a code it shows now; it replaces any earlier app, and
    the user gets fresh recovery codes. Returns them, or None if the code is wrong."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        # Gone or confirmed already (a second click on "Confirm"): nothing to do.
        if device is None or not device.verify_token(clean_code(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        return new_recovery_codes(user=user)


def new_recovery_codes(*, user):
    """Replace the user's recovery codes with RECOVERY_CODES new ones; return them.
    They are shown once: only the holder keeps a copy."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(
            user=user, name=RECOVERY_NAME, confirmed=True
        )
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def verify_code(*, user, code):
    """The device that accepts `code` (an app's 6 digits, or a recovery code, which
    is then used up), or None. Only the device the code's shape names is tried, so
    a mistyped app code never counts against the recovery codes."""
    code = clean_code(code)
    model = TOTPDevice if _TOTP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        devices = model.objects.filter(user=user, confirmed=True).select_for_update()
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def reset_two_factor(*, user):
    """Remove the user's app and recovery codes (a lost phone): they log in with
    their password alone and, if policy requires it, set it up again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


# The policy, on every request.

# Reachable while two-factor set-up is pending: the set-up itself, logging out,
# and what admin pages load.
EXEMPT = ("admin:two_factor", "admin:logout", "admin:login", "admin:jsi18n")


class RequireTwoFactorMiddleware:
    """Keep two-factor authentication meaningful for every logged-in request.

    - An account with two-factor authentication whose session was not verified with
      a code (it began before the app was set up, in another browser) is logged
      out and sent to log in again.
    - With REQUIRE_2FA_FOR_EDITORS, an Editor or superuser without it is sent to
      set it up, and back to where they were going once done.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = self.refuse(request)
        except DatabaseError:
            # Without the database neither this check nor the page can run: the
            # page's own failure is answered (a 503 that keeps a posted form).
            refused = None
        return refused or self.get_response(request)

    def refuse(self, request):
        """The redirect that stops this request, or None."""
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not (
            request.path_info.startswith(settings.DESK_PATH_PREFIXES)
        ):
            # Not the desk, or nobody logged in: leave the session untouched, so
            # a public page does not vary by cookie (shared caches, gzip).
            return None
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.exempt(request.path_info)
        ):
            if has_two_factor(user):
                logout(request)
                return self.redirect("admin:login", request)
            if requires_two_factor(user):
                return self.redirect("admin:two_factor_setup", request)
        return None

    @staticmethod
    def exempt(path):
        return any(path.startswith(reverse(name)) for name in EXEMPT)

    @staticmethod
    def redirect(name, request):
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(name)}?{query}")
