from departments.models import Membership
from tests.api.conftest import client_for
from tests.factories import UserFactory


def test_owner_adds_changes_and_removes_members(api, organization):
    colleague = UserFactory(username="colleague")
    added = api.post(
        "/api/v1/organizations/acme/members/",
        {"username": "colleague", "role": "viewer"},
        format="json",
    )
    assert added.status_code == 202  # invited: a member once they accept
    assert added.json()["role"] == "viewer"
    (invitation,) = client_for(colleague).get("/api/v1/invitations/").json()
    accepted = client_for(colleague).post(f"/api/v1/invitations/{invitation['id']}/accept/")
    assert accepted.status_code == 201
    assert accepted.json()["added_by"] == "hr-manager"
    assert client_for(colleague).get("/api/v1/organizations/acme/").status_code == 200
    assert (
        client_for(colleague)
        .patch("/api/v1/organizations/acme/", {"name": "x"}, format="json")
        .status_code
        == 403
    )
    changed = api.patch(
        "/api/v1/organizations/acme/members/colleague/", {"role": "editor"}, format="json"
    )
    assert changed.json()["role"] == "editor"
    assert (
        client_for(colleague)
        .patch("/api/v1/organizations/acme/", {"name": "x"}, format="json")
        .status_code
        == 200
    )
    listed = api.get("/api/v1/organizations/acme/members/").json()
    assert {(m["username"], m["role"]) for m in listed} == {
        ("colleague", "editor"),
        ("hr-manager", "owner"),
    }
    assert api.delete("/api/v1/organizations/acme/members/colleague/").status_code == 204
    assert client_for(colleague).get("/api/v1/organizations/acme/").status_code == 404


def test_an_organization_keeps_an_owner(api, organization):
    response = api.delete("/api/v1/organizations/acme/members/hr-manager/")
    assert response.status_code == 400
    assert Membership.objects.filter(organization=organization).count() == 1


def test_unknown_member_is_404(api, organization):
    response = api.patch(
        "/api/v1/organizations/acme/members/nobody/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 404
