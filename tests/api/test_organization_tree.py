"""GET /api/v1/organizations/{slug}/tree/: the whole design in one response."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.services import collaboration_create, role_update
from tests.api.conftest import client_for
from tests.benchmarks.synthetic import bulk_design as build_design

ROLE_KEYS = {
    "id", "title", "department", "reports_to", "level", "employment_type", "hiring_priority",
    "summary", "duties", "requirements", "kpis", "headcount",
}  # fmt: skip


def test_the_tree_has_the_contract_shape(api, design):
    phase = design["organization"].phases.first()
    role_update(
        role=design["clerk"],
        title_en="Customer service agent",
        duties=[{"text_zh": "接待咨询", "text_en": "Answer questions"}],
        requirements=[{"kind": "skill", "text_zh": "打字快", "text_en": "Types fast"}],
        kpis=[{"text_zh": "满意度", "text_en": "Satisfaction"}],
        headcount=[{"phase": phase.pk, "min": 8, "max": 10}],
    )
    collaboration_create(
        organization=design["organization"],
        from_department=design["center"],
        to_department=design["service"],
        description_zh="交接订单",
    )
    response = api.get("/api/v1/organizations/acme/tree/")
    assert response.status_code == 200
    tree = response.json()
    assert tree["slug"] == "acme" and tree["name"] == "测试电商"
    assert tree["business_model"] == "custom"
    assert tree["revision"] == int(response["ETag"].strip('"'))
    assert [p["name"] for p in tree["phases"]] == ["启动期", "成长期", "成熟期"]

    (center,) = tree["departments"]
    assert center["name"] == "运营中心" and center["parent"] is None and center["roles"] == []
    (service,) = center["children"]
    assert service["parent"] == center["id"] and service["children"] == []
    assert [r["title"] for r in service["roles"]] == ["CEO", "客服主管", "客服专员"]
    clerk = service["roles"][2]
    assert ROLE_KEYS <= clerk.keys()
    assert clerk["duties"] == ["接待咨询"]
    # the contract's {kind, text}, with `preferred` (优先) beside them
    assert clerk["requirements"] == [{"kind": "skill", "preferred": False, "text": "打字快"}]
    assert clerk["kpis"] == ["满意度"]
    assert clerk["headcount"] == [{"phase": phase.pk, "min": 8, "max": 10}]

    (ceo,) = tree["reporting"]
    assert ceo["title"] == "CEO" and ceo["reports_to"] is None
    assert ceo["children"][0]["children"][0]["id"] == clerk["id"]

    (line,) = tree["collaborations"]
    assert (line["from_department"], line["to_department"]) == (center["id"], service["id"])
    assert line["description"] == "交接订单"


def test_a_role_in_the_tree_is_the_same_object_as_get_role(api, design):
    tree = api.get("/api/v1/organizations/acme/tree/").json()
    in_tree = tree["departments"][0]["children"][0]["roles"][2]
    alone = api.get(f"/api/v1/roles/{design['clerk'].pk}/").json()
    assert in_tree == alone
    listed = api.get("/api/v1/roles/?organization=acme").json()["results"]
    assert alone in listed


def test_texts_follow_accept_language_or_lang_with_fallback(api, design):
    role_update(role=design["clerk"], title_en="Agent", duties=[{"text_zh": "接待"}])
    english = api.get("/api/v1/organizations/acme/tree/", HTTP_ACCEPT_LANGUAGE="en").json()
    by_lang = api.get("/api/v1/organizations/acme/tree/?lang=en").json()
    assert english == by_lang
    assert english["name"] == "Acme Shop"
    assert english["phases"][0]["name"] == "Launch"
    clerk = english["departments"][0]["children"][0]["roles"][2]
    assert clerk["title"] == "Agent"
    assert clerk["duties"] == ["接待"]  # no English text: the Chinese one, not a blank
    assert "title_zh" not in clerk


def test_both_languages_on_request(api, design):
    role_update(role=design["clerk"], title_en="Agent", duties=[{"text_zh": "接待"}])
    tree = api.get("/api/v1/organizations/acme/tree/?both=1&lang=en").json()
    clerk = tree["departments"][0]["children"][0]["roles"][2]
    assert (clerk["title"], clerk["title_zh"], clerk["title_en"]) == ("Agent", "客服专员", "Agent")
    assert (clerk["duties_zh"], clerk["duties_en"]) == (["接待"], [""])
    assert tree["name_zh"] == "测试电商" and tree["name_en"] == "Acme Shop"


def test_an_invisible_organization_tree_is_404(other_user, organization):
    assert client_for(other_user).get("/api/v1/organizations/acme/tree/").status_code == 404
    assert client_for(other_user).get("/api/v1/organizations/nope/tree/").status_code == 404


def count_queries(client, slug: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/organizations/{slug}/tree/")
    assert response.status_code == 200
    return len(queries), response.json()


def count_roles(nodes) -> int:
    return sum(1 + count_roles(node["children"]) for node in nodes)


def test_the_tree_costs_the_same_number_of_queries_for_50_and_1000_roles(user):
    build_design(roles=50, owner=user, slug="small")
    build_design(roles=1000, owner=user, slug="large")
    client = client_for(user)
    client.get("/api/v1/organizations/small/tree/")  # warm up the token/session lookups
    small, small_tree = count_queries(client, "small")
    large, large_tree = count_queries(client, "large")
    assert count_roles(small_tree["reporting"]) == 50
    assert count_roles(large_tree["reporting"]) == 1000
    assert small == large
    assert small <= 15
