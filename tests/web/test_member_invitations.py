"""The members page adds a colleague by invitation: the same answer for an address with and
without an account, and the colleague sees on their dashboard who invited them and when, and
becomes a member only by accepting."""

from django.test import Client

from departments.models import Membership
from tests.factories import UserFactory
from tests.web.conftest import revision_of


def _add(signed_in, design, who):
    response = signed_in.post(
        "/orgs/acme/settings/members/",
        {"who": who, "role": "editor", "revision": revision_of(design["organization"])},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(signed_in, design):
    colleague = UserFactory(username="wangfang", email="wang.fang@example.com")
    known = _add(signed_in, design, "wang.fang@example.com")
    unknown = _add(signed_in, design, "nobody@example.com")
    message = "If a TeamOrg account has the user name or e-mail address “{}”, it is invited"
    assert message.format("wang.fang@example.com") in known
    assert message.format("nobody@example.com") in unknown
    assert not Membership.objects.filter(user=colleague).exists()
    assert 'id="invitations"' in unknown
    assert "wang.fang@example.com" in unknown and "nobody@example.com" in unknown


def test_the_colleague_accepts_on_the_dashboard_and_sees_who_added_them(signed_in, design, user):
    user.first_name, user.last_name = "Fang", "Li"
    user.save()
    colleague = UserFactory(username="wangfang")
    _add(signed_in, design, "wangfang")
    client = Client()
    client.force_login(colleague)
    dashboard = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="invitations"' in dashboard
    assert "Fang Li invited you as Editor on" in dashboard
    invitation = colleague.invitations.get()
    accepted = client.post(f"/invitations/{invitation.pk}/accept/", HTTP_ACCEPT_LANGUAGE="en")
    assert accepted.status_code == 302
    membership = Membership.objects.get(user=colleague)
    assert (membership.role, membership.added_by) == ("editor", user)
    dashboard = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Added by Fang Li on" in dashboard
    assert 'id="invitations"' not in dashboard


def test_declining_hides_the_invitation_and_someone_else_cannot_answer_it(signed_in, design):
    colleague = UserFactory(username="wangfang")
    stranger = UserFactory(username="stranger")
    _add(signed_in, design, "wangfang")
    invitation = colleague.invitations.get()
    other = Client()
    other.force_login(stranger)
    assert other.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    client = Client()
    client.force_login(colleague)
    assert client.post(f"/invitations/{invitation.pk}/decline/").status_code == 302
    assert 'id="invitations"' not in client.get("/").content.decode()
    assert client.post(f"/invitations/{invitation.pk}/accept/").status_code == 404
    assert not Membership.objects.filter(user=colleague).exists()
    # The owner still sees it, as they see an invitation to an address without an account.
    members_page = signed_in.get("/orgs/acme/settings/members/").content.decode()
    assert f'id="invitation-{invitation.pk}"' in members_page


def test_an_owner_withdraws_an_invitation(signed_in, design):
    colleague = UserFactory(username="wangfang")
    _add(signed_in, design, "wangfang")
    invitation = colleague.invitations.get()
    response = signed_in.post(f"/orgs/acme/settings/members/invitations/{invitation.pk}/withdraw/")
    assert response.status_code == 302
    assert not colleague.invitations.exists()
