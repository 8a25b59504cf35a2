from departments.models import Organization
from roles.models import Role
from tests.api.conftest import client_for
from tests.benchmarks.synthetic import bulk_design as build_design


def test_clone_makes_an_independent_copy_owned_by_the_caller(user, other_user):
    source = build_design(roles=20, owner=other_user, slug="source")
    Organization.objects.filter(pk=source.pk).update(is_template=True)  # as loadtemplates does
    client = client_for(user)
    response = client.post(
        "/api/v1/organizations/source/clone/",
        {"name": "我的团队", "slug": "my-team"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "my-team" and body["name"] == "我的团队" and body["my_role"] == "owner"
    copy = Organization.objects.get(slug="my-team")
    assert Role.objects.filter(organization=copy).count() == 20
    tree = client.get("/api/v1/organizations/my-team/tree/").json()
    original = client.get("/api/v1/organizations/source/tree/").json()
    assert len(tree["reporting"]) == len(original["reporting"]) == 1
    # Independent: changing the copy leaves the source alone.
    role = Role.objects.filter(organization=copy).first()
    response = client.patch(f"/api/v1/roles/{role.pk}/", {"title": "改"}, format="json")
    assert response.status_code == 200
    assert not Role.objects.filter(organization=source, title_zh="改").exists()


def test_clone_name_goes_to_the_request_language(api, organization):
    response = api.post(
        "/api/v1/organizations/acme/clone/?lang=en", {"name": "Copy"}, format="json"
    )
    assert response.status_code == 201
    copy = Organization.objects.get(slug=response.json()["slug"])
    assert copy.name_en == "Copy"


def test_clone_needs_a_name_and_a_free_slug(api, organization):
    assert api.post("/api/v1/organizations/acme/clone/", {}, format="json").status_code == 400
    taken = api.post(
        "/api/v1/organizations/acme/clone/", {"name": "x", "slug": "acme"}, format="json"
    )
    assert taken.status_code == 400 and "slug" in taken.json()["errors"]


def test_an_invisible_organization_cannot_be_cloned(other_user, organization):
    response = client_for(other_user).post(
        "/api/v1/organizations/acme/clone/", {"name": "偷"}, format="json"
    )
    assert response.status_code == 404


def test_a_clone_of_a_design_that_changed_since_it_was_read_is_412(api, design):
    """The clone copies what the caller saw or nothing: a stale If-Match is refused by the
    service under the tree lock."""
    read = api.get("/api/v1/organizations/acme/")["ETag"]
    api.patch("/api/v1/organizations/acme/", {"name_en": "Changed"}, format="json")
    count = Organization.objects.count()
    stale = api.post(
        "/api/v1/organizations/acme/clone/", {"name": "副本"}, format="json", HTTP_IF_MATCH=read
    )
    assert stale.status_code == 412, stale.content
    current = Organization.objects.get(slug="acme").revision
    assert stale.json()["code"] == "stale_revision"
    assert stale.json()["current_revision"] == current
    assert Organization.objects.count() == count
    fresh = api.post(
        "/api/v1/organizations/acme/clone/",
        {"name": "副本"},
        format="json",
        HTTP_IF_MATCH=f'"{current}"',
    )
    assert fresh.status_code == 201, fresh.content
    assert Organization.objects.count() == count + 1
