"""Brute force on the sign-in page and the token endpoint: past the configured limit of failures
a user name and an address are each locked (429, the password no longer checked), while other
users from other addresses still sign in; an admin unlocks with `axes_reset_username`.

Runs with the real limits (settings.AXES_FAILURE_LIMIT, default 10): the attempts are rows in
the test database, rolled back after each test, so no other test starts locked.
"""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/accounts/login/"

pytestmark = pytest.mark.django_db


def page_sign_in(client, username, password, address):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def token_sign_in(username, password, address):
    return APIClient().post(
        TOKEN_URL,
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_documented_limits_are_in_force():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_token_endpoint_locks_the_user_name_and_the_address(user):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        response = token_sign_in(user.username, f"guess-{attempt}", ATTACKER)
        assert response.status_code == 400, attempt
    # Under the limit the right password still works.
    assert token_sign_in(user.username, PASSWORD, ATTACKER).status_code == 200

    assert token_sign_in(user.username, "guess-last", ATTACKER).status_code == 429
    # Locked: even the right password is refused, with the reason and when to come back.
    locked = token_sign_in(user.username, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out" and "token" not in body
    assert "Too many failed sign-ins" in body["detail"]
    assert "ask an administrator" in body["detail"]
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()

    # The user name is locked from any address, the address for any user name.
    assert token_sign_in(user.username, PASSWORD, ELSEWHERE).status_code == 429
    other = UserFactory(username="colleague")
    assert token_sign_in(other.username, PASSWORD, ATTACKER).status_code == 429
    # Another user from another address is not affected.
    response = token_sign_in(other.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 200 and response.json()["token"]


def test_sign_in_page_locks_the_user_name_and_the_address(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        response = page_sign_in(client, user.username, f"guess-{attempt}", ATTACKER)
        assert response.status_code == 200, attempt  # the form again, with its error
    response = page_sign_in(client, user.username, "guess-last", ATTACKER)
    assert response.status_code == 429

    locked = page_sign_in(client, user.username, PASSWORD, ATTACKER)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed sign-ins for this user name or from this address" in page
    assert "15 minutes" in page
    assert "_auth_user_id" not in client.session

    assert page_sign_in(client, user.username, PASSWORD, ELSEWHERE).status_code == 429
    other = UserFactory(username="colleague")
    assert page_sign_in(client, other.username, PASSWORD, ATTACKER).status_code == 429
    response = page_sign_in(client, other.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 302 and response["Location"] == "/"


def test_failures_count_across_both_endpoints(client, user):
    """One count per user name whichever door the guesses use (and every worker shares it: it is
    the database's)."""
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit // 2):
        assert page_sign_in(client, user.username, f"page-{attempt}", ATTACKER).status_code == 200
    for attempt in range(limit - limit // 2 - 1):
        assert token_sign_in(user.username, f"api-{attempt}", ATTACKER).status_code == 400
    assert token_sign_in(user.username, "api-last", ATTACKER).status_code == 429
    assert AccessAttempt.objects.filter(username=user.username).exists()


def test_an_admin_unlocks_a_user_name(user):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        token_sign_in(user.username, f"guess-{attempt}", ATTACKER)
    assert token_sign_in(user.username, PASSWORD, ELSEWHERE).status_code == 429

    call_command("axes_reset_username", user.username, verbosity=0)

    assert token_sign_in(user.username, PASSWORD, ELSEWHERE).status_code == 200


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(user, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = APIClient()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # The attacker varies the part of X-Forwarded-For they control; the proxy appends theirs.
        client.post(
            TOKEN_URL,
            {"username": f"nobody-{attempt}", "password": "x"},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {ATTACKER}",
        )
    blocked = client.post(
        TOKEN_URL,
        {"username": user.username, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=ATTACKER,
    )
    assert blocked.status_code == 429
    # Everybody else behind the same proxy still signs in.
    allowed = client.post(
        TOKEN_URL,
        {"username": user.username, "password": PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert allowed.status_code == 200
