"""Comparison of a clone with its source after known edits, and of two phases."""

import pytest
from django.urls import reverse

from departments import services as department_services
from departments.models import Department, Organization
from roles import services as role_services
from roles.models import Role
from roles.planning.compare import compare_designs, compare_phases
from tests.factories import UserFactory


@pytest.fixture
def source(organization, make_role):
    ceo = make_role("总经办", "总经理", [(1, 1)] * 3, code="ceo")
    ops = make_role("运营部", "运营经理", [(1, 1)] * 3, reports_to=ceo, code="ops-manager")
    make_role("运营部", "运营专员", [(1, 2), (2, 3), (3, 4)], reports_to=ops, code="ops")
    make_role("客服部", "客服专员", [(1, 1), (2, 2), (3, 3)], reports_to=ceo, code="cs")
    make_role("财务部", "会计", [(0, 0), (1, 1), (1, 1)], reports_to=ceo, code="accountant")
    return Organization.objects.get(pk=organization.pk)


def test_compare_a_clone_after_known_edits(source, user):
    clone = role_services.organization_clone(source=source, owner=user, slug="acme-2")
    role = {r.code: r for r in Role.objects.filter(organization=clone)}
    phases = list(clone.phases.order_by("order"))
    # Known edits: a new department and role, a removed role, a move, a retitle, more people.
    design = department_services.department_create(
        organization=clone, parent=None, name_zh="设计部", name_en="Design", code="design"
    )
    role_services.role_create(
        organization=clone, department=design, reports_to=role["ceo"], code="designer",
        title_zh="美工", title_en="Designer",
        headcount=[{"phase": p.pk, "min": 1, "max": 1} for p in phases],
    )  # fmt: skip
    role_services.role_delete(role=role["accountant"])
    role_services.role_move(role=role["cs"], target=role["ops-manager"])
    role_services.role_update(role=role["ops"], title_zh="电商运营专员")
    role_services.role_set_headcount(role=role["cs"], phase=phases[2], min_count=5, max_count=6)

    comparison = compare_designs(source, Organization.objects.get(pk=clone.pk))
    changes = {(c.kind, c.change, c.code) for c in comparison.changes}
    assert changes == {
        ("department", "added", "design"),
        ("role", "added", "designer"),
        ("role", "removed", "accountant"),
        ("role", "moved", "cs"),
        ("role", "retitled", "ops"),
    }
    retitled = next(c for c in comparison.changes if c.change == "retitled")
    assert (retitled.before, retitled.after) == ("运营专员", "电商运营专员")
    deltas = {d.label: d for d in comparison.departments}
    assert [(r.min, r.max) for r in deltas["客服部"].delta] == [(0, 0), (0, 0), (2, 3)]
    assert [(r.min, r.max) for r in deltas["财务部"].delta] == [(0, 0), (-1, -1), (-1, -1)]
    assert deltas["设计部"].status == "added"
    assert [(r.min, r.max) for r in comparison.totals_delta] == [(1, 1), (0, 0), (2, 3)]
    assert not deltas["运营部"].changed


def test_compare_an_untouched_clone_finds_no_change(source, user):
    clone = role_services.organization_clone(source=source, owner=user, slug="acme-3")
    comparison = compare_designs(source, clone)
    assert comparison.changes == []
    assert not any(d.changed for d in comparison.departments)


def test_moved_and_renamed_departments(source, user):
    clone = role_services.organization_clone(source=source, owner=user, slug="acme-4")
    finance = Department.objects.get(organization=clone, name_zh="财务部")
    head = Department.objects.get(organization=clone, name_zh="总经办")
    department_services.department_move(department=finance, target=head, position="last-child")
    department_services.department_update(
        department=Department.objects.get(pk=finance.pk), name_zh="财务中心"
    )
    changes = {(c.change, c.label) for c in compare_designs(source, clone).changes}
    assert changes == {("moved", "财务中心"), ("retitled", "财务中心")}


def test_compare_two_phases_of_one_design(source, phases):
    comparison = compare_phases(source, phases[0], phases[2])
    changes = {(c.code, c.change, c.before, c.after) for c in comparison.changes}
    assert changes == {
        ("ops", "grew", "1–2", "3–4"),
        ("cs", "grew", "1", "3"),
        ("accountant", "added", "0", "1"),
    }
    assert [(r.min, r.max) for r in comparison.totals_delta] == [(5, 5)]


def test_compare_page_and_api_defaults_to_the_source_of_a_clone(client, source, user):
    clone = role_services.organization_clone(source=source, owner=user, slug="acme-5")
    client.force_login(user)
    page = client.get(reverse("plan:compare", args=[clone.slug]))
    assert page.status_code == 200 and "svg" in page.content.decode()
    data = client.get(reverse("plan:api-compare", args=[clone.slug])).json()
    assert data["base"]["slug"] == "acme" and data["changes"] == []


def test_compare_refuses_bad_arguments_and_hides_unreadable_designs(client, source, phases):
    stranger = UserFactory(username="stranger")
    private = department_services.organization_create(name_zh="别人的", owner=stranger)
    client.force_login(source.created_by)
    api = reverse("plan:api-compare", args=["acme"])
    assert client.get(api, {"with": private.slug}).status_code == 404
    assert client.get(api, {"with": "no-such"}).status_code == 404
    response = client.get(api, {"phase_a": phases[0].pk, "phase_b": "x"})
    assert response.status_code == 400 and "phase_b" in response.json()["errors"]
    other_phase = private.phases.first()
    response = client.get(api, {"phase_a": phases[0].pk, "phase_b": other_phase.pk})
    assert response.status_code == 400
    response = client.get(api, {"with": "acme", "phase_a": phases[0].pk})
    assert response.status_code == 400
    assert client.get(api).status_code == 400  # not a clone, nothing given
    page = client.get(reverse("plan:compare", args=["acme"]), {"phase_a": "x", "phase_b": "1"})
    assert page.status_code == 400 and "本组织没有这个阶段" in page.content.decode()
    ok = client.get(api, {"phase_a": phases[0].pk, "phase_b": phases[1].pk})
    assert ok.status_code == 200 and ok.json()["mode"] == "phases"


def test_phase_ids_that_are_not_plain_numbers_are_a_400(client, source, phases):
    """ "²" passes str.isdigit but not int(); a 5,000-digit number passes both but fits no
    column: each is "no such phase", never a 500."""
    client.force_login(source.created_by)
    api = reverse("plan:api-compare", args=["acme"])
    page = reverse("plan:compare", args=["acme"])
    for bad in ("²", "٣", "9" * 5000, "-1", "0"):
        response = client.get(api, {"phase_a": bad, "phase_b": phases[1].pk})
        assert response.status_code == 400 and "phase_a" in response.json()["errors"], bad
        assert client.get(page, {"phase_a": bad, "phase_b": phases[1].pk}).status_code == 400
