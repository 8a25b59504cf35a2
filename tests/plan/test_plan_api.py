from django.urls import reverse
from rest_framework.test import APIClient

from departments.models import Organization
from roles.planning.serializers import CompareSerializer, HealthSerializer, PlanSerializer
from tests.api.conftest import client_for
from tests.factories import UserFactory


def shape_errors(serializer_class, data) -> dict:
    """The documented response serializer's complaints about an actual response (none wanted)."""
    serializer = serializer_class(data=data)
    serializer.is_valid()
    return serializer.errors


def test_plan_api_gives_grid_rollups_cost_and_roadmap(user, organization, make_role, phases):
    make_role("运营中心 > 客服部", "客服专员", [(2, 3), (4, 6), (8, 10)], salary_min=4000,
              salary_max=5000, hiring_priority=2)  # fmt: skip
    make_role("运营中心", "运营总监", [(1, 1), (1, 1), (1, 1)], hiring_priority=1)
    response = client_for(user).get(reverse("plan:api-plan", args=["acme"]), {"lang": "zh"})
    assert response.status_code == 200
    data = response.json()
    assert shape_errors(PlanSerializer, data) == {}
    assert response["ETag"] == f'"{data["revision"]}"'
    assert [t["min"] for t in data["totals"]] == [3, 5, 9]
    centre = next(d for d in data["departments"] if d["name"] == "运营中心")
    assert [(t["min"], t["max"]) for t in centre["total"]] == [(3, 4), (5, 7), (9, 11)]
    assert data["monthly_cost"][0] == {
        "phase": phases[0].pk, "min": 8000, "max": 15000, "unpriced_roles": 1
    }  # fmt: skip
    assert [s["title"] for s in data["roadmap"][:2]] == ["运营总监", "客服专员"]
    again = client_for(user).get(
        reverse("plan:api-plan", args=["acme"]), HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_health_api_lists_every_check_with_links(user, organization, make_role):
    make_role("运营部", "文案", [(1, 1)] * 3, lines=False)
    data = client_for(user).get(reverse("plan:api-health", args=["acme"]), {"lang": "en"}).json()
    assert shape_errors(HealthSerializer, data) == {}
    codes = [check["code"] for check in data["checks"]]
    assert codes == [
        "span_of_control", "single_report", "layers", "role_without_duties",
        "role_without_requirements", "department_without_roles", "role_without_headcount",
        "department_headcount", "combined_roles", "headcount_guideline",
    ]  # fmt: skip
    duties = next(c for c in data["checks"] if c["code"] == "role_without_duties")
    (finding,) = duties["findings"]
    assert finding["message"] == "文案 has no duties."
    assert finding["node"]["url"].startswith("/orgs/acme/roles/")
    assert data["warnings"] >= 2


def test_compare_api_shape(user, organization, make_role, phases, loaded_templates):
    make_role("运营部", "运营", [(1, 1), (2, 2), (3, 3)])
    template = Organization.objects.filter(is_template=True).first()
    data = (
        client_for(user)
        .get(reverse("plan:api-compare", args=["acme"]), {"with": template.slug})
        .json()
    )
    assert shape_errors(CompareSerializer, data) == {}
    assert data["mode"] == "designs" and data["target"]["slug"] == "acme"
    assert any(c["change"] == "removed" for c in data["changes"])
    assert any(c["change"] == "added" and c["label"] == "运营" for c in data["changes"])


def test_api_needs_authentication_and_hides_other_organizations(organization):
    for name in ("api-plan", "api-health", "api-compare"):
        url = reverse(f"plan:{name}", args=["acme"])
        assert APIClient().get(url).status_code in (401, 403)
        assert client_for(UserFactory(username=f"x-{name}")).get(url).status_code == 404
        assert (
            client_for(organization.created_by)
            .get(reverse(f"plan:{name}", args=["nope"]))
            .status_code
            == 404
        )


def test_bad_language_is_a_400(user, organization):
    response = client_for(user).get(reverse("plan:api-plan", args=["acme"]), {"lang": "fr"})
    assert response.status_code == 400 and "lang" in response.json()["errors"]
