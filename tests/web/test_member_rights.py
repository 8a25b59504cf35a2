"""The members page's own forms (issue 13, build item 1): an owner changes a colleague's right
with the row's "Change" button and removes them with "Remove"; the last owner can neither be
demoted nor removed, and the page says why; nothing changes on a refusal."""

from html import unescape

from departments.models import MemberRole, Membership
from tests.factories import UserFactory
from tests.snapshots import database_snapshot
from tests.web.conftest import revision_of

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _member(design, user) -> Membership:
    return Membership.objects.create(
        organization=design["organization"], user=user, role=MemberRole.VIEWER
    )


def test_change_a_colleagues_right_then_remove_them(signed_in, design):
    colleague = _member(design, UserFactory(username="wangfang"))
    page = signed_in.get("/orgs/acme/settings/members/", **EN).content.decode()
    assert f'name="m{colleague.pk}-role"' in page  # the row's own select

    response = signed_in.post(
        f"/orgs/acme/settings/members/{colleague.pk}/",
        {f"m{colleague.pk}-role": "editor", "revision": revision_of(design["organization"])},
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    assert "wangfang is now Editor." in unescape(response.content.decode())
    colleague.refresh_from_db()
    assert colleague.role == MemberRole.EDITOR

    response = signed_in.post(
        f"/orgs/acme/settings/members/{colleague.pk}/",
        {"remove": "1", "revision": revision_of(design["organization"])},
        follow=True,
        **EN,
    )
    assert "Removed wangfang from the organization." in unescape(response.content.decode())
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert f'id="member-{colleague.pk}"' not in response.content.decode()


def test_the_last_owner_cannot_be_demoted_and_is_told_why(signed_in, design, user):
    own = Membership.objects.get(organization=design["organization"], user=user)
    before = database_snapshot()
    response = signed_in.post(
        f"/orgs/acme/settings/members/{own.pk}/",
        {f"m{own.pk}-role": "viewer", "revision": revision_of(design["organization"])},
        follow=True,
        **EN,
    )
    assert "An organization needs at least one owner." in unescape(response.content.decode())
    assert database_snapshot() == before

    # With a second owner, the first may step down.
    second = _member(design, UserFactory(username="lihua"))
    Membership.objects.filter(pk=second.pk).update(role=MemberRole.OWNER)
    response = signed_in.post(
        f"/orgs/acme/settings/members/{own.pk}/",
        {f"m{own.pk}-role": "editor", "revision": revision_of(design["organization"])},
        follow=True,
        **EN,
    )
    own.refresh_from_db()
    assert own.role == MemberRole.EDITOR
    # No longer an owner: the page now shows the list read-only, naming the owner to ask.
    assert 'id="members-readonly"' in response.content.decode()
    assert "lihua" in response.content.decode()


def test_an_unknown_right_is_refused_and_nothing_changes(signed_in, design):
    colleague = _member(design, UserFactory(username="wangfang"))
    before = database_snapshot()
    response = signed_in.post(
        f"/orgs/acme/settings/members/{colleague.pk}/",
        {f"m{colleague.pk}-role": "admin", "revision": revision_of(design["organization"])},
        follow=True,
        **EN,
    )
    assert response.status_code == 200
    assert "Select a valid choice. admin is not one of the available choices." in unescape(
        response.content.decode()
    )
    assert database_snapshot() == before
