"""Two-factor authentication for desk accounts: set up from the admin with a QR code
made here, then every login needs a code from the app or a recovery code; an admin
resets a lost phone; a setting makes it compulsory for Editors.

Codes are computed as the app would, from the device's secret (`bin_key`)."""

import re
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.tests.factories import ArticleFactory
from desk_security import twofactor

pytestmark = pytest.mark.django_db

SETUP = "/admin/two-factor/setup/"
STATUS = "/admin/two-factor/"
LOGIN = "/admin/login/"
STEP = timedelta(seconds=30)
# django-otp makes an app wait 1 s after a wrong code, 2 s after two, and so on.
PAUSE = timedelta(seconds=5)


def app_code(device):
    """What the phone shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def enrol(user, clock):
    """Set up an app for `user` as the set-up page does; returns (device, codes)."""
    device = twofactor.pending_authenticator(user=user)
    codes = twofactor.confirm_authenticator(
        user=user, device=device, code=app_code(device)
    )
    assert codes is not None
    clock.shift(STEP)  # the next code the app shows
    return device, codes


def log_in(username, password, code=None, client=None, address="198.51.100.7"):
    client = client or Client()
    data = {"username": username, "password": password, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client, client.post(LOGIN, data, REMOTE_ADDR=address)


def verified(client):
    return DEVICE_ID_SESSION_KEY in client.session


def logged_in(client):
    return "_auth_user_id" in client.session


# Setting it up.


def test_a_desk_member_sets_up_an_app_from_the_admin(editor_client, editor, clock):
    page = editor_client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    # The QR code is an SVG drawn here, and the key is there to type by hand.
    assert re.search(r"<svg[^>]*>.*<path", html, re.DOTALL)
    assert twofactor.qr_code_svg(device) in html
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(re.findall(".{1,4}", secret)) in html
    assert "<img" not in html.split('id="two-factor-qr"')[1].split("</div>")[0]
    assert "AES%20Newsroom" in device.config_url
    # A reload shows the same key, so a code from a scan a moment ago still works.
    grouped = " ".join(re.findall(".{1,4}", secret))
    assert editor_client.get(SETUP).content.decode().count(grouped) == 1
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    wrong = editor_client.post(SETUP, {"code": "000000"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not twofactor.has_two_factor(editor)
    clock.shift(PAUSE)

    done = editor_client.post(SETUP, {"code": app_code(device)})
    assert done.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", done.content.decode()
    )
    assert len(codes) == 10 and len(set(codes)) == 10
    assert twofactor.has_two_factor(editor)
    assert twofactor.recovery_codes_left(editor) == 10
    assert "no-store" in done["Cache-Control"]
    # This session is now verified by the new app.
    assert editor_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The codes are shown once: the status page only counts them.
    status = editor_client.get(STATUS).content.decode()
    assert "10 unused recovery codes" in status
    assert not any(code in status for code in codes)


def test_the_demo_journey_needs_no_code(client):
    """With the default settings the logins `make run` prints work as printed."""
    from django.core.management import call_command

    call_command("create_demo_editor")
    client, response = log_in("editor", "sahel-desk-editor")
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200


# Logging in.


def test_login_then_needs_password_and_a_code(editor, clock):
    device, _ = enrol(editor, clock)
    client, response = log_in("ed", "ed-pw-123")
    assert response.status_code == 200
    assert not logged_in(client)
    client, response = log_in("ed", "ed-pw-123", "123456")
    assert response.status_code == 200
    assert not logged_in(client)
    clock.shift(PAUSE)
    client, response = log_in("ed", "ed-pw-123", app_code(device))
    assert response.status_code == 302
    assert logged_in(client) and verified(client)
    assert client.get("/admin/").status_code == 200


def test_a_code_works_once(editor, clock):
    device, _ = enrol(editor, clock)
    code = app_code(device)
    assert log_in("ed", "ed-pw-123", code)[1].status_code == 302
    assert log_in("ed", "ed-pw-123", code)[1].status_code == 200


def test_a_missing_or_wrong_code_looks_like_a_wrong_password(editor, clock):
    enrol(editor, clock)

    def error(response):
        return re.search(
            r'<p class="errornote">\s*(.*?)\s*</p>',
            response.content.decode(),
            re.DOTALL,
        ).group(1)

    wrong_password = error(log_in("ed", "not-it", address="192.0.2.1")[1])
    no_code = error(log_in("ed", "ed-pw-123", address="192.0.2.2")[1])
    wrong_code = error(log_in("ed", "ed-pw-123", "654321", address="192.0.2.3")[1])
    assert wrong_password == no_code == wrong_code
    assert "two-factor code" in wrong_password


def test_a_recovery_code_logs_in_once(editor, clock):
    _, codes = enrol(editor, clock)
    client, response = log_in("ed", "ed-pw-123", codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert verified(client)
    page = client.get("/admin/").content.decode()
    assert "You logged in with a recovery code; 9 are left." in page
    assert log_in("ed", "ed-pw-123", codes[3])[1].status_code == 200
    assert twofactor.recovery_codes_left(editor) == 9


def test_wrong_codes_count_towards_the_lockout(editor, clock, settings):
    device, _ = enrol(editor, clock)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        clock.shift(timedelta(minutes=1))  # past django-otp's own short throttle
        log_in("ed", "ed-pw-123", "111111", address="203.0.113.9")
    clock.shift(STEP)
    _, response = log_in("ed", "ed-pw-123", app_code(device))
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_a_code_is_never_stored_with_a_failed_attempt(editor, clock):
    from axes.models import AccessAttempt

    _, codes = enrol(editor, clock)
    log_in("nobody", "guess", codes[0])
    assert codes[0] not in AccessAttempt.objects.get().post_data


# Changing it.


def test_replacing_the_app_needs_a_current_code(editor_client, editor, clock):
    old, codes = enrol(editor, clock)
    page = editor_client.get(SETUP).content.decode()
    assert "You already use an app" in page
    new = TOTPDevice.objects.get(user=editor, confirmed=False)
    response = editor_client.post(
        SETUP, {"code": app_code(new), "current_code": "000000"}
    )
    assert "That code is not right, or was used already." in response.content.decode()
    assert twofactor.authenticator(editor) == old
    clock.shift(STEP)  # past the wait for the wrong code, and a new code
    response = editor_client.post(
        SETUP, {"code": app_code(new), "current_code": app_code(old)}
    )
    assert "Your recovery codes" in response.content.decode()
    assert twofactor.authenticator(editor) == new
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert not StaticToken.objects.filter(token=codes[0].replace("-", "")).exists()


def test_new_recovery_codes_replace_the_old_ones(editor_client, editor, clock):
    device, old_codes = enrol(editor, clock)
    refused = editor_client.post(
        "/admin/two-factor/recovery-codes/", {"current_code": "000000"}
    )
    assert "That code is not right" in refused.content.decode()
    clock.shift(PAUSE)
    response = editor_client.post(
        "/admin/two-factor/recovery-codes/", {"current_code": app_code(device)}
    )
    new_codes = re.findall(
        r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode()
    )
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert log_in("ed", "ed-pw-123", old_codes[0])[1].status_code == 200
    clock.shift(PAUSE)
    assert log_in("ed", "ed-pw-123", new_codes[0])[1].status_code == 302


def test_turning_it_off_needs_a_code(editor_client, editor, clock):
    device, _ = enrol(editor, clock)
    editor_client.post("/admin/two-factor/off/", {"current_code": "000000"})
    assert twofactor.has_two_factor(editor)
    clock.shift(PAUSE)
    editor_client.post("/admin/two-factor/off/", {"current_code": app_code(device)})
    assert not twofactor.has_two_factor(editor)
    assert log_in("ed", "ed-pw-123")[1].status_code == 302


def test_sessions_from_before_the_app_must_log_in_again(editor, clock):
    """A browser logged in with the password alone, before the app was set up (or a
    thief's), is logged out at its next request."""
    old_browser = Client()
    old_browser.force_login(editor)
    assert old_browser.get("/admin/").status_code == 200
    enrol(editor, clock)
    response = old_browser.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=%2Fadmin%2Farticles%2Farticle%2F"
    assert not logged_in(old_browser)


# An administrator resets a lost phone.


@pytest.fixture
def superuser_client(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="boss-pw-123")
    client = Client()
    client.force_login(boss)
    return client


def test_an_admin_resets_a_users_two_factor(superuser_client, editor, clock):
    enrol(editor, clock)
    users = superuser_client.get("/admin/auth/user/").content.decode()
    assert "Reset two-factor authentication" in users
    response = superuser_client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Two-factor authentication reset for 1 user" in response.content.decode()
    assert not twofactor.has_two_factor(editor)
    assert twofactor.recovery_codes_left(editor) == 0
    assert LogEntry.objects.filter(
        object_id=str(editor.pk), change_message__contains="two-factor"
    ).exists()
    assert log_in("ed", "ed-pw-123")[1].status_code == 302


def test_editors_cannot_reset_anyones_two_factor(editor_client, reporter, clock):
    enrol(reporter, clock)
    response = editor_client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [reporter.pk]},
    )
    assert response.status_code == 403
    assert twofactor.has_two_factor(reporter)


