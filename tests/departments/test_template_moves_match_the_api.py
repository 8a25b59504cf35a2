"""Template loading moves nodes with the same action as the services behind the API: the same
moves, made once by reloading a changed spec and once through the API, give the same trees."""

import copy

import pytest
from rest_framework.test import APIClient

from departments.models import Department, Organization
from roles.models import Role
from roles.services import organization_clone, organization_delete
from roles.services.template_loading import template_load
from teamorg.trees import tree_integrity_errors
from tests.departments.template_spec import spec

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_real_startup_template():
    """These tests load their own small 'startup' spec in place of the real one."""
    existing = Organization.objects.filter(slug="startup").first()
    if existing:
        organization_delete(organization=existing, allow_template=True)


def shape(model, organization: Organization) -> list[tuple[str, str | None, int]]:
    """(code, parent's code, depth) of every node in tree order: sibling order included."""
    parent_attr = model._mptt_meta.parent_attr
    nodes = list(
        model.objects.filter(organization=organization)
        .select_related(parent_attr)
        .order_by("tree_id", "lft")
    )
    return [
        (node.code, getattr(getattr(node, parent_attr), "code", None), node.depth) for node in nodes
    ]


def moved_spec() -> dict:
    """The small spec with customer service made a top-level department (after management)
    and the customer-service agent reporting to the operations specialist."""
    changed = copy.deepcopy(spec())
    management = changed["departments"][0]
    service = next(d for d in management["children"] if d["code"] == "service")
    management["children"].remove(service)
    changed["departments"].append(service)
    agent = next(r for r in changed["roles"] if r["code"] == "service-agent")
    agent["reports_to"] = "operator"
    return changed


def test_template_loading_and_the_api_make_the_same_trees_from_the_same_moves(user):
    template, _ = template_load(spec())
    copy_of_template = organization_clone(source=template, owner=user, slug="acme-copy")
    assert shape(Department, copy_of_template) == shape(Department, template)

    template, changed = template_load(moved_spec())
    assert changed

    api = APIClient()
    api.force_authenticate(user)
    service = Department.objects.get(organization=copy_of_template, code="service")
    response = api.post(f"/api/v1/departments/{service.pk}/move/", {"parent": None}, format="json")
    assert response.status_code == 200, response.content
    agent = Role.objects.get(organization=copy_of_template, code="service-agent")
    operator = Role.objects.get(organization=copy_of_template, code="operator")
    response = api.post(
        f"/api/v1/roles/{agent.pk}/move/", {"reports_to": operator.pk}, format="json"
    )
    assert response.status_code == 200, response.content

    assert shape(Department, template) == [
        ("management", None, 0),
        ("operations", "management", 1),
        ("service", None, 0),
    ]
    assert shape(Department, copy_of_template) == shape(Department, template)
    assert shape(Role, copy_of_template) == shape(Role, template)
    assert ("service-agent", "operator", 2) in shape(Role, template)
    assert tree_integrity_errors(Department) == [] and tree_integrity_errors(Role) == []
