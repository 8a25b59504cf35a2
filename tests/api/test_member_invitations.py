"""Adding a colleague through the API does not tell the owner whether an account exists: the
answer is the same 202 for a known and an unknown user name or e-mail, and the invitation list
looks the same. The invitee sees who invited them and when, and only their acceptance makes
them a member."""

import pytest

from departments.models import Membership
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = "/api/v1/organizations/acme/members/"


def _comparable(body: dict) -> dict:
    return {
        key: value
        for key, value in body.items()
        if key not in ("id", "address", "created_at", "expires_at")
    }


def test_known_and_unknown_accounts_get_the_same_answer(api, organization):
    colleague = UserFactory(username="colleague", email="colleague@example.com")
    known = api.post(
        MEMBERS,
        {"email": "colleague@example.com", "role": "editor"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    unknown = api.post(
        MEMBERS,
        {"email": "nobody@example.com", "role": "editor"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert known.status_code == unknown.status_code == 202
    assert _comparable(known.json()) == _comparable(unknown.json())
    assert "If a TeamOrg account has this user name or e-mail address" in known.json()["detail"]
    listed = api.get("/api/v1/organizations/acme/invitations/").json()
    assert sorted(item["address"] for item in listed) == [
        "colleague@example.com",
        "nobody@example.com",
    ]
    assert {tuple(sorted(item)) for item in listed} == {tuple(sorted(listed[0]))}
    assert not Membership.objects.filter(user=colleague).exists()  # no access without consent
    assert client_for(colleague).get("/api/v1/organizations/acme/").status_code == 404


def test_the_invitee_sees_who_invited_them_and_accepts(api, organization, user):
    colleague = UserFactory(username="colleague")
    api.post(MEMBERS, {"username": "colleague", "role": "viewer"}, format="json")
    invitee = client_for(colleague)
    (invitation,) = invitee.get("/api/v1/invitations/").json()
    assert invitation["organization"] == "acme"
    assert invitation["invited_by"] == user.username
    assert invitation["role"] == "viewer"
    assert invitation["created_at"]
    accepted = invitee.post(f"/api/v1/invitations/{invitation['id']}/accept/")
    assert accepted.status_code == 201
    assert accepted.json()["added_by"] == user.username
    assert invitee.get("/api/v1/organizations/acme/").status_code == 200
    assert invitee.get("/api/v1/invitations/").json() == []
    member = {m["username"]: m for m in api.get(MEMBERS).json()}["colleague"]
    assert member["added_by"] == user.username


def test_a_declined_invitation_still_looks_open_to_the_owner(api, organization):
    colleague = UserFactory(username="colleague")
    api.post(MEMBERS, {"username": "colleague", "role": "viewer"}, format="json")
    before = api.get("/api/v1/organizations/acme/invitations/").json()
    invitee = client_for(colleague)
    (invitation,) = invitee.get("/api/v1/invitations/").json()
    assert invitee.post(f"/api/v1/invitations/{invitation['id']}/decline/").status_code == 204
    assert invitee.get("/api/v1/invitations/").json() == []
    assert api.get("/api/v1/organizations/acme/invitations/").json() == before
    assert invitee.post(f"/api/v1/invitations/{invitation['id']}/accept/").status_code == 404


def test_someone_elses_invitation_is_a_404(api, organization):
    UserFactory(username="colleague")
    stranger = client_for(UserFactory(username="stranger"))
    api.post(MEMBERS, {"username": "colleague", "role": "owner"}, format="json")
    (invitation,) = api.get("/api/v1/organizations/acme/invitations/").json()
    assert stranger.get(f"/api/v1/invitations/{invitation['id']}/").status_code == 404
    assert stranger.post(f"/api/v1/invitations/{invitation['id']}/accept/").status_code == 404
    assert not Membership.objects.filter(user__username="stranger").exists()


def test_an_owner_withdraws_an_invitation(api, organization):
    colleague = UserFactory(username="colleague")
    api.post(MEMBERS, {"username": "colleague", "role": "viewer"}, format="json")
    (invitation,) = api.get("/api/v1/organizations/acme/invitations/").json()
    url = f"/api/v1/organizations/acme/invitations/{invitation['id']}/"
    assert api.delete(url).status_code == 204
    assert client_for(colleague).get("/api/v1/invitations/").json() == []
    assert api.delete(url).status_code == 404


def test_non_owners_cannot_invite_or_see_invitations(organization, member_client):
    editor = member_client("editor")
    response = editor.post(MEMBERS, {"username": "someone", "role": "viewer"}, format="json")
    assert response.status_code == 403
    assert editor.get("/api/v1/organizations/acme/invitations/").status_code == 403