def test_device_secrets_are_not_browsable_in_the_admin(superuser_client):
    assert superuser_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert superuser_client.get("/admin/otp_static/staticdevice/").status_code == 404


# The setting that makes it compulsory.


def test_required_for_editors_when_the_setting_says_so(
    editor_client, editor, settings, clock
):
    settings.REQUIRE_2FA_FOR_EDITORS = True
    draft = ArticleFactory(draft=True)
    for url in ["/admin/", "/admin/articles/article/", f"/preview/{draft.pk}/"]:
        response = editor_client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(SETUP + "?next="), url
    page = editor_client.get(SETUP + "?next=/admin/articles/article/")
    assert "must use two-factor authentication" in page.content.decode()
    device = TOTPDevice.objects.get(user=editor)
    done = editor_client.post(
        SETUP, {"code": app_code(device), "next": "/admin/articles/article/"}
    )
    assert 'href="/admin/articles/article/"' in done.content.decode()
    assert editor_client.get("/admin/articles/article/").status_code == 200
    # Once set up it cannot be turned off.
    clock.shift(STEP)
    editor_client.post("/admin/two-factor/off/", {"current_code": app_code(device)})
    assert twofactor.has_two_factor(editor)


def test_the_requirement_covers_superusers_not_reporters(
    reporter_client, superuser_client, settings
):
    settings.REQUIRE_2FA_FOR_EDITORS = True
    assert reporter_client.get("/admin/").status_code == 200
    response = superuser_client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(SETUP)


