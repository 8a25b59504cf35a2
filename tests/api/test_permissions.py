"""Who may do what: owners everything, editors write, viewers read, non-members see nothing
(404, never 403), templates are readable by every signed-in user and writable by nobody."""

import pytest

from departments.models import Department, HeadcountPhase, Organization
from departments.services import department_create, organization_create
from roles.models import Collaboration, Role
from roles.services import collaboration_create, role_create
from tests.api.conftest import client_for
from tests.factories import UserFactory, department_path, role_chain


@pytest.fixture
def objects(design):
    line = collaboration_create(
        organization=design["organization"],
        from_department=design["center"],
        to_department=design["service"],
        description_zh="交接",
    )
    phase = design["organization"].phases.first()
    return {**design, "line": line, "phase": phase}


@pytest.fixture
def caller(request, organization, member_client):
    kind = request.param
    if kind == "owner":
        return client_for(organization.memberships.get().user)
    if kind == "non-member":
        return client_for(UserFactory())
    return member_client(kind)


def reads(objects):
    return [
        "/api/v1/organizations/acme/",
        "/api/v1/organizations/acme/tree/",
        "/api/v1/organizations/acme/members/",
        f"/api/v1/departments/{objects['service'].pk}/",
        f"/api/v1/roles/{objects['clerk'].pk}/",
        f"/api/v1/phases/{objects['phase'].pk}/",
        f"/api/v1/collaborations/{objects['line'].pk}/",
    ]


def edits(objects):
    """(method, url, body, took_effect) of an editor's writes. `took_effect()` reads the
    database: false before the write, true once it is there."""
    service, clerk = objects["service"], objects["clerk"]
    line, phase = objects["line"], objects["phase"]
    return [
        (
            "patch", "/api/v1/organizations/acme/", {"name_en": "Renamed"},
            lambda: Organization.objects.get(slug="acme").name_en == "Renamed",
        ),
        (
            "patch", f"/api/v1/departments/{service.pk}/", {"name": "售后部"},
            lambda: Department.objects.get(pk=service.pk).name_zh == "售后部",
        ),
        (
            "post", "/api/v1/departments/", {"organization": "acme", "name": "新部门"},
            lambda: Department.objects.filter(organization__slug="acme", name_zh="新部门").exists(),
        ),
        (
            "post", f"/api/v1/departments/{service.pk}/move/", {"parent": None},
            lambda: Department.objects.get(pk=service.pk).parent_id is None,
        ),
        (
            "patch", f"/api/v1/roles/{clerk.pk}/", {"duties": ["回复咨询"]},
            lambda: [duty.text_zh for duty in Role.objects.get(pk=clerk.pk).duties.all()]
            == ["回复咨询"],
        ),
        (
            "post", "/api/v1/roles/", {"department": service.pk, "title": "新岗位"},
            lambda: Role.objects.filter(department=service, title_zh="新岗位").exists(),
        ),
        (
            "post", f"/api/v1/roles/{clerk.pk}/move/", {"reports_to": None},
            lambda: Role.objects.get(pk=clerk.pk).reports_to_id is None,
        ),
        (
            "patch", f"/api/v1/phases/{phase.pk}/", {"name": "第一阶段"},
            lambda: HeadcountPhase.objects.get(pk=phase.pk).name_zh == "第一阶段",
        ),
        (
            "post", "/api/v1/phases/", {"organization": "acme", "name": "第四阶段"},
            lambda: HeadcountPhase.objects.filter(
                organization__slug="acme", name_zh="第四阶段"
            ).exists(),
        ),
        (
            "patch", f"/api/v1/collaborations/{line.pk}/", {"description": "对接"},
            lambda: Collaboration.objects.get(pk=line.pk).description_zh == "对接",
        ),
        (
            "delete", f"/api/v1/collaborations/{line.pk}/", None,
            lambda: not Collaboration.objects.filter(pk=line.pk).exists(),
        ),
    ]  # fmt: skip


def owner_only(objects):
    return [
        ("post", "/api/v1/organizations/acme/members/", {"username": "someone", "role": "viewer"}),
        ("delete", "/api/v1/organizations/acme/", None),
    ]


def call(client, method, url, body):
    return (
        getattr(client, method)(url, body, format="json")
        if body is not None
        else getattr(client, method)(url)
    )


@pytest.mark.parametrize("caller", ["owner", "editor", "viewer"], indirect=True)
def test_members_read_everything(caller, objects):
    for url in reads(objects):
        response = caller.get(url)
        assert response.status_code == 200, url
        # The organization's revision, or an object's version (never newer than it).
        tag = int(response["ETag"].strip('"'))
        assert 0 < tag <= Organization.objects.get(slug="acme").revision, url


@pytest.mark.parametrize("caller", ["non-member"], indirect=True)
def test_non_members_get_404_for_everything(caller, objects):
    for url in reads(objects):
        assert caller.get(url).status_code == 404, url
    for method, url, body, *took_effect in edits(objects) + owner_only(objects):
        if url in ("/api/v1/departments/", "/api/v1/roles/", "/api/v1/phases/"):
            continue  # creates name the organization in the body: see below
        assert call(caller, method, url, body).status_code == 404, url
        assert not any(check() for check in took_effect), (method, url)
    listed = caller.get("/api/v1/organizations/").json()["results"]
    assert "acme" not in [org["slug"] for org in listed]
    assert (
        caller.get("/api/v1/roles/").json()["count"]
        == Role.objects.filter(organization__is_template=True).count()
    )


