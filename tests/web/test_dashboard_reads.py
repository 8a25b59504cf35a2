"""The reads behind the dashboard and the new-organization page (`roles.selectors.dashboard`),
without HTTP."""

import pytest
from django.utils import translation

from departments import services as department_services
from departments.models import Organization
from roles.selectors.dashboard import copy_source, copy_sources, dashboard_for
from tests.factories import DepartmentFactory, OrganizationFactory, RoleFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_the_users_designs_with_counts_and_rights(user, other_user):
    mine = OrganizationFactory(owner=user, slug="mine")
    RoleFactory(department=DepartmentFactory(organization=mine))
    DepartmentFactory(organization=mine)
    shared = OrganizationFactory(owner=other_user, slug="shared")
    department_services.membership_set(organization=shared, user=user, role="viewer")
    OrganizationFactory(owner=other_user, slug="not-mine")

    board = dashboard_for(user)

    by_slug = {o.slug: o for o in board.organizations}
    assert set(by_slug) == {"mine", "shared"}
    assert (by_slug["mine"].department_count, by_slug["mine"].role_count) == (2, 1)
    assert (by_slug["mine"].can_edit, by_slug["shared"].can_edit) == (True, False)
    with translation.override("en"):
        assert str(by_slug["shared"].member_role_label) == "Viewer"
    # The latest change first: the membership change bumped "shared".
    assert [o.slug for o in board.recent] == ["shared", "mine"]


def test_recent_changes_are_the_five_latest(user):
    for number in range(7):
        OrganizationFactory(owner=user, slug=f"org-{number}")
    board = dashboard_for(user)
    assert [o.slug for o in board.recent] == [f"org-{n}" for n in (6, 5, 4, 3, 2)]


def test_templates_come_with_counts_and_previews(user, loaded_templates):
    board = dashboard_for(user)
    assert [t.slug for t in board.templates] == list(
        Organization.objects.filter(is_template=True).order_by("pk").values_list("slug", flat=True)
    )
    startup = next(t for t in board.templates if t.slug == "startup")
    assert startup.role_count == startup.roles.count() > 0
    assert startup.preview.departments and startup.preview.hiring_order


def test_copy_sources_are_the_templates_and_the_users_own(user, other_user, loaded_templates):
    OrganizationFactory(owner=user, slug="b-mine")
    OrganizationFactory(owner=user, slug="a-mine")
    OrganizationFactory(owner=other_user, slug="not-mine")
    sources = copy_sources(user)
    assert all(t.is_template for t in sources.templates) and len(sources.templates) == 5
    assert [o.slug for o in sources.own] == ["a-mine", "b-mine"]


def test_a_copy_source_must_be_visible_to_the_user(user, other_user, loaded_templates):
    OrganizationFactory(owner=other_user, slug="not-mine")
    OrganizationFactory(owner=user, slug="mine")
    assert copy_source(user, "mine").slug == "mine"
    assert copy_source(user, "startup").slug == "startup"
    assert copy_source(user, "not-mine") is None
    assert copy_source(user, "missing") is None
    assert copy_source(user, "") is None
