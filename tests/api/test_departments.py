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


def test_a_sibling_name_is_refused_with_its_code_and_nothing_changes(api, design):
    before = api.get("/api/v1/organizations/acme/tree/").json()
    created = api.post(
        "/api/v1/departments/",
        {"organization": "acme", "parent": design["center"].pk, "name_zh": "客服部"},
        format="json",
    )
    assert created.status_code == 400
    (error,) = created.json()["errors"]["name_zh"]
    assert error["code"] == "duplicate_name" and "运营中心" in error["message"]
    assert api.get("/api/v1/organizations/acme/tree/").json() == before
    renamed = api.patch(
        f"/api/v1/departments/{design['center'].pk}/", {"name_en": "  "}, format="json"
    )
    assert renamed.status_code == 200  # an empty other language is no clash
    moved = api.post(
        f"/api/v1/departments/{design['service'].pk}/move/",
        {"parent": None, "position": "last-child"},
        format="json",
    )
    assert moved.status_code == 200  # top level has no 客服部 yet
    clash = api.post(
        "/api/v1/departments/",
        {"organization": "acme", "name_zh": " 客服部 "},
        format="json",
    )
    assert clash.status_code == 400
    assert clash.json()["errors"]["name_zh"][0]["code"] == "duplicate_name"
    assert (
        api.get("/api/v1/organizations/acme/tree/").json()["departments"] != before["departments"]
    )
    assert Department.objects.filter(organization__slug="acme", name_zh="客服部").count() == 1
