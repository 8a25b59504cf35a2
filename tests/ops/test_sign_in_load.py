"""Guessing passwords is no longer a way to slow the server down for everybody. In the attack
run every guess cost a password hash (Django's PBKDF2, hundreds of milliseconds of CPU), so 8
guessers took the machine. Past the limit a guess is now refused before its password is
hashed: it costs about what a normal API read costs, and so cannot crowd the reads out.

Measured sequentially in one thread, so that the figures compare the work each request makes
and not how the test's own threads share the interpreter. Real hashing, real database rows."""

import statistics
import time

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
ROUNDS = 15
# Timer noise on a busy machine: a request of a few milliseconds may jitter by this much.
NOISE_SECONDS = 0.02


def seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def guess(password: str):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": "victim", "password": password},
        format="json",
        REMOTE_ADDR=ATTACKER,
    )


def test_a_guess_past_the_limit_costs_no_more_than_a_normal_read():
    owner = UserFactory(username="owner")
    OrganizationFactory(owner=owner, slug="acme")
    UserFactory(username="victim")
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")

    def read():
        assert reader.get("/api/v1/organizations/acme/").status_code == 200

    read()  # warm up
    reads = [seconds(read) for _ in range(ROUNDS)]

    # Under the limit each guess is checked, which costs a hash.
    hashed = []
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        started = time.perf_counter()
        assert guess(f"guess-{attempt}").status_code in (400, 429)
        hashed.append(time.perf_counter() - started)
    # Past it, every guess is refused unhashed.
    refused = []
    for attempt in range(ROUNDS):
        started = time.perf_counter()
        assert guess(f"later-{attempt}").status_code == 429
        refused.append(time.perf_counter() - started)

    read_time, refused_time = statistics.median(reads), statistics.median(refused)
    assert refused_time <= 2 * read_time + NOISE_SECONDS, (read_time, refused_time)
    # The contrast the limit makes: a checked guess is far dearer than a refused one.
    assert statistics.median(hashed) > 3 * refused_time, (hashed, refused_time)
