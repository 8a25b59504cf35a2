"""An import in progress: the uploaded file, the user's column mapping, its preview and, when it
runs in the background, its progress. Registered with the `roles` app by `roles.models`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    PREVIEWED = "previewed", _("previewed")
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One uploaded spreadsheet and what became of it. The file stays in the database (not on
    a disk) so that every web process and every worker reads the same bytes; it is deferred
    when only the state is wanted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "departments.Organization", on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    # The revision the preview was made at; applying at another revision is refused.
    revision = models.PositiveBigIntegerField()
    preview = models.JSONField(default=dict, blank=True)
    problems = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=ImportState, default=ImportState.PREVIEWED)
    step = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    applied_revision = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the apply was handed to a worker (the upload, `created_at`, may be long before: the
    # person reads the preview first) and when a worker took it. The queue limit counts from
    # the one, the time limit from the other (`services.import_jobs_expire_stale`). Null on
    # jobs applied while the request waited, and on jobs from before they were recorded.
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "roles"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.filename} into {self.organization_id} ({self.state})"
