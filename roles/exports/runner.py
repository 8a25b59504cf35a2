"""Hands a job to a worker: Celery on Redis when `CELERY_BROKER_URL` is set (any number of
worker processes on any machines), otherwise a child process of the web process, so that
`make run` needs no Redis and no second command. Export jobs and large spreadsheet imports
(`roles.imports`) both run this way: a `JobTask` names the Celery task and the function the
embedded child calls with the job's id.

The embedded worker runs each job in a fresh process (spawned, not forked: a forked copy of a
threaded web server can inherit a held lock), at most TEAMORG_EMBEDDED_EXPORT_WORKERS at a
time, so a long render never holds the web process's interpreter; a watcher thread kills a
child that outlives its job's time limit and reports the job as failed.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_lazy

from roles.exports import child
from teamorg.celery import app as celery_app

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobTask:
    name: str  # the Celery task (its module is autodiscovered by `teamorg.celery`)
    function: str  # the dotted path the embedded child calls with the job id
    lost_message: object  # lazy: what the job says when its worker process died


TASK_NAME = "teamorg.run_export"
EXPORT = JobTask(
    TASK_NAME,
    "roles.exports.services.run_export",
    gettext_lazy("The export stopped unexpectedly (it may have needed too much memory)."),
)
# The watcher gives a child this long past its time limit to report it before killing it.
KILL_GRACE_SECONDS = 30

_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


# Told when a worker process died without finishing its job: (job id, message).
LostJobCallback = Callable[[str, str], None]


def dispatch(
    job_id, time_limit_seconds: int, on_lost: LostJobCallback, task: JobTask = EXPORT
) -> None:
    """Start the job on the configured worker. With Celery configured but its broker
    unreachable, the job runs on the embedded worker rather than not at all (logged)."""
    if settings.CELERY_BROKER_URL:
        try:
            _send_to_celery(job_id, time_limit_seconds, task)
            return
        except Exception:  # noqa: BLE001 - kombu raises many kinds of connection errors
            logger.exception("could not queue %s %s on Celery; running it here", task.name, job_id)
    _start_embedded(job_id, time_limit_seconds, on_lost, task)


def _send_to_celery(job_id, time_limit_seconds: int, task: JobTask) -> None:
    # Celery's own hard limit is a backstop behind the job's SIGALRM limit
    # (roles.exports.services): it kills the pool process, and the job is then reported as
    # stale by the next look at it.
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        # One quick try: an unreachable broker must not hold the request (kombu's default is
        # to retry for seconds); the job then runs here instead.
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        celery_app.send_task(
            task.name,
            args=[str(job_id)],
            task_id=str(job_id),  # the worker's log names the job
            connection=connection,
            queue=settings.TEAMORG_EXPORT_QUEUE,
            time_limit=time_limit_seconds + KILL_GRACE_SECONDS,
            retry=False,
        )


def _embedded_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(settings.TEAMORG_EMBEDDED_EXPORT_WORKERS)
        return _slots


def _start_embedded(
    job_id, time_limit_seconds: int, on_lost: LostJobCallback, task: JobTask
) -> None:
    # The child opens the database this process uses (in tests, the test database).
    database = connections["default"].settings_dict["NAME"]
    watcher = threading.Thread(
        target=_watch,
        args=(str(job_id), str(database), time_limit_seconds, on_lost, task),
        name=f"job-{job_id}",
        daemon=True,
    )
    watcher.start()


def _watch(
    job_id: str, database: str, time_limit_seconds: int, on_lost: LostJobCallback, task: JobTask
) -> None:
    try:
        with _embedded_slots():
            process = multiprocessing.get_context("spawn").Process(
                target=child.run,
                args=(task.function, job_id, database),
                name=f"teamorg-job-{job_id}",
            )
            process.start()
            process.join(time_limit_seconds + KILL_GRACE_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()
        if process.exitcode != 0:
            on_lost(job_id, str(task.lost_message))
    finally:
        connections.close_all()
