"""Per-object versions (issue 14, item 6): the ETag of a role, a department, a phase or a
collaboration line is the newest revision that changed what its answer shows. It stays the same
(If-None-Match: 304) while colleagues change other objects, and sent back as If-Match it lets a
write through unless the same field changed since; the organization-wide ETag keeps working."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from departments.models import Organization
from departments.services import membership_set
from roles.models import Role
from tests.api.conftest import client_for
from tests.factories import UserFactory


def revision() -> int:
    return Organization.objects.get(slug="acme").revision


def tag_of(response) -> int:
    return int(response["ETag"].strip('"'))


def colleague(organization):
    """An editor 'wang' of `organization`, by token."""
    other = UserFactory(username="wang")
    membership_set(organization=organization, user=other, role="editor")
    return client_for(other)


def role_url(role) -> str:
    return f"/api/v1/roles/{role.pk}/"


def test_a_role_keeps_its_etag_while_other_roles_change(api, design):
    clerk, lead = design["clerk"], design["lead"]
    first = api.get(role_url(clerk))
    assert first.status_code == 200
    assert api.patch(role_url(lead), {"title": "客服经理"}, format="json").status_code == 200
    assert api.patch("/api/v1/organizations/acme/", {"name_en": "Acme"}, format="json")
    assert tag_of(first) < revision()

    again = api.get(role_url(clerk), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    # The organization's own ETag moved on with every change.
    tree = api.get("/api/v1/organizations/acme/tree/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert tree.status_code == 200
    assert tag_of(tree) == revision()


def test_a_roles_etag_follows_its_lines_head_count_and_combinations(api, design):
    clerk, lead = design["clerk"], design["lead"]
    phase = design["organization"].phases.first()
    changes = [
        (clerk, {"duties": ["接听电话", "处理投诉"]}),
        (clerk, {"duties": ["接听电话"]}),  # a duty deleted
        (clerk, {"requirements": [{"kind": "skill", "text": "普通话"}]}),
        (clerk, {"kpis": ["满意度"]}),
        (clerk, {"headcount": [{"phase": phase.pk, "min": 2, "max": 3}]}),
        (clerk, {"headcount": []}),  # the cell cleared
        (lead, {"combinable_with": [clerk.pk]}),  # written from the other role
    ]
    for role, body in changes:
        before = api.get(role_url(clerk))["ETag"]
        response = api.patch(role_url(role), body, format="json")
        assert response.status_code == 200, (body, response.content)
        after = api.get(role_url(clerk), HTTP_IF_NONE_MATCH=before)
        assert after.status_code == 200, body
        assert tag_of(after) == revision(), body
    assert api.get(role_url(clerk)).json()["combinable_with"] == [lead.pk]


def test_a_write_answers_the_objects_new_version(api, design):
    clerk = design["clerk"]
    response = api.patch(role_url(clerk), {"title": "客服专员A"}, format="json")
    assert tag_of(response) == revision()
    assert api.get(role_url(clerk))["ETag"] == response["ETag"]
    moved = api.post(f"{role_url(clerk)}move/", {"reports_to": design["ceo"].pk}, format="json")
    assert moved.status_code == 200
    assert tag_of(moved) == revision()
    # A save that changes nothing leaves the version where it was.
    unchanged = api.patch(role_url(clerk), {"title": "客服专员A"}, format="json")
    assert unchanged.status_code == 200
    assert unchanged["ETag"] == moved["ETag"]


def test_a_write_with_an_objects_own_etag_goes_through_after_other_changes(api, design):
    clerk = design["clerk"]
    tag = api.get(role_url(clerk))["ETag"]
    wang = colleague(design["organization"])
    assert wang.patch(role_url(design["lead"]), {"title": "客服经理"}, format="json")
    assert (
        wang.post(
            "/api/v1/departments/", {"organization": "acme", "name": "售后部"}, format="json"
        ).status_code
        == 201
    )
    assert tag_of(api.get(role_url(clerk))) == int(tag.strip('"'))

    response = api.patch(role_url(clerk), {"title": "客服专员A"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200, response.content
    assert tag_of(response) == revision()
    assert Role.objects.get(pk=design["lead"].pk).title_zh == "客服经理"


def test_the_same_field_changed_since_an_objects_etag_is_a_412_naming_both_values(api, design):
    clerk = design["clerk"]
    tag = api.get(role_url(clerk))["ETag"]
    wang = colleague(design["organization"])
    assert wang.patch(role_url(clerk), {"title_zh": "客服专员B"}, format="json")
    before = revision()

    response = api.patch(
        role_url(clerk), {"title_zh": "客服专员A"}, format="json", HTTP_IF_MATCH=tag,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "edit_conflict"
    conflicts = [
        (c["field"], c["theirs"], c["yours"], c["user"]["username"]) for c in body["conflicts"]
    ]
    assert conflicts == [("title_zh", "客服专员B", "客服专员A", "wang")]
    assert revision() == before
    assert Role.objects.get(pk=clerk.pk).title_zh == "客服专员B"


def test_a_department_follows_its_ancestors_moves_not_its_siblings(api, design):
    service, center = design["service"], design["center"]
    url = f"/api/v1/departments/{service.pk}/"
    sibling = api.post(
        "/api/v1/departments/", {"organization": "acme", "parent": center.pk, "name": "售后部"},
        format="json",
    )  # fmt: skip
    assert sibling.status_code == 201
    tag = api.get(url)["ETag"]
    api.patch(f"/api/v1/departments/{sibling.json()['id']}/", {"name": "售后二部"}, format="json")
    assert api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304

    top = api.post("/api/v1/departments/", {"organization": "acme", "name": "集团"}, format="json")
    moved = api.post(
        f"/api/v1/departments/{center.pk}/move/", {"parent": top.json()["id"]}, format="json"
    )
    assert moved.status_code == 200
    after = api.get(url, HTTP_IF_NONE_MATCH=tag)
    assert after.status_code == 200  # its depth changed with its parent's move
    assert after.json()["depth"] == 2
    assert tag_of(after) == revision()


def test_phases_and_collaboration_lines_have_their_own_versions(api, design):
    phases = list(design["organization"].phases.order_by("order"))
    first, second = (f"/api/v1/phases/{phase.pk}/" for phase in phases[:2])
    tag = api.get(second)["ETag"]
    assert api.patch(first, {"name": "种子期"}, format="json").status_code == 200
    assert api.get(second, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert tag_of(api.get(first)) == revision()

    line = api.post(
        "/api/v1/collaborations/",
        {"organization": "acme", "from_department": design["center"].pk,
         "to_department": design["service"].pk, "description": "交接"},
        format="json",
    )  # fmt: skip
    assert line.status_code == 201, line.content
    line_url = f"/api/v1/collaborations/{line.json()['id']}/"
    assert tag_of(line) == revision()
    tag = line["ETag"]
    api.patch(first, {"name": "起步期"}, format="json")
    assert api.get(line_url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    api.patch(line_url, {"description": "交接工单"}, format="json")
    assert tag_of(api.get(line_url)) == revision()


def test_the_organization_wide_if_match_still_works_on_objects(api, design):
    stale = f'"{revision()}"'
    api.patch(role_url(design["lead"]), {"title": "客服经理"}, format="json")
    response = api.patch(
        role_url(design["clerk"]), {"title": "客服专员A"}, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 200
    conflicting = api.patch(
        role_url(design["lead"]), {"title": "客服组长"}, format="json", HTTP_IF_MATCH=stale
    )
    assert conflicting.status_code == 412


def test_an_organization_without_history_tags_objects_with_its_revision(loaded_templates, user):
    template = Organization.objects.filter(is_template=True).first()
    role = Role.objects.filter(organization=template).first()
    response = client_for(user).get(role_url(role))
    assert response.status_code == 200
    assert tag_of(response) == template.revision


def test_reading_an_objects_version_costs_the_same_whatever_the_history(api, design):
    clerk = design["clerk"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(role_url(clerk)).status_code == 200
        return len(captured)

    short = queries()
    for n in range(15):
        api.patch(role_url(design["lead"]), {"title": f"主管{n}"}, format="json")
    assert queries() == short
