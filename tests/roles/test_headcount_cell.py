"""One cell of the head-count grid: `headcount_set` and `headcount_clear`."""

import pytest
from django.core.exceptions import ValidationError

from roles.models import HeadcountTarget
from roles.services import role_update
from roles.services.headcount import headcount_clear, headcount_set
from teamorg.errors import StaleRevision
from tests.factories import OrganizationFactory, RoleFactory
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def phases(organization):
    return list(organization.phases.order_by("order"))


@pytest.fixture
def role(organization, phases):
    role = RoleFactory(department__organization=organization)
    return role_update(
        role=role,
        headcount=[
            {"phase": phases[0].pk, "min": 1, "max": 2},
            {
                "phase": phases[1].pk,
                "min": 3,
                "max": 5,
                "origin": "seed",
                "source_note": "article 7",
            },
        ],
    )


def _targets(role):
    return [
        (t.phase_id, t.min_count, t.max_count, t.origin, t.source_note)
        for t in HeadcountTarget.objects.filter(role=role).order_by("phase__order")
    ]


def _revision(organization):
    organization.refresh_from_db()
    return organization.revision


def test_clearing_a_cell_removes_that_phase_only(role, phases, organization):
    before = _revision(organization)
    headcount_clear(role=role, phase=phases[0], expected_revision=before)
    assert _targets(role) == [(phases[1].pk, 3, 5, "seed", "article 7")]
    assert _revision(organization) == before + 1


def test_both_bounds_empty_clears_the_cell(role, phases):
    assert headcount_set(role=role, phase=phases[1], min_count=None, max_count=None) is None
    assert _targets(role) == [(phases[0].pk, 1, 2, "user", "")]


def test_only_at_least_means_exactly_that_many(role, phases):
    target = headcount_set(role=role, phase=phases[2], min_count=4, max_count=None)
    assert (target.min_count, target.max_count) == (4, 4)


def test_only_at_most_means_from_none_up_to_it(role, phases):
    headcount_set(role=role, phase=phases[0], min_count=None, max_count=6)
    assert _targets(role)[0] == (phases[0].pk, 0, 6, "user", "")


def test_setting_a_range_changes_the_cell_and_bumps_the_revision(role, phases, organization):
    before = _revision(organization)
    headcount_set(role=role, phase=phases[0], min_count=8, max_count=10, expected_revision=before)
    assert _targets(role)[0] == (phases[0].pk, 8, 10, "user", "")
    assert _revision(organization) == before + 1


def test_an_inverted_range_is_refused_and_nothing_changes(role, phases):
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        headcount_set(role=role, phase=phases[0], min_count=5, max_count=2)
    assert refused.value.error_dict["headcount"][0].code == "inverted_headcount"
    assert database_snapshot() == before


def test_another_organizations_phase_is_refused(role, other_user):
    foreign = OrganizationFactory(owner=other_user).phases.first()
    before = database_snapshot()
    with pytest.raises(ValidationError) as refused:
        headcount_clear(role=role, phase=foreign)
    assert refused.value.error_dict["headcount"][0].code == "unknown_phase"
    assert database_snapshot() == before


def test_a_stale_clear_is_refused_and_nothing_changes(role, phases, organization):
    stale = _revision(organization) - 1
    before = database_snapshot()
    with pytest.raises(StaleRevision):
        headcount_set(
            role=role, phase=phases[0], min_count=None, max_count=None, expected_revision=stale
        )
    assert database_snapshot() == before
