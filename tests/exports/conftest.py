import time

import pytest
from rest_framework.test import APIClient

from tests.benchmarks.synthetic import bulk_design

# How long a test waits for a job before it fails: a cold child process (Django, WeasyPrint)
# and a handbook of a few dozen roles on a busy two-core machine.
JOB_WAIT_SECONDS = 180


@pytest.fixture
def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def design(user):
    """A design of 30 roles in 3 departments: its handbook takes a few seconds to lay out,
    long enough to watch its progress."""
    return bulk_design(roles=30, owner=user, slug="shop")


def wait_for_job(client, url: str, *, timeout: float = JOB_WAIT_SECONDS) -> tuple[dict, list]:
    """Poll the job until it is done or failed (asking in English); the job as JSON and every
    (state, done, total, percent, step) seen on the way."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
        seen.append((body["state"], body["done"], body["total"], body["percent"], body["step"]))
        if body["state"] in ("done", "failed"):
            return body, seen
        if time.monotonic() > deadline:
            raise AssertionError(f"the job did not finish in {timeout} s: {seen[-5:]}")
        time.sleep(0.1)
