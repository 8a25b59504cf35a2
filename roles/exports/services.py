"""Export jobs: request (or join) one, run one, notice the ones whose worker died or never came.

Every write to `ExportJob` is here. A job is the one answer for its organization, kind,
options and revision while it is queued, running or done (a partial unique constraint), so a
second request for the same thing joins the first, and a finished one is the cached result
until the design changes. A failed job leaves room for a retry.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from departments.models import Organization
from roles import charts
from roles.exports import runner
from roles.exports.kinds import export_kind
from roles.models import LIVE_EXPORT_STATES, ExportJob, ExportState

logger = logging.getLogger(__name__)

# A running job writes its progress at most this often (seconds), and always on a new step.
PROGRESS_INTERVAL = 0.5
# A job still running this long after its time limit lost its worker (killed, out of memory,
# the machine restarted): it is reported as failed, and a new request starts a new job.
STALE_GRACE = timedelta(seconds=60)
# Finished jobs (their files) are kept this long, and only the newest of each kind and options.
KEEP_FINISHED = timedelta(days=7)


class JobTimeLimit(BaseException):
    """The job ran past its time limit. A BaseException, like KeyboardInterrupt: code that
    guards one step with `except Exception` (a reader trying another encoding, WeasyPrint
    skipping a resource, a label falling back to the field name) must not swallow it and let
    the job run on to the end."""


def _options_key(kind: str, options: dict) -> str:
    return json.dumps({"kind": kind, **options}, sort_keys=True, ensure_ascii=False)


def live_job(organization: Organization, kind: str, options_key: str) -> ExportJob | None:
    return (
        ExportJob.objects.defer("result")
        .filter(
            organization=organization,
            kind=kind,
            options_key=options_key,
            revision=organization.revision,
            state__in=LIVE_EXPORT_STATES,
        )
        .first()
    )


def request_export(
    *, user, organization: Organization, kind: str, params: Mapping[str, str]
) -> tuple[ExportJob, bool]:
    """The job that makes `kind` of the organization's current revision with `params`, and
    whether it was created now (False: joined a queued or running one, or a finished one).
    A ValidationError naming the field for an unknown kind or malformed options, nothing
    written then."""
    export = export_kind(kind)
    options = export.parse(params)
    key = _options_key(kind, options)
    expire_stale_jobs(organization)
    existing = live_job(organization, kind, key)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                organization=organization,
                kind=kind,
                options=options,
                options_key=key,
                revision=organization.revision,
                time_limit_seconds=int(settings.TEAMORG_EXPORT_TIME_LIMIT_SECONDS),
                requested_by=user if getattr(user, "is_authenticated", False) else None,
                step="queued",
            )
    except IntegrityError:
        # Another request created the same job between our look and our insert: join it.
        existing = live_job(organization, kind, key)
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(
        lambda: runner.dispatch(job.pk, job.time_limit_seconds, on_lost=fail_lost_job)
    )
    _forget_old_jobs(organization)
    return job, True


def expire_stale_jobs(organization: Organization) -> int:
    """Mark failed the organization's jobs whose worker is gone or never came: a job no worker
    took within TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS (no worker running, or all of them busy),
    and a job still running well past its time limit. Called on every request for a job and
    every look at one, so a person watching a stuck job sees it fail. Returns how many."""
    now = timezone.now()
    queue_limit = timedelta(seconds=int(settings.TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS))
    never_taken: dict[str | None, list] = {}
    lost = []
    for job in ExportJob.objects.filter(
        organization=organization, state__in=(ExportState.QUEUED, ExportState.RUNNING)
    ).only("pk", "state", "options", "created_at", "started_at", "time_limit_seconds"):
        if job.state == ExportState.QUEUED:
            # Its own bound (600 s by default): the time limit counts from a worker's start.
            if job.created_at + queue_limit < now:
                never_taken.setdefault(job.options.get("lang"), []).append(job.pk)
            continue
        limit = timedelta(seconds=job.time_limit_seconds) + STALE_GRACE
        if (job.started_at or job.created_at) + limit < now:
            lost.append(job.pk)
    expired = 0
    for language, ids in never_taken.items():
        # In the language of the export, as run_export writes its failures. Only jobs still
        # queued: one a worker took meanwhile is running and left alone.
        with translation.override(language):
            expired += ExportJob.objects.filter(pk__in=ids, state=ExportState.QUEUED).update(
                state=ExportState.FAILED,
                error=_queue_limit_message(int(settings.TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS)),
                finished_at=now,
            )
    if lost:
        expired += ExportJob.objects.filter(pk__in=lost, state=ExportState.RUNNING).update(
            state=ExportState.FAILED,
            error=_("The worker stopped before the export was finished. Try again."),
            finished_at=now,
        )
    return expired


def _queue_limit_message(seconds: int) -> str:
    """Why a job no worker took failed, and what to do: in minutes when the limit is whole
    minutes (the default, 600 s), else in seconds."""
    if seconds >= 60 and seconds % 60 == 0:
        return ngettext(
            "No worker started the export within %(count)d minute. Try again; if it happens "
            "again, tell your administrator that the export worker may not be running.",
            "No worker started the export within %(count)d minutes. Try again; if it happens "
            "again, tell your administrator that the export worker may not be running.",
            seconds // 60,
        ) % {"count": seconds // 60}
    return ngettext(
        "No worker started the export within %(count)d second. Try again; if it happens "
        "again, tell your administrator that the export worker may not be running.",
        "No worker started the export within %(count)d seconds. Try again; if it happens "
        "again, tell your administrator that the export worker may not be running.",
        seconds,
    ) % {"count": seconds}


def _forget_old_jobs(organization: Organization) -> None:
    """Drop finished jobs older than KEEP_FINISHED; their files go with them."""
    ExportJob.objects.filter(
        organization=organization,
        state__in=(ExportState.DONE, ExportState.FAILED),
        finished_at__lt=timezone.now() - KEEP_FINISHED,
    ).delete()


class _Reporter:
    """Writes a running job's step and progress to its row, at most every PROGRESS_INTERVAL
    seconds (and at once on a new step); each write is also the job's heartbeat. Within a
    step the figures never go back: WeasyPrint lays pages out again from page 1 when a page
    number it printed changed (repagination), and the bar must not jump backwards."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.step = None
        self.done = self.total = 0
        self.written_at = 0.0

    def __call__(self, step: str, done: int = 0, total: int = 0) -> None:
        now = time.monotonic()
        if step == self.step:
            self.done, self.total = max(done, self.done), max(total, self.total)
            if now - self.written_at < PROGRESS_INTERVAL:
                return
        else:
            self.step, self.done, self.total = step, done, total
        self.written_at = now
        ExportJob.objects.filter(pk=self.job_id, state=ExportState.RUNNING).update(
            step=str(step)[:200],
            done=max(0, min(self.done, self.total)),
            total=max(0, self.total),
            heartbeat_at=timezone.now(),
        )


