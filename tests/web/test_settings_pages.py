"""Organization settings, members and phases in the browser pages (no admin, no API)."""

from departments.invitations import invitation_accept
from departments.models import HeadcountPhase, MemberRole, Membership
from departments.selectors import invitations_for
from departments.services import organization_update
from roles.models import HeadcountTarget
from roles.services.roles import role_set_headcount
from tests.factories import OrganizationFactory, UserFactory
from tests.snapshots import database_snapshot
from tests.web.conftest import revision_of


def _revision(design):
    return revision_of(design["organization"])


def test_settings_save_both_names_and_the_business_model(signed_in, design):
    response = signed_in.post(
        "/orgs/acme/settings/",
        {
            "name_zh": "新名字",
            "name_en": "New name",
            "description_zh": "跨境电商",
            "description_en": "",
            "business_model": "cross-border",
            "span_of_control_limit": "10",
            "layer_limit": "5",
            "revision": _revision(design),
        },
    )
    assert response.status_code == 302
    organization = design["organization"]
    organization.refresh_from_db()
    assert (organization.name_zh, organization.name_en) == ("新名字", "New name")
    assert organization.business_model == "cross-border"
    assert organization.description_zh == "跨境电商"


def test_settings_refused_changes_nothing_and_keeps_what_was_typed(signed_in, design):
    before = database_snapshot()
    response = signed_in.post(
        "/orgs/acme/settings/",
        {
            "name_zh": "",
            "name_en": "",
            "description_zh": "我的说明",
            "business_model": "startup",
            "span_of_control_limit": "500",
            "layer_limit": "5",
            "revision": _revision(design),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "我的说明" in body
    assert database_snapshot() == before


def test_a_stale_settings_save_is_refused_with_the_typed_text_kept(signed_in, design):
    # Someone else renames the organization after this page was read: a save of the same
    # field from the page's older revision is refused (a stale save of other fields is not).
    read_revision = _revision(design)
    organization_update(organization=design["organization"], name_zh="别人改的名字")
    before = database_snapshot()
    response = signed_in.post(
        "/orgs/acme/settings/",
        {
            "name_zh": "改过的名字",
            "name_en": "",
            "business_model": "startup",
            "span_of_control_limit": "12",
            "layer_limit": "5",
            "revision": read_revision,
        },
    )
    assert response.status_code == 400
    assert "改过的名字" in response.content.decode()
    assert database_snapshot() == before


def test_owner_adds_a_colleague_by_email_and_the_last_owner_is_protected(signed_in, design, user):
    colleague = UserFactory(username="wangfang", email="Wang.Fang@example.com")
    response = signed_in.post(
        "/orgs/acme/settings/members/",
        {"who": "wang.fang@EXAMPLE.com", "role": "viewer", "revision": _revision(design)},
    )
    assert response.status_code == 302
    # Invited, not yet a member: the colleague accepts on their dashboard.
    assert not Membership.objects.filter(user=colleague).exists()
    (invitation,) = invitations_for(colleague)
    invitation_accept(invitation=invitation, user=colleague)
    membership = Membership.objects.get(organization=design["organization"], user=colleague)
    assert membership.role == MemberRole.VIEWER

    # Adding a member again changes their right.
    again = signed_in.post(
        "/orgs/acme/settings/members/",
        {"who": "wangfang", "role": "editor", "revision": _revision(design)},
    )
    assert again.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MemberRole.EDITOR

    # An address without an account is answered like one with an account.
    nobody = signed_in.post(
        "/orgs/acme/settings/members/",
        {"who": "nobody@example.com", "role": "viewer", "revision": _revision(design)},
    )
    assert nobody.status_code == 302

    own = Membership.objects.get(organization=design["organization"], user=user)
    before = database_snapshot()
    signed_in.post(
        f"/orgs/acme/settings/members/{own.pk}/",
        {"remove": "1", "revision": _revision(design)},
    )
    assert database_snapshot() == before  # the last owner stays
    page = signed_in.get("/orgs/acme/settings/members/").content.decode()
    assert "wangfang" in page


def test_a_viewer_sees_members_read_only_and_cannot_post(client, design):
    viewer = UserFactory(username="viewer1")
    Membership.objects.create(organization=design["organization"], user=viewer, role="viewer")
    client.force_login(viewer)
    page = client.get("/orgs/acme/settings/members/")
    assert page.status_code == 200
    assert 'id="members-readonly"' in page.content.decode()
    before = database_snapshot()
    refused = client.post(
        "/orgs/acme/settings/members/",
        {"who": "viewer1", "role": "owner", "revision": _revision(design)},
    )
    assert refused.status_code == 403
    assert database_snapshot() == before
    editor = client.get("/orgs/acme/edit/")
    assert editor.status_code == 403
    assert 'id="read-only-owners"' in editor.content.decode()
    assert client.get("/orgs/acme/settings/phases/").status_code == 403


def test_phases_add_reorder_and_delete_moving_their_head_count(signed_in, design):
    organization = design["organization"]
    response = signed_in.post(
        "/orgs/acme/settings/phases/",
        {
            "new-name_zh": "扩张期",
            "new-name_en": "Expansion",
            "new-start_month": "25",
            "new-end_month": "",
            "revision": _revision(design),
        },
    )
    assert response.status_code == 302
    phases = list(organization.phases.order_by("order"))
    assert phases[-1].name_zh == "扩张期"

    first, second = phases[0], phases[1]
    signed_in.post(
        f"/orgs/acme/settings/phases/{second.pk}/", {"move": "up", "revision": _revision(design)}
    )
    assert list(organization.phases.order_by("order"))[:2] == [second, first]

    lead, director = design["cs_lead"], design["director"]
    role_set_headcount(role=lead, phase=first, min_count=1, max_count=2)
    role_set_headcount(role=director, phase=first, min_count=1, max_count=1)
    role_set_headcount(role=director, phase=second, min_count=3, max_count=3)
    confirm = signed_in.get(f"/orgs/acme/settings/phases/{first.pk}/delete/").content.decode()
    assert "客服主管" in confirm and "运营总监" in confirm

    response = signed_in.post(
        f"/orgs/acme/settings/phases/{first.pk}/delete/",
        {"targets": "move", "move_to": second.pk, "revision": _revision(design)},
    )
    assert response.status_code == 302
    assert not HeadcountPhase.objects.filter(pk=first.pk).exists()
    moved = {
        t.role_id: (t.min_count, t.max_count) for t in HeadcountTarget.objects.filter(phase=second)
    }
    assert moved == {lead.pk: (1, 2), director.pk: (3, 3)}  # the director keeps its own


def test_a_phase_that_ends_before_it_starts_is_refused(signed_in, design):
    phase = design["organization"].phases.order_by("order").first()
    before = database_snapshot()
    response = signed_in.post(
        f"/orgs/acme/settings/phases/{phase.pk}/",
        {
            f"p{phase.pk}-name_zh": "启动期",
            f"p{phase.pk}-start_month": "6",
            f"p{phase.pk}-end_month": "3",
            "revision": _revision(design),
        },
    )
    assert response.status_code == 400
    assert database_snapshot() == before


def test_another_organizations_phase_is_missing(signed_in, design, other_user):
    stranger = OrganizationFactory(owner=other_user).phases.first()
    assert signed_in.get(f"/orgs/acme/settings/phases/{stranger.pk}/delete/").status_code == 404
