"""The history through the API: the list of revisions with their changes, the design at a
revision, restore and revert, and edit conflicts answered 412 with the fields in conflict."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from departments.models import Organization, Revision
from roles.models import Role
from tests.api.conftest import client_for

HISTORY = "/api/v1/organizations/acme/history/"
TREE = "/api/v1/organizations/acme/tree/?both=1"


def revision() -> int:
    return Organization.objects.get(slug="acme").revision


def ok(response, status=200):
    assert response.status_code == status, response.content[:500]
    return response.json() if response.content else None


def edits(api, design):
    """A sequence of edits through the API touching every kind of object; yields after each."""
    clerk, lead, ceo = design["clerk"], design["lead"], design["ceo"]
    phase = design["organization"].phases.order_by("order").first()
    ok(api.patch(f"/api/v1/roles/{clerk.pk}/", {"title": "客服专员A"}, format="json"))
    yield
    new_department = ok(
        api.post(
            "/api/v1/departments/",
            {"organization": "acme", "name": "售后组", "parent": design["center"].pk},
            format="json",
        ),
        201,
    )
    yield
    ok(
        api.patch(
            f"/api/v1/roles/{clerk.pk}/",
            {
                "duties": ["接待咨询", "处理投诉"],
                "kpis": ["满意度"],
                "requirements": [{"kind": "skill", "text": "打字快"}],
                "headcount": [{"phase": phase.pk, "min": 3, "max": 5}],
                "combinable_with": [lead.pk],
                "department": new_department["id"],
            },
            format="json",
        )
    )
    yield
    ok(
        api.post(
            f"/api/v1/roles/{clerk.pk}/move/",
            {"reports_to": ceo.pk, "position": "first-child"},
            format="json",
        )
    )
    yield
    ok(
        api.post(
            f"/api/v1/departments/{new_department['id']}/move/",
            {"parent": design["service"].pk, "position": "left"},
            format="json",
        )
    )
    yield
    ok(
        api.post(
            "/api/v1/collaborations/",
            {
                "organization": "acme",
                "from_department": design["center"].pk,
                "to_department": design["service"].pk,
                "description": "交接订单",
            },
            format="json",
        ),
        201,
    )
    yield
    ok(api.delete(f"/api/v1/roles/{lead.pk}/?children=lift"), 204)
    yield
    ok(api.patch("/api/v1/organizations/acme/", {"name_en": "Acme Retail"}, format="json"))
    yield


def test_the_design_at_a_revision_is_the_tree_read_at_that_time(api, design):
    seen = {revision(): ok(api.get(TREE))}
    for _step in edits(api, design):
        tree = ok(api.get(TREE))
        seen[tree["revision"]] = tree
    assert len(seen) == 9
    for number, tree in seen.items():
        assert ok(api.get(f"{HISTORY}{number}/?both=1")) == tree, number
    # The convenience texts follow the request language there too.
    first = min(seen)
    english = ok(api.get(f"{HISTORY}{first}/?lang=en"))
    assert english["departments"][0]["name"] == "运营中心"  # its English name is the same
    assert english["reporting"][0]["title"] == "CEO"


def test_the_history_lists_each_revision_with_its_changes_by_public_names(api, user, design):
    clerk = design["clerk"]
    before = revision()
    ok(api.patch(f"/api/v1/roles/{clerk.pk}/", {"title": "客服专员A"}, format="json"))
    ok(api.post(f"/api/v1/roles/{clerk.pk}/move/", {"reports_to": None}, format="json"))
    page = ok(api.get(f"{HISTORY}?since={before}"))
    assert page["count"] == 2
    moved, renamed = page["results"]
    assert (moved["number"], renamed["number"]) == (before + 2, before + 1)
    assert renamed["user"] == {"id": user.pk, "username": "hr-manager"}
    assert renamed["channel"] == "api" and renamed["kind"] == "change"
    assert renamed["reverts"] is None and renamed["restored_number"] is None
    assert renamed["created_at"]
    assert renamed["changes"] == [
        {
            "table": "role",
            "id": clerk.pk,
            "op": "updated",
            "fields": {"title_zh": {"before": "客服专员", "after": "客服专员A"}},
        }
    ]
    (move,) = [change for change in moved["changes"] if change["id"] == clerk.pk]
    assert move["table"] == "role" and move["op"] == "updated"
    assert move["fields"]["reports_to"] == {"before": design["lead"].pk, "after": None}
    assert "reports_to_id" not in move["fields"]


def test_created_and_deleted_rows_list_all_their_fields(api, design):
    before = revision()
    created = ok(
        api.post("/api/v1/departments/", {"organization": "acme", "name": "法务部"}, format="json"),
        201,
    )
    ok(api.delete(f"/api/v1/departments/{created['id']}/"), 204)
    deleted, inserted = ok(api.get(f"{HISTORY}?since={before}"))["results"]
    (insert,) = [c for c in inserted["changes"] if c["table"] == "department"]
    assert insert["op"] == "created" and insert["id"] == created["id"]
    assert insert["fields"]["name_zh"] == {"before": None, "after": "法务部"}
    assert insert["fields"]["parent"] == {"before": None, "after": None}
    assert insert["fields"]["organization"]["after"] == design["organization"].pk
    (delete,) = [c for c in deleted["changes"] if c["table"] == "department"]
    assert delete["op"] == "deleted"
    assert delete["fields"]["name_zh"] == {"before": "法务部", "after": None}


def test_the_history_filters_by_user_and_pages_in_constant_queries(
    api, user, member_client, design
):
    editor = member_client("editor")
    clerk = design["clerk"]
    ok(api.patch(f"/api/v1/roles/{design['lead'].pk}/", {"title": "主管"}, format="json"))
    for index in range(3):
        ok(editor.patch(f"/api/v1/roles/{clerk.pk}/", {"title": f"改名{index}"}, format="json"))
    editor_id = Revision.objects.filter(organization__slug="acme").first().user_id
    assert editor_id != user.pk
    by_editor = ok(api.get(f"{HISTORY}?user={editor_id}"))
    assert by_editor["count"] == 3
    assert {item["user"]["id"] for item in by_editor["results"]} == {editor_id}
    (mine,) = ok(api.get(f"{HISTORY}?user={user.pk}"))["results"]
    assert mine["user"]["id"] == user.pk and mine["changes"][0]["id"] == design["lead"].pk

    def queries(limit: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = ok(api.get(f"{HISTORY}?limit={limit}"))
        assert len(page["results"]) == min(limit, page["count"])
        return len(captured)

    assert queries(1) == queries(8)


def test_bad_filters_are_400_and_revisions_outside_the_history_are_404(api, design):
    for query in ("user=abc", "since=-1", "since=1.5", f"since={'9' * 30}"):
        response = api.get(f"{HISTORY}?{query}")
        assert response.status_code == 400, query
        assert response.json()["detail"]
    current = revision()
    for number in (current + 1, 10**17):
        response = api.get(f"{HISTORY}{number}/")
        assert response.status_code == 404
        assert str(current) in response.json()["detail"]  # names the last revision there is
    start = Revision.objects.filter(organization__slug="acme").order_by("number").first().number
    if start > 0:
        assert api.get(f"{HISTORY}{start - 1}/").status_code == 404
    assert api.get(f"{HISTORY}{start}/").status_code == 200


def test_restore_brings_an_earlier_design_back_as_a_new_revision(api, design):
    then = ok(api.get(TREE))
    for _step in edits(api, design):
        pass
    assert ok(api.get(TREE)) != then
    before = revision()
    response = api.post(
        "/api/v1/organizations/acme/restore/?both=1",
        {"revision": then["revision"]},
        format="json",
        HTTP_IF_MATCH=f'"{before}"',
    )
    body = ok(response)
    assert body["revision"] == before + 1 == revision()
    assert response["ETag"] == f'"{before + 1}"'
    assert {**body["tree"], "revision": then["revision"]} == then
    assert body["tree"] == ok(api.get(TREE))
    (latest,) = ok(api.get(f"{HISTORY}?since={before}"))["results"]
    assert latest["kind"] == "restore" and latest["restored_number"] == then["revision"]


def test_restore_refuses_bad_input_and_changes_nothing(api, member_client, design):
    viewer = member_client("viewer")
    before = revision()
    for body, code in (
        ({}, "required"),
        ({"revision": "x"}, "invalid"),
        ({"revision": before + 5}, "invalid"),
    ):
        response = api.post("/api/v1/organizations/acme/restore/", body, format="json")
        assert response.status_code == 400, body
        assert response.json()["errors"]["revision"][0]["code"] == code
    response = viewer.post(
        "/api/v1/organizations/acme/restore/", {"revision": before}, format="json"
    )
    assert response.status_code == 403
    assert revision() == before


def test_revert_takes_back_one_revision_and_counts_what_it_skipped(api, design):
    clerk, lead = design["clerk"], design["lead"]
    ok(api.patch(f"/api/v1/roles/{clerk.pk}/", {"title": "客服专员A"}, format="json"))
    renamed = revision()
    ok(api.patch(f"/api/v1/roles/{lead.pk}/", {"title": "客服经理"}, format="json"))
    lead_renamed = revision()
    response = api.post(f"{HISTORY}{renamed}/revert/", format="json")
    body = ok(response)
    assert body["skipped"] == 0 and body["revision"] == revision()
    assert response["ETag"] == f'"{revision()}"'
    (service,) = body["tree"]["departments"][0]["children"]
    titles = {role["id"]: role["title"] for role in service["roles"]}
    assert titles[clerk.pk] == "客服专员" and titles[lead.pk] == "客服经理"
    (latest,) = ok(api.get(f"{HISTORY}?since={revision() - 1}"))["results"]
    assert latest["kind"] == "revert" and latest["reverts"] == renamed

    # Everything it changed was changed again since: nothing to take back.
    ok(api.patch(f"/api/v1/roles/{lead.pk}/", {"title": "客服总监"}, format="json"))
    before = revision()
    response = api.post(f"{HISTORY}{lead_renamed}/revert/", format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"][0]["code"] == "history_nothing"
    assert revision() == before
    assert api.post(f"{HISTORY}{before + 10}/revert/", format="json").status_code == 404


def test_the_history_of_an_invisible_organization_is_404(other_user, design):
    assert client_for(None).get(HISTORY).status_code == 401
    stranger = client_for(other_user)
    assert stranger.get(HISTORY).status_code == 404
    assert stranger.get(f"{HISTORY}{revision()}/").status_code == 404
    response = stranger.post(
        "/api/v1/organizations/acme/restore/", {"revision": revision()}, format="json"
    )
    assert response.status_code == 404


def test_stale_writes_to_different_roles_both_succeed(api, design):
    etag = api.get(TREE)["ETag"]
    clerk, lead = design["clerk"], design["lead"]
    first = api.patch(
        f"/api/v1/roles/{clerk.pk}/", {"title": "工具一"}, format="json", HTTP_IF_MATCH=etag
    )
    second = api.patch(
        f"/api/v1/roles/{lead.pk}/", {"title": "工具二"}, format="json", HTTP_IF_MATCH=etag
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert Role.objects.get(pk=clerk.pk).title_zh == "工具一"
    assert Role.objects.get(pk=lead.pk).title_zh == "工具二"


def test_a_stale_write_to_the_same_field_is_412_with_the_conflicts(api, user, design):
    etag = api.get(TREE)["ETag"]
    url = f"/api/v1/roles/{design['clerk'].pk}/"
    first = api.patch(url, {"title": "工具一"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    before = revision()
    second = api.patch(url, {"title": "工具二"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert body["current_revision"] == before
    assert str(before) in body["detail"]  # the revision that changed it
    assert body["conflicts"] == [
        {
            "kind": "role",
            "id": design["clerk"].pk,
            "field": "title_zh",
            "theirs": "工具一",
            "yours": "工具二",
            "deleted": False,
            "revision": before,
            "user": {"id": user.pk, "username": "hr-manager"},
        }
    ]
    assert Role.objects.get(pk=design["clerk"].pk).title_zh == "工具一"
    assert revision() == before


def test_a_conflicting_move_names_the_field_by_its_api_name(api, design):
    etag = api.get(TREE)["ETag"]
    clerk = design["clerk"]
    move = f"/api/v1/roles/{clerk.pk}/move/"
    ok(api.post(move, {"reports_to": None}, format="json", HTTP_IF_MATCH=etag))
    response = api.post(move, {"reports_to": design["ceo"].pk}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    fields = {(c["kind"], c["id"], c["field"]) for c in response.json()["conflicts"]}
    assert ("role", clerk.pk, "reports_to") in fields
