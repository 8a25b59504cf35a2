"""Deleting a whole subtree: a department with everything under it and the roles in it, or a
role with everyone who reports to it. One transaction, the revision bumped once, nothing
half-deleted, roles elsewhere lifted to their nearest surviving manager."""

import pytest

from departments.models import Department
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Role
from roles.services import collaboration_create, role_create, role_update
from roles.services.designs import department_delete_subtree, role_delete_subtree
from teamorg.errors import StaleRevision
from teamorg.trees import tree_integrity_errors
from tests.factories import OrganizationFactory, department_path, role_chain
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


def _role(organization, department, title, manager=None, **extra):
    return role_create(
        organization=organization,
        department=department,
        reports_to=manager,
        title_zh=title,
        title_en=title,
        **extra,
    )


@pytest.fixture
def design(organization):
    """总经办: CEO. 运营中心 > 客服部 > 售后组, 市场部.
    CEO > 运营总监 (运营中心) > 客服主管 (客服部) > 售后专员 (售后组), 市场经理 (市场部)
    > 市场专员 (市场部)."""
    office = department_path(organization, "总经办")
    operations = department_path(organization, "运营中心")
    service = department_path(organization, "运营中心 > 客服部")
    aftersales = department_path(organization, "运营中心 > 客服部 > 售后组")
    marketing = department_path(organization, "市场部")
    phase = organization.phases.first()
    ceo = _role(organization, office, "CEO")
    director = _role(organization, operations, "运营总监", ceo)
    lead = _role(
        organization,
        service,
        "客服主管",
        director,
        duties=[{"text_zh": "带团队"}],
        kpis=[{"text_zh": "满意度"}],
        headcount=[{"phase": phase.pk, "min": 1, "max": 2}],
    )
    agent = _role(organization, aftersales, "售后专员", lead)
    market_manager = _role(organization, marketing, "市场经理", lead)
    market_specialist = _role(organization, marketing, "市场专员", market_manager)
    role_update(role=lead, combinable_with=[ceo])
    kept_line = collaboration_create(
        organization=organization, from_role=market_manager, to_role=ceo, description_zh="周报"
    )
    gone_lines = [
        collaboration_create(
            organization=organization, from_department=service, to_department=marketing
        ),
        collaboration_create(organization=organization, from_role=lead, to_role=ceo),
    ]
    organization.refresh_from_db()
    return {
        "organization": organization,
        "office": office,
        "operations": operations,
        "service": service,
        "aftersales": aftersales,
        "marketing": marketing,
        "ceo": ceo,
        "director": director,
        "lead": lead,
        "agent": agent,
        "market_manager": market_manager,
        "market_specialist": market_specialist,
        "kept_line": kept_line,
        "gone_lines": gone_lines,
    }


def _titles(organization):
    return sorted(Role.objects.filter(organization=organization).values_list("title_zh", flat=True))


def _names(organization):
    return sorted(
        Department.objects.filter(organization=organization).values_list("name_zh", flat=True)
    )


def test_a_department_subtree_goes_with_its_roles_and_lifts_roles_elsewhere(design):
    organization = design["organization"]
    before = organization.revision
    lead_pk = design["lead"].pk

    result = department_delete_subtree(department=design["operations"], expected_revision=before)

    assert (result.departments, result.roles) == (3, 3)
    assert result.lifted_roles == [design["market_manager"].pk]
    assert _names(organization) == sorted(["市场部", "总经办"])
    assert _titles(organization) == sorted(["CEO", "市场专员", "市场经理"])
    # The marketing manager reported to the deleted 客服主管: now to the nearest survivor, the
    # CEO, with its own report still under it.
    manager = Role.objects.get(pk=design["market_manager"].pk)
    assert manager.reports_to_id == design["ceo"].pk
    assert Role.objects.get(pk=design["market_specialist"].pk).reports_to_id == manager.pk
    # Lines, head count, collaboration lines and combinations of the deleted roles are gone.
    assert not Duty.objects.filter(role_id=lead_pk).exists()
    assert not KPI.objects.filter(role_id=lead_pk).exists()
    assert not HeadcountTarget.objects.filter(role_id=lead_pk).exists()
    assert list(Collaboration.objects.filter(organization=organization)) == [design["kept_line"]]
    assert list(Role.objects.get(pk=design["ceo"].pk).combinable_with.all()) == []
    organization.refresh_from_db()
    assert organization.revision == before + 1
    assert tree_integrity_errors(Department) == []
    assert tree_integrity_errors(Role) == []


def test_deleting_the_department_of_the_top_role_makes_survivors_top_roles(design):
    organization = design["organization"]
    department_delete_subtree(department=design["office"])

    assert _titles(organization) == sorted(
        ["客服主管", "市场专员", "市场经理", "售后专员", "运营总监"]
    )
    director = Role.objects.get(pk=design["director"].pk)
    assert director.reports_to_id is None
    assert [r.title_zh for r in director.get_descendants()] == [
        "客服主管",
        "售后专员",
        "市场经理",
        "市场专员",
    ]
    assert tree_integrity_errors(Role) == []
    assert tree_integrity_errors(Department) == []


def test_a_sub_department_subtree_keeps_its_parent_and_siblings(design):
    organization = design["organization"]
    department_delete_subtree(department=design["service"])
    assert _names(organization) == sorted(["市场部", "总经办", "运营中心"])
    assert _titles(organization) == sorted(["CEO", "市场专员", "市场经理", "运营总监"])
    assert Role.objects.get(pk=design["market_manager"].pk).reports_to_id == design["director"].pk
    assert tree_integrity_errors(Department) == []
    assert tree_integrity_errors(Role) == []


def test_a_role_subtree_goes_whatever_the_departments(design):
    organization = design["organization"]
    before = organization.revision
    result = role_delete_subtree(role=design["director"], expected_revision=before)

    assert result.roles == 5
    assert _titles(organization) == ["CEO"]
    # Departments stay, even the ones that are now empty.
    assert _names(organization) == sorted(["客服部", "售后组", "市场部", "总经办", "运营中心"])
    assert not Collaboration.objects.filter(
        organization=organization, from_role__isnull=False
    ).exists()
    organization.refresh_from_db()
    assert organization.revision == before + 1
    assert tree_integrity_errors(Role) == []


def test_a_refused_subtree_delete_changes_nothing(design):
    organization = design["organization"]
    stale = organization.revision - 1
    before = database_snapshot()
    with pytest.raises(StaleRevision):
        department_delete_subtree(department=design["operations"], expected_revision=stale)
    with pytest.raises(StaleRevision):
        role_delete_subtree(role=design["director"], expected_revision=stale)
    assert database_snapshot() == before


def test_other_organizations_keep_their_trees(design, user):
    other = OrganizationFactory(owner=user)
    office = department_path(other, "总部 > 运营")
    role_chain(other, office, "老板 > 经理 > 专员")
    department_delete_subtree(department=design["operations"])
    assert _titles(other) == sorted(["专员", "经理", "老板"])
    assert _names(other) == sorted(["总部", "运营"])
    assert tree_integrity_errors(Department) == []
    assert tree_integrity_errors(Role) == []