# After the first expiry the alarm repeats this often (or as often as the limit itself, if
# shorter): the first raise may land in a weakref finalizer or a C callback, where Python only
# prints it ("Exception ignored in ..."), and a one-shot timer would then let the job run on.
TIME_LIMIT_REPEAT_SECONDS = 1.0


@contextmanager
def time_limit(seconds: int):
    """Raise JobTimeLimit in this thread after `seconds`. Both workers run a job in a
    process's main thread (Celery's pool child, the embedded child), where SIGALRM can
    interrupt WeasyPrint or a wait on `dot`; elsewhere (a test calling `run_export` from a
    thread) the stale-job check and the worker's own limit stand in. Large imports
    (`roles.imports.services`) run under it too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise JobTimeLimit

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, min(float(seconds), TIME_LIMIT_REPEAT_SECONDS))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_export(job_id) -> None:
    """Run one queued job to its end: done with its file, or failed with a message a person
    can act on. Called by a worker; a job already taken by another worker is left alone."""
    now = timezone.now()
    taken = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, started_at=now, heartbeat_at=now, step=""
    )
    if not taken:
        return
    job = ExportJob.objects.defer("result").select_related("organization").get(pk=job_id)
    report = _Reporter(job.pk)
    try:
        with time_limit(job.time_limit_seconds):
            built = export_kind(job.kind).build(job.organization, job.options, report)
    except JobTimeLimit:
        # In the language of the export: the person who asked for it reads it.
        with translation.override(job.options.get("lang")):
            _fail(
                job,
                _("The export took longer than %(seconds)s seconds and was stopped.")
                % {"seconds": job.time_limit_seconds},
            )
        return
    except Exception as error:  # noqa: BLE001 - any failure must reach the person waiting
        logger.exception("export %s (%s of %s) failed", job.pk, job.kind, job.organization.slug)
        with translation.override(job.options.get("lang")):
            _fail(job, _failure_message(error))
        return
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).update(
            state=ExportState.DONE,
            result=built.content,
            size=len(built.content),
            filename=built.filename[:200],
            content_type=built.content_type,
            done=F("total"),
            step="",
            finished_at=timezone.now(),
        )
        # The newest file is the cache: older finished ones of the same kind and options go,
        # in the same transaction, so nobody sees two.
        ExportJob.objects.filter(
            organization_id=job.organization_id,
            kind=job.kind,
            options_key=job.options_key,
            state=ExportState.DONE,
            revision__lt=job.revision,
        ).delete()


def _failure_message(error: Exception) -> str:
    """What the person waiting reads: the error's own message where it was written for people
    (a chart too large to lay out, a malformed option), a general one otherwise (the details
    go to the log)."""
    if isinstance(error, charts.ChartError):
        return str(error)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ObjectDoesNotExist):
        return _("A department or role this export starts from no longer exists.")
    return _("The export failed. Try again; if it fails again, tell your administrator.")


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk, state=ExportState.RUNNING).update(
        state=ExportState.FAILED, error=message, finished_at=timezone.now()
    )


def fail_lost_job(job_id, message: str) -> None:
    """A worker process died without finishing the job (killed at its time limit, out of
    memory): say so on the job."""
    ExportJob.objects.filter(pk=job_id, state__in=(ExportState.QUEUED, ExportState.RUNNING)).update(
        state=ExportState.FAILED, error=message, finished_at=timezone.now()
    )
