"""Guessing passwords is no longer a way to slow the server down for everybody: with 8
concurrent guessers (the attack run's number) on the token endpoint, a normal API read stays
within twice its usual time. Past the limit a guess is refused before its password is hashed,
so only the first failures per user name and address cost a hash.

Real hashing (Django's PBKDF2), real threads against the WSGI handler, committed rows (the
guessers' connections must see the user): a transactional test."""

import statistics
import threading
import time

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

GUESSERS = 8
GUESSES_EACH = 30
# Timer noise on a busy machine: a read of a few milliseconds may jitter by this much.
NOISE_SECONDS = 0.03


def timed_reads(client: APIClient, url: str, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timings.append(time.perf_counter() - started)
    return timings


def test_a_normal_read_stays_within_twice_its_time_while_passwords_are_guessed():
    owner = UserFactory(username="owner")
    OrganizationFactory(owner=owner, slug="acme")
    victim = UserFactory(username="victim")
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=owner).key}")
    url = "/api/v1/organizations/acme/"
    timed_reads(reader, url, 3)  # warm up
    alone = statistics.median(timed_reads(reader, url, 15))

    statuses: list[int] = []
    running = threading.Event()

    def guess(number: int) -> None:
        guesser = APIClient()
        running.wait()
        for attempt in range(GUESSES_EACH):
            response = guesser.post(
                "/api/v1/auth/token/",
                {"username": victim.username, "password": f"guess-{number}-{attempt}"},
                format="json",
                REMOTE_ADDR=f"203.0.113.{number + 1}",
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSERS)]
    for thread in threads:
        thread.start()
    running.set()
    during = []
    while any(thread.is_alive() for thread in threads):
        during += timed_reads(reader, url, 1)
    for thread in threads:
        thread.join()

    assert len(statuses) == GUESSERS * GUESSES_EACH
    # The user name is locked after the limit: nearly every guess was refused unhashed.
    assert statuses.count(429) >= len(statuses) - 2 * 10
    assert len(during) >= 5, "the guessing ended before it could be measured"
    assert statistics.median(during) <= 2 * alone + NOISE_SECONDS, (alone, during)
