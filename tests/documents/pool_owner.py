"""A process that owns a handbook rendering pool, for tests/documents/test_render_server.py. It
is spawned, so this module imports nothing of the project before Django is set up."""

import os
import time


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def own_a_pool(pids) -> None:
    """Start a rendering pool, say which processes its workers are, then wait to be killed (as
    a Celery pool process past its hard time limit is)."""
    import django

    django.setup()
    from roles.documents import handbook

    pool = handbook.new_render_pool(2)
    # Both at once, so each runs in a worker of its own.
    for future in [pool.submit(pid_after, 1) for _ in range(2)]:
        pids.put(future.result())
    time.sleep(600)
