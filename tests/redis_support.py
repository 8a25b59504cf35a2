"""A local Redis for the tests that need one (the shared cache, Celery workers).

Where none answers they are skipped, except under `.ci/run`, which starts Redis and sets
TEAMORG_TEST_REQUIRE_REDIS=1: there a missing Redis fails them instead of hiding them."""

import os
import socket
from contextlib import contextmanager

import pytest
import redis
from django.test import override_settings

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


@contextmanager
def idle_celery_queue(db: int, queue: str):
    """Celery's broker set to Redis database `db` and the export queue to `queue`, where no
    worker listens: a job sent there stays queued. Yields a connection to that database to look
    at the queue; the queue is emptied before and after."""
    connection = redis.Redis(host=REDIS[0], port=REDIS[1], db=db)
    connection.delete(queue)
    broker = f"redis://{REDIS[0]}:{REDIS[1]}/{db}"
    try:
        with override_settings(CELERY_BROKER_URL=broker, TEAMORG_EXPORT_QUEUE=queue):
            yield connection
    finally:
        connection.delete(queue)
        connection.close()
