"""Reads of export jobs: one job of an organization, its recent jobs, a finished file."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from departments.models import Organization
from roles.documents.pdf import PROGRESS_STEPS
from roles.models import ExportJob, ExportState

# A job queued this long (seconds) gets a notice on its page: it waits for a free worker, how
# long it has waited, and whom to ask if none comes (`TEAMORG_EXPORT_QUEUE_LIMIT_SECONDS`
# later it fails). Shorter waits are the ordinary start of a job and say only "waiting".
QUEUE_NOTICE_SECONDS = 20


def parse_job_id(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def export_job(organization: Organization, job_id) -> ExportJob | None:
    """The organization's job `job_id` without its file; None for a malformed id or a job of
    another organization (the two look the same from outside)."""
    parsed = parse_job_id(job_id)
    if parsed is None:
        return None
    return ExportJob.objects.defer("result").filter(organization=organization, pk=parsed).first()


def recent_export_jobs(organization: Organization) -> QuerySet[ExportJob]:
    """Newest first (the model's ordering); a week of them at most (the services prune)."""
    return ExportJob.objects.defer("result").filter(organization=organization)


def finished_file(organization: Organization, job_id) -> ExportJob | None:
    """The finished job `job_id` of the organization with its file, else None."""
    parsed = parse_job_id(job_id)
    if parsed is None:
        return None
    return ExportJob.objects.filter(
        organization=organization, pk=parsed, state=ExportState.DONE
    ).first()


def progress_percent(job: ExportJob) -> int:
    if job.state == ExportState.DONE:
        return 100
    if job.total <= 0:
        return 0
    return min(99, round(100 * job.done / job.total))


def step_label(job: ExportJob) -> str:
    """What the job is doing, in the active language ("" when it is not running)."""
    if job.state not in (ExportState.QUEUED, ExportState.RUNNING):
        return ""
    return str(PROGRESS_STEPS.get(job.step, ""))


def queued_seconds(job: ExportJob, *, now: datetime | None = None) -> int | None:
    """How long the job has waited for a worker, in whole seconds; None unless it is queued."""
    if job.state != ExportState.QUEUED:
        return None
    waited = (now or timezone.now()) - job.created_at
    return max(0, int(waited.total_seconds()))


def waited_label(seconds: int) -> str:
    """A wait in the active language: seconds up to two minutes, whole minutes beyond."""
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = seconds // 60
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
