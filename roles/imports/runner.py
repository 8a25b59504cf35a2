"""Runs a large import in a spawned child process of the web process (as the embedded export
worker does, `roles.exports.runner`), so the request that asked for it answers at once and the
page shows the job's progress. A child that dies without finishing marks its job failed."""

from __future__ import annotations

import logging
import multiprocessing
import threading

from django.db import connections
from django.utils.translation import gettext as _

from roles.imports import child
from roles.imports.models import ImportJob, ImportState

logger = logging.getLogger(__name__)
# Far above the ten seconds a 5,000-role sheet takes; a child still running then is stuck.
TIME_LIMIT_SECONDS = 600


def dispatch(job_id) -> None:
    database = str(connections["default"].settings_dict["NAME"])
    threading.Thread(
        target=_watch, args=(str(job_id), database), name=f"import-{job_id}", daemon=True
    ).start()


def _watch(job_id: str, database: str) -> None:
    try:
        process = multiprocessing.get_context("spawn").Process(
            target=child.run, args=(job_id, database), name=f"teamorg-import-{job_id}"
        )
        process.start()
        process.join(TIME_LIMIT_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        if process.exitcode != 0:
            logger.error("import %s: worker exited with %s", job_id, process.exitcode)
            ImportJob.objects.filter(
                pk=job_id, state__in=[ImportState.QUEUED, ImportState.RUNNING]
            ).update(
                state=ImportState.FAILED,
                error=_("The import stopped unexpectedly; nothing was imported."),
            )
    finally:
        connections.close_all()
