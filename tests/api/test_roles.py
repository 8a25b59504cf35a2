from roles.models import Role
from teamorg.trees import tree_integrity_errors


def test_create_with_lines_and_head_count(api, design):
    phases = list(design["organization"].phases.values_list("pk", flat=True))
    response = api.post(
        "/api/v1/roles/",
        {
            "department": design["service"].pk,
            "reports_to": design["lead"].pk,
            "title": "售后专员",
            "title_en": "After-sales agent",
            "level": "specialist",
            "hiring_priority": 2,
            "duties": ["处理退换货", "回访客户"],
            "requirements": [{"kind": "experience", "text": "一年客服经验"}],
            "kpis_zh": ["退款时效"],
            "kpis_en": ["Refund time"],
            "headcount": [{"phase": phases[0], "min": 1, "max": 2}, {"phase": phases[1], "min": 3}],
            "combinable_with": [design["clerk"].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    role = response.json()
    assert role["organization"] == "acme" and role["reports_to"] == design["lead"].pk
    assert role["duties"] == ["处理退换货", "回访客户"]
    # `preferred` left out of a requirement: required
    assert role["requirements"] == [
        {"kind": "experience", "preferred": False, "text": "一年客服经验"}
    ]
    assert role["kpis"] == ["退款时效"]
    assert role["headcount"] == [
        {"phase": phases[0], "min": 1, "max": 2},
        {"phase": phases[1], "min": 3, "max": 3},
    ]
    assert role["combinable_with"] == [design["clerk"].pk]
    english = api.get(f"/api/v1/roles/{role['id']}/?lang=en").json()
    assert english["title"] == "After-sales agent" and english["kpis"] == ["Refund time"]


def test_list_filters_by_department_manager_and_level(api, design):
    by_manager = api.get(f"/api/v1/roles/?reports_to={design['ceo'].pk}").json()["results"]
    assert [r["title"] for r in by_manager] == ["客服主管"]
    top = api.get("/api/v1/roles/?organization=acme&top_level=true").json()["results"]
    assert [r["title"] for r in top] == ["CEO"]
    in_department = api.get(f"/api/v1/roles/?department={design['service'].pk}").json()
    assert in_department["count"] == 3
    found = api.get("/api/v1/roles/?organization=acme&search=主管").json()["results"]
    assert [r["id"] for r in found] == [design["lead"].pk]


def test_patch_replaces_lists_and_keeps_the_rest(api, design):
    url = f"/api/v1/roles/{design['clerk'].pk}/"
    api.patch(url, {"duties": ["一", "二"], "kpis": ["满意度"]}, format="json")
    response = api.patch(url, {"duties": ["三"], "salary_min": 5000}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["duties"] == ["三"] and body["kpis"] == ["满意度"] and body["salary_min"] == 5000


def test_move_changes_the_reporting_line(api, design):
    url = f"/api/v1/roles/{design['clerk'].pk}/move/"
    response = api.post(url, {"reports_to": design["ceo"].pk}, format="json")
    assert response.status_code == 200
    assert response.json()["reports_to"] == design["ceo"].pk
    top = api.post(url, {"reports_to": None}, format="json").json()
    assert top["reports_to"] is None
    assert tree_integrity_errors(Role) == []


def test_delete_refuses_or_lifts_reports(api, design):
    lead = design["lead"].pk
    assert api.delete(f"/api/v1/roles/{lead}/").status_code == 400
    assert api.delete(f"/api/v1/roles/{lead}/?children=lift").status_code == 204
    clerk = api.get(f"/api/v1/roles/{design['clerk'].pk}/").json()
    assert clerk["reports_to"] == design["ceo"].pk
    assert tree_integrity_errors(Role) == []
