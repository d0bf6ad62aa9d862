"""The desk member's own two-factor pages, under /admin/two-factor/ (DeskAdminSite
wraps each in admin_view: staff only, never cached)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from . import twofactor
from .forms import ConfirmAppForm, CurrentCodeForm


def _page(site, request, template, title, **context):
    context = {
        **site.each_context(request),
        "title": title,
        "required": twofactor.requires_two_factor(request.user),
        "next": _next(request),
        **context,
    }
    return TemplateResponse(request, f"admin/two_factor/{template}", context)


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""


def status(site, request):
    user = request.user
    return _page(
        site,
        request,
        "status.html",
        _("Two-factor authentication"),
        app=twofactor.authenticator(user),
        codes_left=twofactor.recovery_codes_left(user),
        form=CurrentCodeForm(user=user),
    )


def setup(site, request):
    """Scan the QR code (or type the key), confirm with a code, get recovery codes.
    Replacing an app already set up asks for a current code first."""
    user = request.user
    replacing = twofactor.has_two_factor(user)
    device = twofactor.pending_authenticator(user=user)
    form = ConfirmAppForm(request.POST or None)
    current = CurrentCodeForm(request.POST or None, user=user) if replacing else None
    if (
        request.method == "POST"
        and form.is_valid()
        and (current is None or current.is_valid())
    ):
        codes = twofactor.confirm_authenticator(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            # A new level of trust: a new session key, verified by this device.
            request.session.cycle_key()
            otp_login(request, device)
            return _recovery_codes_page(site, request, codes)
        form.add_error(
            "code",
            _("That code is not right: check the app's clock and try the newest code."),
        )
    return _page(
        site,
        request,
        "setup.html",
        _("Set up two-factor authentication"),
        form=form,
        current=current,
        replacing=replacing,
        qr_code=twofactor.qr_code_svg(device),
        secret=twofactor.secret_text(device),
    )


def recovery_codes(site, request):
    """New recovery codes (the old ones stop working), for a current code."""
    user = request.user
    if request.method != "POST" or not twofactor.has_two_factor(user):
        return redirect("admin:two_factor")
    form = CurrentCodeForm(request.POST, user=user)
    if not form.is_valid():
        return _status_with_errors(site, request, form)
    return _recovery_codes_page(site, request, twofactor.new_recovery_codes(user=user))


def turn_off(site, request):
    user = request.user
    if request.method != "POST" or not twofactor.has_two_factor(user):
        return redirect("admin:two_factor")
    if twofactor.requires_two_factor(user):
        messages.error(request, _("Your account must keep two-factor authentication."))
        return redirect("admin:two_factor")
    form = CurrentCodeForm(request.POST, user=user)
    if not form.is_valid():
        return _status_with_errors(site, request, form)
    twofactor.reset_two_factor(user=user)
    messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("admin:two_factor")


def _status_with_errors(site, request, form):
    response = status(site, request)
    response.context_data["form"] = form
    return response


def _recovery_codes_page(site, request, codes):
    """Shown once, never stored in the page cache or the browser's (admin_view
    marks it never-cache)."""
    return _page(
        site,
        request,
        "recovery_codes.html",
        _("Your recovery codes"),
        codes=codes,
    )
