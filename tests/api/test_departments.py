from departments.models import Department
from teamorg.trees import tree_integrity_errors


def names(api) -> list:
    def walk(nodes):
        return [(n["name"], walk(n["children"])) for n in nodes]

    return walk(api.get("/api/v1/organizations/acme/tree/").json()["departments"])


def test_list_filters_searches_and_orders(api, design):
    all_ = api.get("/api/v1/departments/?organization=acme").json()
    assert [d["name"] for d in all_["results"]] == ["运营中心", "客服部"]
    top = api.get("/api/v1/departments/?organization=acme&top_level=true").json()["results"]
    assert [d["name"] for d in top] == ["运营中心"]
    children = api.get(f"/api/v1/departments/?parent={design['center'].pk}").json()["results"]
    assert [d["name"] for d in children] == ["客服部"]
    found = api.get("/api/v1/departments/?organization=acme&search=客服").json()["results"]
    assert [d["depth"] for d in found] == [1]
    ordered = api.get("/api/v1/departments/?organization=acme&ordering=-id").json()["results"]
    assert [d["name"] for d in ordered] == ["客服部", "运营中心"]


def test_create_under_a_parent_with_both_languages(api, design):
    response = api.post(
        "/api/v1/departments/",
        {
            "organization": "acme",
            "parent": design["center"].pk,
            "name_zh": "售后组",
            "name_en": "After-sales",
            "functions": "退换货\n投诉",
            "function_group": "front-line",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == design["center"].pk and body["organization"] == "acme"
    assert body["functions"] == "退换货\n投诉" and body["function_group"] == "front-line"
    assert names(api) == [("运营中心", [("客服部", []), ("售后组", [])])]


def test_patch_changes_fields_not_the_tree(api, design):
    url = f"/api/v1/departments/{design['service'].pk}/"
    response = api.patch(url, {"name": "客户服务部", "summary_en": "Serves buyers"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "客户服务部"
    assert api.get(url + "?both=1&lang=en").json()["summary"] == "Serves buyers"


def test_move_to_top_level_and_back(api, design):
    service = design["service"].pk
    response = api.post(f"/api/v1/departments/{service}/move/", {"parent": None}, format="json")
    assert response.status_code == 200 and response.json()["parent"] is None
    assert names(api) == [("运营中心", []), ("客服部", [])]
    api.post(
        f"/api/v1/departments/{service}/move/",
        {"parent": design["center"].pk, "position": "left"},
        format="json",
    )
    assert names(api) == [("客服部", []), ("运营中心", [])]
    api.post(
        f"/api/v1/departments/{service}/move/",
        {"parent": design["center"].pk, "position": "first-child"},
        format="json",
    )
    assert names(api) == [("运营中心", [("客服部", [])])]
    assert tree_integrity_errors(Department) == []


def test_delete_refuses_or_lifts_children_as_asked(api, design):
    center = design["center"].pk
    assert api.delete(f"/api/v1/departments/{center}/").status_code == 400
    assert api.delete(f"/api/v1/departments/{center}/?children=lift").status_code == 204
    assert names(api) == [("客服部", [])]
    assert tree_integrity_errors(Department) == []