def test_the_requirement_is_off_unless_set():
    from articles.tests.test_settings import run_python

    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.REQUIRE_2FA_FOR_EDITORS)"
    )
    assert run_python(code).stdout.strip() == "False"
    assert run_python(code, DJANGO_REQUIRE_2FA_FOR_EDITORS="1").stdout.strip() == "True"


def test_an_open_redirect_is_not_offered(editor_client):
    page = editor_client.get(STATUS + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in page


def test_create_demo_editor_makes_the_printed_login_work_again(clock, settings):
    """`make run` prints the demo logins: resetting them also clears a lockout and a
    two-factor app someone set up on the demo account."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("create_demo_editor")
    demo = get_user_model().objects.get(username="editor")
    enrol(demo, clock)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in("editor", "wrong")
    assert log_in("editor", "sahel-desk-editor")[1].status_code == 429
    call_command("create_demo_editor")
    assert log_in("editor", "sahel-desk-editor")[1].status_code == 302


def test_a_second_confirm_of_the_same_app_is_refused_not_a_crash(editor, clock):
    """Two clicks on Confirm: the first turns it on, the second has nothing to do."""
    device = twofactor.pending_authenticator(user=editor)
    code = app_code(device)
    assert twofactor.confirm_authenticator(user=editor, device=device, code=code)
    assert (
        twofactor.confirm_authenticator(user=editor, device=device, code=code) is None
    )
    assert twofactor.has_two_factor(editor)
