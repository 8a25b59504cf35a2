"""A department's head count (部门定编) in the REST API: read beside its roles' sum in the
department endpoints and the tree (also at a past revision), written by PATCH and POST,
refused with a 400 that changes nothing (issue 20)."""

import pytest

from departments.models import DepartmentHeadcount, Organization
from roles import services as role_services

pytestmark = pytest.mark.django_db


def phase_ids(organization):
    return list(organization.phases.order_by("order").values_list("pk", flat=True))


def find(nodes, pk):
    for node in nodes:
        if node["id"] == pk:
            return node
        if (found := find(node["children"], pk)) is not None:
            return found
    return None


def test_patch_sets_it_and_every_read_shows_it_beside_the_roles(api, design):
    organization = design["organization"]
    launch, growth, mature = phase_ids(organization)
    role_services.role_set_headcount(
        role=design["clerk"], phase=organization.phases.get(pk=launch), min_count=2, max_count=3
    )
    url = f"/api/v1/departments/{design['center'].pk}/"
    body = {"headcount": [{"phase": launch, "min": 7}, {"phase": growth, "min": 17, "max": 20}]}
    response = api.patch(url, body, format="json")
    assert response.status_code == 200, response.json()
    expected = [{"phase": launch, "min": 7, "max": 7}, {"phase": growth, "min": 17, "max": 20}]
    # The centre's roles are in its sub-department 客服部 (CEO, 客服主管 and 客服专员).
    roles = [
        {"phase": launch, "min": 2, "max": 3},
        {"phase": growth, "min": 0, "max": 0},
        {"phase": mature, "min": 0, "max": 0},
    ]
    assert response.json()["headcount"] == expected
    assert response.json()["roles_headcount"] == roles
    assert api.get(url).json()["headcount"] == expected
    listed = api.get("/api/v1/departments/?organization=acme").json()["results"]
    assert next(d for d in listed if d["id"] == design["center"].pk)["headcount"] == expected
    tree = api.get("/api/v1/organizations/acme/tree/").json()
    centre = find(tree["departments"], design["center"].pk)
    assert centre["headcount"] == expected and centre["roles_headcount"] == roles
    assert find(tree["departments"], design["service"].pk)["headcount"] == []
    # The history's tree of that revision says the same; the one before has none.
    revision = tree["revision"]
    at = api.get(f"/api/v1/organizations/acme/history/{revision}/").json()
    assert find(at["departments"], design["center"].pk)["headcount"] == expected
    before = api.get(f"/api/v1/organizations/acme/history/{revision - 1}/").json()
    assert find(before["departments"], design["center"].pk)["headcount"] == []


def test_post_creates_a_department_with_its_head_count(api, design):
    launch = phase_ids(design["organization"])[0]
    response = api.post(
        "/api/v1/departments/",
        {
            "organization": "acme",
            "name_zh": "仓储部",
            "name_en": "Warehouse",
            "headcount": [{"phase": launch, "min": 4, "max": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["headcount"] == [{"phase": launch, "min": 4, "max": 4}]


@pytest.mark.parametrize(
    "target",
    [
        {"min": 5, "max": 3},
        {"min": -1},
        {"min": 1, "max": 10_000_000},
        {"min": "many"},
        {"phase": 999_999_999, "min": 1},
    ],
)
def test_bad_head_count_is_a_400_naming_the_field_and_nothing_changes(api, design, target):
    launch = phase_ids(design["organization"])[0]
    url = f"/api/v1/departments/{design['center'].pk}/"
    first = api.patch(url, {"headcount": [{"phase": launch, "min": 2}]}, format="json")
    assert first.status_code == 200
    revision = Organization.objects.get(slug="acme").revision
    response = api.patch(url, {"headcount": [{"phase": launch, **target}]}, format="json")
    assert response.status_code == 400
    assert "headcount" in response.json()["errors"]
    assert Organization.objects.get(slug="acme").revision == revision
    rows = DepartmentHeadcount.objects.filter(department__organization__slug="acme")
    assert list(rows.values_list("min_count", "max_count")) == [(2, 2)]
