"""Guessing passwords at the desk's door: a few failures lock the account and the
address for a while (django-axes), admins can read every failure, and a forged
X-Forwarded-For never changes whose address is counted."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from desk_security import throttle

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTACKER = "203.0.113.5"
EDITOR_HOME = "198.51.100.7"


def log_in(username, password, address=ATTACKER, client=None, **headers):
    client = client or Client()
    response = client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )
    return client, response


def logged_in(client):
    return "_auth_user_id" in client.session


def locked_out(response):
    return response.status_code == 429 and (
        "Too many failed logins" in response.content.decode()
    )


def fail(username, times, address=ATTACKER, **headers):
    return [log_in(username, "wrong", address, **headers)[1] for _ in range(times)]


def test_twenty_wrong_passwords_then_the_right_one_is_refused(editor, settings):
    """The attack from the report: 20 guesses in a row, then the real password."""
    answers = fail("ed", 20)
    assert [r.status_code for r in answers[: settings.AXES_FAILURE_LIMIT - 1]] == [
        200
    ] * (settings.AXES_FAILURE_LIMIT - 1)
    assert all(locked_out(r) for r in answers[settings.AXES_FAILURE_LIMIT - 1 :])
    client, response = log_in("ed", "ed-pw-123")
    assert locked_out(response)
    assert not logged_in(client)


def test_a_locked_account_refuses_the_right_password_from_anywhere(editor, settings):
    fail("ed", settings.AXES_FAILURE_LIMIT)
    client, response = log_in("ed", "ed-pw-123", address=EDITOR_HOME)
    assert locked_out(response)
    assert not logged_in(client)
    # The page is the login form again, saying what happened and what to do.
    page = response.content.decode()
    assert 'id="login-form"' in page
    assert "ask an administrator to unlock" in page
    assert "Please enter the correct username and password" not in page


def test_a_few_failures_are_forgiven(editor, settings):
    fail("ed", settings.AXES_FAILURE_LIMIT - 1)
    client, response = log_in("ed", "ed-pw-123")
    assert response.status_code == 302
    assert logged_in(client)


def test_another_account_from_another_address_is_unaffected(editor, reporter, settings):
    fail("ed", settings.AXES_FAILURE_LIMIT)
    client, response = log_in("rep", "rep-pw-123", address=EDITOR_HOME)
    assert response.status_code == 302
    assert logged_in(client)


def test_the_guessing_address_is_locked_for_every_account(editor, reporter, settings):
    """Trying one password on many accounts (spraying) trips the address lock."""
    for username in ["ed", "rep", "someone", "nobody", "admin"][
        : settings.AXES_FAILURE_LIMIT
    ]:
        log_in(username, "Sahel2024!")
    client, response = log_in("rep", "rep-pw-123")
    assert locked_out(response)
    # The same account from elsewhere still logs in: rep itself failed only once.
    client, response = log_in("rep", "rep-pw-123", address=EDITOR_HOME)
    assert response.status_code == 302


def test_changing_case_or_spaces_buys_no_more_guesses(editor, settings):
    spellings = ["ed", "ED", " Ed", "eD ", "ed"]
    for number in range(settings.AXES_FAILURE_LIMIT):
        address = f"192.0.2.{number + 1}"  # a new address each time, too
        log_in(spellings[number % len(spellings)], "wrong", address=address)
    client, response = log_in("ed", "ed-pw-123", address=EDITOR_HOME)
    assert locked_out(response)


def test_the_lockout_ends_after_the_cool_off(editor, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail("ed", settings.AXES_FAILURE_LIMIT)
        clock.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
        client, response = log_in("ed", "ed-pw-123", address=EDITOR_HOME)
        assert locked_out(response)
        clock.shift(timedelta(minutes=2))
        client, response = log_in("ed", "ed-pw-123", address=EDITOR_HOME)
        assert response.status_code == 302
        assert logged_in(client)


def test_an_attacker_who_keeps_guessing_stays_locked_out(editor, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail("ed", settings.AXES_FAILURE_LIMIT)
        for _ in range(3):
            clock.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
            # Each guess during the lockout starts the cool-off again.
            assert locked_out(log_in("ed", "wrong")[1])
        clock.shift(timedelta(minutes=2))
        assert locked_out(log_in("ed", "ed-pw-123", address=EDITOR_HOME)[1])
        clock.shift(settings.AXES_COOLOFF_TIME)
        assert log_in("ed", "ed-pw-123", address=EDITOR_HOME)[1].status_code == 302


def test_limit_and_cool_off_come_from_the_environment():
    from articles.tests.test_settings import run_python

    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME)"
    )
    default = run_python(code)
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["5", "0:15:00"]
    tuned = run_python(
        code, DJANGO_LOGIN_FAILURE_LIMIT="8", DJANGO_LOGIN_COOLOFF_MINUTES="60"
    )
    assert tuned.stdout.split() == ["8", "1:00:00"]


# Who reads the record of failures.


@pytest.fixture
def admin_client_(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password="boss-pw-123")
    client.force_login(boss)
    return client


def test_superusers_read_every_failure_in_the_admin(admin_client_, editor, settings):
    fail("ed", 2)
    failures = admin_client_.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200
    page = failures.content.decode()
    assert page.count(ATTACKER) >= 2
    attempts = admin_client_.get("/admin/axes/accessattempt/").content.decode()
    assert '<td class="field-username">ed</td>' in attempts
    assert f'<td class="field-ip_address">{ATTACKER}</td>' in attempts
    assert '<td class="field-failures_since_start">2</td>' in attempts
    # The password tried is never stored.
    from axes.models import AccessAttempt

    assert "wrong" not in AccessAttempt.objects.get().post_data


def test_editors_do_not_see_login_records(editor_client, editor):
    """Usernames and addresses of colleagues are not an editor's business, and a
    stolen editor session must not learn where everyone logs in from."""
    fail("rep", 1)
    for url in [
        "/admin/axes/accessattempt/",
        "/admin/axes/accessfailurelog/",
        "/admin/axes/accesslog/",
    ]:
        assert editor_client.get(url).status_code == 403, url
    assert "/admin/axes/" not in editor_client.get("/admin/").content.decode()


def test_axes_reset_unlocks_an_account(editor, settings):
    from django.core.management import call_command

    fail("ed", settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "ed")
    _, response = log_in("ed", "ed-pw-123", address=EDITOR_HOME)
    assert response.status_code == 302


# Whose address is counted.


def test_a_forged_forwarded_for_is_not_believed_without_a_proxy(
    editor, reporter, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = f"192.0.2.{number + 1}"
        log_in(f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=forged)
    _, response = log_in("rep", "rep-pw-123")
    assert locked_out(response)


def test_behind_a_trusted_proxy_each_client_counts_alone(editor, reporter, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for number in range(settings.AXES_FAILURE_LIMIT):
        # The attacker forges a leftmost entry; the proxy appends the real one.
        forged = f"192.0.2.{number + 1}, {ATTACKER}"
        log_in(f"guess{number}", "wrong", proxy, HTTP_X_FORWARDED_FOR=forged)
    _, response = log_in("rep", "rep-pw-123", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked_out(response)
    # An editor behind the same proxy is not the attacker.
    client, response = log_in(
        "rep", "rep-pw-123", proxy, HTTP_X_FORWARDED_FOR=EDITOR_HOME
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        (1, "10.0.0.2", "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.3", "192.0.2.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "10.0.0.3", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::"),
        (0, "::ffff:203.0.113.5", "", "203.0.113.5"),
    ],
)
def test_client_address(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert throttle.client_ip(request) == expected


def test_proxy_trust_follows_the_tls_setting_unless_told():
    from articles.tests.test_settings import run_python

    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.TRUSTED_PROXY_COUNT)"
    )
    assert run_python(code).stdout.strip() == "0"
    assert run_python(code, DJANGO_SECURE_SSL="1").stdout.strip() == "1"
    assert (
        run_python(
            code, DJANGO_SECURE_SSL="1", DJANGO_TRUSTED_PROXY_COUNT="2"
        ).stdout.strip()
        == "2"
    )


def test_code_may_still_authenticate_without_a_request(editor):
    """The shell, commands and tests call authenticate() with no request: nothing to
    throttle there, and the lockout backend must not break them."""
    from django.contrib.auth import authenticate

    assert authenticate(username="ed", password="ed-pw-123") == editor
