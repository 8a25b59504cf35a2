import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from departments.models import Department, Organization
from roles.models import Role
from roles.services import organization_clone, organization_delete
from roles.services.template_loading import template_load
from teamorg.trees import tree_integrity_errors
from tests.departments.template_spec import spec, text
from tests.snapshots import database_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_real_startup_template():
    """These tests load their own small 'startup' spec in place of the real one."""
    existing = Organization.objects.filter(slug="startup").first()
    if existing:
        organization_delete(organization=existing, allow_template=True)


def test_loads_a_template_with_everything_in_it():
    organization, changed = template_load(spec())

    assert changed and organization.is_template
    assert organization.name_zh == "测试模板"
    assert [p.name_en for p in organization.phases.all()] == ["Launch", "Growth"]
    management = organization.departments.get(code="management")
    assert [d.code for d in management.get_children()] == ["operations", "service"]
    assert organization.departments.get(code="operations").functions_zh == "店铺运营\n活动策划"
    assert organization.departments.get(code="service").origin == "fill"
    operator = organization.roles.get(code="operator")
    assert operator.reports_to.code == "shop-manager"
    assert [r.code for r in operator.combinable_with.all()] == ["shop-manager"]
    assert operator.kpis.get().text_en == "Conversion rate"
    assert [(t.phase.name_en, t.min_count, t.max_count) for t in operator.headcount.all()] == [
        ("Launch", 0, 1),
        ("Growth", 2, 3),
    ]
    requirement = organization.roles.get(code="shop-manager").requirements.get()
    assert (requirement.kind, requirement.origin) == ("experience", "fill")
    collaboration = organization.collaborations.get()
    assert (collaboration.from_department.code, collaboration.to_department.code) == (
        "operations",
        "service",
    )
    assert tree_integrity_errors(Department) == [] and tree_integrity_errors(Role) == []


def test_loading_twice_leaves_the_data_identical():
    template_load(spec())
    before = database_snapshot()

    organization, changed = template_load(spec())

    assert not changed
    assert database_snapshot() == before  # same rows, same ids, same revision


def test_a_changed_spec_is_applied_in_place_keeping_ids():
    organization, _ = template_load(spec())
    operator_id = organization.roles.get(code="operator").pk
    changed_spec = spec()
    changed_spec["roles"][1]["title"] = text("高级运营", "Senior operator")
    changed_spec["roles"][2]["reports_to"] = "operator"  # a new reporting line
    changed_spec["departments"][0]["children"].reverse()  # new sibling order
    del changed_spec["roles"][1]["kpis"]

    organization, changed = template_load(changed_spec)

    assert changed
    operator = organization.roles.get(code="operator")
    assert operator.pk == operator_id and operator.title_zh == "高级运营"
    assert not operator.kpis.exists()
    assert organization.roles.get(code="service-agent").reports_to == operator
    management = organization.departments.get(code="management")
    assert [d.code for d in management.get_children()] == ["service", "operations"]
    assert tree_integrity_errors(Department) == [] and tree_integrity_errors(Role) == []
    _, changed_again = template_load(changed_spec)
    assert not changed_again


def test_nodes_removed_from_the_spec_are_removed():
    template_load(spec())
    smaller = spec()
    smaller["roles"] = smaller["roles"][:1]
    smaller["departments"][0]["children"] = []
    smaller["collaborations"] = []

    organization, _ = template_load(smaller)

    assert list(organization.roles.values_list("code", flat=True)) == ["shop-manager"]
    assert list(organization.departments.values_list("code", flat=True)) == ["management"]
    assert tree_integrity_errors(Department) == [] and tree_integrity_errors(Role) == []


def test_reloading_never_touches_organizations_cloned_from_the_template(user):
    template, _ = template_load(spec())
    clone = organization_clone(source=template, owner=user)
    clone_before = {
        "roles": list(Role.objects.filter(organization=clone).values_list()),
        "departments": list(Department.objects.filter(organization=clone).values_list()),
        "revision": Organization.objects.get(pk=clone.pk).revision,
    }
    changed_spec = spec()
    changed_spec["roles"][1]["title"] = text("高级运营", "Senior operator")
    template_load(changed_spec)

    assert clone_before == {
        "roles": list(Role.objects.filter(organization=clone).values_list()),
        "departments": list(Department.objects.filter(organization=clone).values_list()),
        "revision": Organization.objects.get(pk=clone.pk).revision,
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.update(slug="mine"), "slug 'mine' is not one of"),
        (lambda s: s["roles"][1].update(reports_to="nobody"), "is not a role listed before it"),
        (
            lambda s: s["roles"][1].update(department="nowhere"),
            "department 'nowhere' does not exist",
        ),
        (lambda s: s["roles"][1]["headcount"][0].update(min=3, max=1), "min 3 is above max 1"),
        (lambda s: s["roles"][1]["headcount"][0].update(min=-1), "must be a whole number ≥ 0"),
        (lambda s: s["roles"][1]["headcount"][0].update(phase="later"), "phase 'later' unknown"),
        (
            lambda s: s["roles"][1].update(title={"zh": "只有中文"}),
            "needs both Chinese and English",
        ),
        (lambda s: s["roles"][1].update(level="god"), "level 'god' is not one of"),
        (lambda s: s["roles"][1].update(combinable_with=["ghost"]), "combinable_with 'ghost'"),
        (lambda s: s["roles"].append(dict(s["roles"][0])), "code missing or used twice"),
        (
            lambda s: s["collaborations"][0].update(to_department="ghost"),
            "two existing departments",
        ),
        (
            lambda s: s["departments"][0]["children"][0].update(functions={"zh": ["a"], "en": []}),
            "lists of equal length",
        ),
    ],
)
def test_an_invalid_spec_is_refused_with_a_clear_message_and_changes_nothing(mutate, message):
    template_load(spec())
    bad = spec()
    mutate(bad)
    before = database_snapshot()

    with pytest.raises(ValidationError) as error:
        template_load(bad)

    assert message in error.value.messages[0]
    assert database_snapshot() == before


def test_a_user_organization_with_a_template_slug_is_not_overwritten(user):
    from departments.services import organization_create

    organization_create(name_en="Mine", slug="startup", owner=user)
    with pytest.raises(ValidationError) as error:
        template_load(spec())
    assert error.value.code == "slug_taken"


def test_the_command_refuses_unknown_template_names():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown template"):
        call_command("loadtemplates", "no-such-template")


def test_roles_listed_managers_first_but_not_depth_first_reload_unchanged():
    """The spec promises only that a manager comes before its reports."""
    listed = spec()
    listed["roles"].append(
        {
            "code": "operator-assistant",
            "department": "operations",
            "reports_to": "operator",  # listed after service-agent, a sibling of operator
            "title": text("运营助理", "Operations assistant"),
            "level": "assistant",
        }
    )
    organization, _ = template_load(listed)
    assert organization.roles.get(code="operator-assistant").reports_to.code == "operator"
    before = database_snapshot()

    _, changed = template_load(listed)

    assert not changed
    assert database_snapshot() == before
