"""Deleting a whole organization: exactly what Django's cascade would delete, in a number of
queries that does not grow with the design (it was 31 at a few roles and 150 at 5,000)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from departments.models import Department, Invitation, Organization
from roles.models import ExportJob, Role
from roles.services import organization_clone, organization_delete, role_update
from teamorg.trees import tree_integrity_errors
from tests.benchmarks.synthetic import bulk_design
from tests.factories import UserFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def _design(owner, *, roles: int, slug: str) -> Organization:
    """A synthetic design with some of everything that hangs off an organization: history
    (a recorded write), an invitation, an export job."""
    organization = bulk_design(roles=roles, owner=owner, slug=slug)
    role_update(role=organization.roles.get(code="role-1"), title_zh="改过的岗位")
    Invitation.objects.create(
        organization=organization,
        address=f"invitee-{slug}",
        user=UserFactory(username=f"invitee-{slug}"),
        role="viewer",
        invited_by=owner,
        created_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    ExportJob.objects.create(
        organization=organization,
        kind="plan_xlsx",
        options={"lang": "en"},
        options_key=f"{slug}-key",
        revision=1,
        time_limit_seconds=60,
    )
    return Organization.objects.get(pk=organization.pk)


class _RolledBack(Exception):
    pass


def _snapshot_after(delete) -> dict:
    """Every row of every model after `delete()`, with the delete rolled back again."""
    snapshot = {}
    try:
        with transaction.atomic():
            delete()
            snapshot = database_snapshot()
            raise _RolledBack
    except _RolledBack:
        pass
    return snapshot


def test_an_organization_delete_removes_exactly_what_djangos_cascade_removes(user):
    doomed = _design(user, roles=40, slug="doomed")
    kept = _design(user, roles=30, slug="kept")
    # A copy remembers its source; the copy stays when the source goes.
    copy = organization_clone(source=doomed, owner=user)
    by_django = _snapshot_after(lambda: Organization.objects.get(pk=doomed.pk).delete())
    assert by_django  # the rollback trick worked

    organization_delete(organization=doomed)

    assert database_snapshot() == by_django
    assert not Organization.objects.filter(pk=doomed.pk).exists()
    assert Organization.objects.get(pk=copy.pk).cloned_from_id is None
    assert Role.objects.filter(organization=kept).count() == 30
    assert tree_integrity_errors(Department) == []
    assert tree_integrity_errors(Role) == []


def test_an_organization_delete_costs_the_same_number_of_queries_whatever_the_size(user):
    # 400 roles: 1,200 duties and 1,200 head-count targets, far past the batches of 100 rows
    # (and 999 parameters on SQLite) that made Django's collector grow with the design.
    small, large = _design(user, roles=12, slug="small"), _design(user, roles=400, slug="large")
    counts = []
    for organization in (small, large):
        with CaptureQueriesContext(connection) as queries:
            organization_delete(organization=organization)
        counts.append(len(queries))
        assert not Role.objects.filter(organization_id=organization.pk).exists()
    assert counts[0] == counts[1], counts
    assert counts[0] <= 35
