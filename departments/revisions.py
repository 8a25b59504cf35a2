"""The organization revision: bumped by every write inside an organization.

It is the cache key of rendered charts and the ETag of the API. A writer says which revision it
read (`expected_revision`); `departments.services.begin_write` bumps the revision without
comparing, and the history (`departments.history.recording`) refuses the write when it ends only
if it changed a field someone else changed since that revision (`EditConflict`). Template
loading, which records no history, still bumps with its own check here.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from departments.models import Organization
from teamorg.errors import StaleRevision


def organization_bump_revision(
    *, organization_id: int, expected_revision: int | None = None
) -> int:
    """Bump and return the revision inside the caller's transaction.

    The UPDATE both checks and bumps, so two writers that read the same revision cannot both
    pass: the second waits for the first's row lock, then finds the revision changed.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Bump the revision inside the write's transaction.")
    rows = Organization.objects.filter(pk=organization_id)
    if expected_revision is not None:
        rows = rows.filter(revision=expected_revision)
    updated = rows.update(revision=F("revision") + 1, updated_at=timezone.now())
    current = Organization.objects.filter(pk=organization_id).values_list("revision", flat=True)
    current_revision = current.first()
    if not updated:
        if current_revision is None:
            raise Organization.DoesNotExist(organization_id)
        raise StaleRevision(expected=expected_revision, current=current_revision)
    return current_revision
