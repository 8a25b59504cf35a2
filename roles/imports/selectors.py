"""Reads about an import job for its page and the API."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from roles.exports import selectors as export_selectors
from roles.imports.models import ImportJob, ImportState


def queued_seconds(job: ImportJob, *, now: datetime | None = None) -> int | None:
    """How long the job's apply has waited for a worker, in whole seconds; None unless it is
    queued. Counted from when the apply was queued, not from the upload (a job queued before
    that was recorded counts from its upload)."""
    if job.state != ImportState.QUEUED:
        return None
    waited = (now or timezone.now()) - (job.queued_at or job.created_at)
    return max(0, int(waited.total_seconds()))


def waiting_notice(job: ImportJob) -> str:
    """How long the job has waited, in words, once that is long enough to say so (the exports'
    QUEUE_NOTICE_SECONDS); else empty."""
    waited = queued_seconds(job)
    if waited is None or waited < export_selectors.QUEUE_NOTICE_SECONDS:
        return ""
    return export_selectors.waited_label(waited)
