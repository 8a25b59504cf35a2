"""A local Redis for the tests that need one (the shared cache, Celery workers).

Where none answers they are skipped, except under `.ci/run`, which starts Redis and sets
TEAMORG_TEST_REQUIRE_REDIS=1: there a missing Redis fails them instead of hiding them."""

import os
import socket

import pytest

REDIS = ("127.0.0.1", 6379)
REQUIRED = os.environ.get("TEAMORG_TEST_REQUIRE_REDIS") == "1"


def redis_running() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not REQUIRED and not redis_running(),
    reason="needs a Redis server on 127.0.0.1:6379 and none answers here "
    "(.ci/run starts one and then requires it)",
)