@pytest.mark.parametrize("caller", ["non-member"], indirect=True)
def test_creating_in_an_invisible_organization_answers_like_a_missing_one(caller, objects):
    hidden = caller.post(
        "/api/v1/departments/", {"organization": "acme", "name": "x"}, format="json"
    )
    missing = caller.post(
        "/api/v1/departments/", {"organization": "no-such-org", "name": "x"}, format="json"
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["errors"].keys() == {"organization"}
    assert hidden.json()["detail"].replace("acme", "?") == missing.json()["detail"].replace(
        "no-such-org", "?"
    )
    under_hidden_parent = caller.post(
        "/api/v1/roles/", {"department": objects["service"].pk, "title": "x"}, format="json"
    )
    assert under_hidden_parent.status_code == 400
    assert "department" in under_hidden_parent.json()["errors"]


@pytest.mark.parametrize("caller", ["viewer"], indirect=True)
def test_viewers_cannot_write(caller, objects):
    revision = Organization.objects.get(slug="acme").revision
    for method, url, body, *took_effect in edits(objects) + owner_only(objects):
        response = call(caller, method, url, body)
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["detail"]
        assert not any(check() for check in took_effect), (method, url)
    assert Organization.objects.get(slug="acme").revision == revision


@pytest.mark.parametrize("caller", ["editor", "owner"], indirect=True)
def test_editors_and_owners_write(caller, objects):
    for method, url, body, took_effect in edits(objects):
        revision = Organization.objects.get(slug="acme").revision
        assert not took_effect(), (method, url)
        response = call(caller, method, url, body)
        assert response.status_code in (200, 201, 204), (method, url, response.content)
        # Each write is one change: the revision goes up by one and the answer says so.
        assert Organization.objects.get(slug="acme").revision == revision + 1, (method, url)
        assert response["ETag"] == f'"{revision + 1}"', (method, url)
        assert took_effect(), (method, url)


@pytest.mark.parametrize("caller", ["editor"], indirect=True)
def test_editors_cannot_manage_members_or_delete_the_organization(caller, objects):
    UserFactory(username="someone")
    for method, url, body in owner_only(objects):
        assert call(caller, method, url, body).status_code == 403, url
    assert Organization.objects.filter(slug="acme").exists()


@pytest.mark.parametrize("caller", ["owner"], indirect=True)
def test_owners_manage_members_and_delete(caller, objects):
    UserFactory(username="someone")
    for method, url, body in owner_only(objects):
        # Adding someone who is not a member invites them: 202.
        assert call(caller, method, url, body).status_code in (202, 204), url
    assert not Organization.objects.filter(slug="acme").exists()


@pytest.fixture
def template(db):
    template = organization_create(name_zh="模板", name_en="Template", slug="tpl", is_template=True)
    department = department_create(organization=template, name_zh="客服部", allow_template=True)
    role_create(organization=template, department=department, title_zh="客服", allow_template=True)
    template.refresh_from_db()
    return template


def test_templates_are_readable_by_every_signed_in_user_and_writable_by_nobody(template):
    client = client_for(UserFactory())
    department = template.departments.get()
    role = template.roles.get()
    assert client.get("/api/v1/organizations/tpl/").json()["my_role"] == "viewer"
    assert client.get("/api/v1/organizations/tpl/tree/").status_code == 200
    assert client.get(f"/api/v1/departments/{department.pk}/").status_code == 200
    assert client.get(f"/api/v1/roles/{role.pk}/").status_code == 200
    writes = [
        ("patch", "/api/v1/organizations/tpl/", {"name_en": "Mine"}),
        ("delete", "/api/v1/organizations/tpl/", None),
        ("patch", f"/api/v1/departments/{department.pk}/", {"name": "x"}),
        ("delete", f"/api/v1/departments/{department.pk}/", None),
        ("post", "/api/v1/departments/", {"organization": "tpl", "name": "x"}),
        ("patch", f"/api/v1/roles/{role.pk}/", {"title": "x"}),
        ("post", f"/api/v1/roles/{role.pk}/move/", {"reports_to": None}),
        ("post", "/api/v1/roles/", {"department": department.pk, "title": "x"}),
    ]
    for method, url, body in writes:
        response = call(client, method, url, body)
        assert response.status_code == 403, (method, url)
        detail = response.json()["detail"]
        assert "read-only" in detail or "只读" in detail
    assert Organization.objects.get(slug="tpl").revision == template.revision


def test_a_template_can_be_cloned_instead(template):
    client = client_for(UserFactory(username="cloner"))
    response = client.post("/api/v1/organizations/tpl/clone/", {"name": "我的团队"}, format="json")
    assert response.status_code == 201, response.content
    copy = response.json()
    assert copy["my_role"] == "owner" and copy["is_template"] is False
    assert (
        client.patch(
            f"/api/v1/organizations/{copy['slug']}/", {"name_en": "Mine"}, format="json"
        ).status_code
        == 200
    )


def test_other_organizations_objects_stay_invisible(user, other_user):
    theirs = organization_create(name_zh="别人的", slug="theirs", owner=other_user)
    department = department_path(theirs, "客服部")
    role = role_chain(theirs, department, "客服")
    client = client_for(user)
    assert client.get(f"/api/v1/roles/{role.pk}/").status_code == 404
    assert client.get("/api/v1/roles/?organization=theirs").status_code == 400
    assert client.get(f"/api/v1/roles/?department={department.pk}").status_code == 400
