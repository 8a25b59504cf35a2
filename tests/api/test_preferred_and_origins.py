"""The API's part of issue 20: a requirement's `preferred` (优先) written and read back, in the
role object, the tree and the schema; where phases and function lines come from (`origin`,
`source_note`, `functions_origin`), read-only, and a function line the API rewrites becomes
the user's."""

import pytest

from departments.models import Department, HeadcountPhase

pytestmark = pytest.mark.django_db

REQUIREMENTS = [
    {"kind": "education", "text": "中专以上学历"},
    {"kind": "experience", "text": "有淘宝经验者优先", "preferred": True},
]


def test_preferred_round_trip(api, design):
    clerk = design["clerk"]
    response = api.patch(
        f"/api/v1/roles/{clerk.pk}/", {"requirements": REQUIREMENTS}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert [(r["text"], r["preferred"]) for r in response.json()["requirements"]] == [
        ("中专以上学历", False),
        ("有淘宝经验者优先", True),
    ]
    again = api.get(f"/api/v1/roles/{clerk.pk}/?both=1").json()
    assert again["requirements"][1] == {
        "kind": "experience",
        "preferred": True,
        "text": "有淘宝经验者优先",
        "text_zh": "有淘宝经验者优先",
        "text_en": "",
    }
    tree = api.get("/api/v1/organizations/acme/tree/").json()
    (service,) = tree["departments"][0]["children"]
    clerk_in_tree = next(r for r in service["roles"] if r["id"] == clerk.pk)
    assert clerk_in_tree["requirements"] == [
        {"kind": "education", "preferred": False, "text": "中专以上学历"},
        {"kind": "experience", "preferred": True, "text": "有淘宝经验者优先"},
    ]


def test_a_preferred_that_is_no_boolean_is_a_400(api, design):
    clerk = design["clerk"]
    response = api.patch(
        f"/api/v1/roles/{clerk.pk}/?lang=en",
        {"requirements": [{"kind": "skill", "text": "打字快", "preferred": "sometimes"}]},
        format="json",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]["requirements"]
    assert "boolean" in error["message"]
    assert not clerk.requirements.exists()


def test_the_schema_describes_the_new_fields(client):
    schemas = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    assert "preferred" in schemas["RoleRequirement"]["properties"]
    assert "preferred" in schemas["RequirementInputRequest"]["properties"]
    assert {"origin", "source_note"} <= schemas["Phase"]["properties"].keys()
    assert {"origin", "source_note"} <= schemas["TreePhase"]["properties"].keys()
    assert schemas["Department"]["properties"]["functions_origin"]["readOnly"] is True
    assert "functions_origin" in schemas["TreeDepartment"]["properties"]
    assert set(schemas["LineSource"]["properties"]) == {"origin", "source_note"}


def test_phase_and_function_line_origins_are_read_only_and_kept(api, design, organization):
    service = design["service"]
    Department.objects.filter(pk=service.pk).update(
        functions_zh="售前咨询\n售后服务",
        functions_origin=[
            {"origin": "seed", "source_note": "000 客服部"},
            {"origin": "fill", "source_note": "fill: standard"},
        ],
    )
    phase = organization.phases.order_by("order").first()
    HeadcountPhase.objects.filter(pk=phase.pk).update(origin="seed", source_note="000 前6个月")

    shown = api.get(f"/api/v1/phases/{phase.pk}/").json()
    assert (shown["origin"], shown["source_note"]) == ("seed", "000 前6个月")
    response = api.patch(
        f"/api/v1/phases/{phase.pk}/", {"name_en": "Launch", "origin": "fill"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["origin"] == "seed"  # read-only: the API does not rewrite history

    response = api.patch(
        f"/api/v1/departments/{service.pk}/",
        {"functions_zh": "售后服务\n退换货", "functions_origin": []},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["functions_origin"] == [
        {"origin": "fill", "source_note": "fill: standard"},
        {"origin": "user", "source_note": ""},
    ]
    tree = api.get("/api/v1/organizations/acme/tree/").json()
    assert tree["phases"][0]["origin"] == "seed"
    assert (
        tree["departments"][0]["children"][0]["functions_origin"]
        == (response.json()["functions_origin"])
    )
