"""The history page: the timeline and its filters, comparing two revisions, and restoring or
taking back a revision from the page (editors only; a refusal changes nothing)."""

import re

import pytest
from django.test import Client

from departments import services as department_services
from departments.history.recording import Actor, acting
from departments.models import Channel, Revision
from roles import services as role_services
from roles.models import Duty, Role
from tests.factories import UserFactory
from tests.snapshots import database_snapshot as snapshot

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def browser(user) -> Client:
    return client_of(user)


def latest(organization) -> int:
    organization.refresh_from_db()
    return organization.revision


def shown_revisions(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="history-entry" id="revision-(\d+)"', html)]


@pytest.fixture
def design(organization):
    operations = department_services.department_create(
        organization=organization, name_zh="运营中心", name_en="Operations"
    )
    specialist = role_services.role_create(
        organization=organization,
        department=operations,
        title_zh="运营专员",
        title_en="Operations Specialist",
    )
    return operations, specialist


def page(browser: Client, organization, query: str = "", language: str = "en"):
    return browser.get(f"/orgs/{organization.slug}/history/{query}", HTTP_ACCEPT_LANGUAGE=language)


def test_the_timeline_lists_revisions_newest_first_with_who_and_how(
    browser, user, organization, design
):
    _operations, specialist = design
    with acting(Actor(user, Channel.EDITOR)):
        role_services.role_update(role=specialist, title_en="Specialist")
    response = page(browser, organization)
    html = response.content.decode()

    assert response.status_code == 200
    numbers = shown_revisions(html)
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == latest(organization)
    newest = html.split(f'id="revision-{numbers[0]}"')[1].split("</li>\n</li>")[0]
    assert "hr-manager" in newest and "editor" in newest
    assert "renamed Operations Specialist to Specialist" in newest
    assert 'id="revision-1"' in html and "created" in html.split('id="revision-1"')[1]
    assert "system" in html  # the setup above ran without a signed-in person


def test_fifty_revisions_a_page(browser, organization, design):
    _operations, specialist = design
    for number in range(55):
        role_services.role_update(role=specialist, title_en=f"Specialist {number}")

    first = shown_revisions(page(browser, organization).content.decode())
    second = shown_revisions(page(browser, organization, "?page=2").content.decode())

    assert len(first) == 50 and first[0] == latest(organization)
    assert second and second[0] == first[-1] - 1


def test_filter_by_person(browser, user, organization, design):
    _operations, specialist = design
    colleague = UserFactory(username="colleague")
    department_services.membership_set(organization=organization, user=colleague, role="editor")
    with acting(Actor(colleague, Channel.EDITOR)):
        role_services.role_update(role=specialist, title_en="By the colleague")
    theirs = latest(organization)
    with acting(Actor(user, Channel.EDITOR)):
        role_services.role_update(role=specialist, title_en="By me")

    html = page(browser, organization, f"?user={colleague.pk}").content.decode()

    assert shown_revisions(html) == [theirs]
    bad = page(browser, organization, "?user=someone")
    assert bad.status_code == 200
    assert "The person filter is not valid" in bad.content.decode()


def test_filter_by_node_keeps_a_roles_lines_and_head_count(browser, organization, design):
    operations, specialist = design
    other = role_services.role_create(
        organization=organization, department=operations, title_zh="美工", title_en="Designer"
    )
    role_services.role_update(role=specialist, duties=[{"text_zh": "回复", "text_en": "Reply"}])
    duty = latest(organization)
    phase = organization.phases.first()
    role_services.headcount_set(role=specialist, phase=phase, min_count=1, max_count=2)
    headcount = latest(organization)
    role_services.role_update(role=other, title_en="Art Designer")
    department_services.department_update(department=operations, summary_en="Runs the shop")
    summary = latest(organization)

    role_page = page(browser, organization, f"?node=roles-{specialist.pk}").content.decode()
    department_page = page(browser, organization, f"?node=departments-{operations.pk}")

    assert shown_revisions(role_page)[:2] == [headcount, duty]
    assert "Changes to the role Operations Specialist" in role_page
    assert shown_revisions(department_page.content.decode())[0] == summary
    assert "Art Designer" not in role_page
    assert (
        "The node filter is not valid"
        in page(browser, organization, "?node=people-1").content.decode()
    )


def test_compare_two_revisions(browser, organization, design):
    operations, specialist = design
    before = latest(organization)
    service = department_services.department_create(
        organization=organization, name_zh="客服部", name_en="Customer Service"
    )
    department_services.department_move(department=service, target=operations)
    role_services.role_update(role=specialist, title_en="Specialist")
    role_services.role_update(role=specialist, title_en="Senior Specialist")
    now = latest(organization)

    html = browser.get(
        f"/orgs/{organization.slug}/history/compare/?a={before}&b={now}",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert "added department Customer Service under Operations" in html
    assert "renamed Operations Specialist to Senior Specialist" in html
    assert "renamed Operations Specialist to Specialist" not in html  # the net change only
    refused = browser.get(
        f"/orgs/{organization.slug}/history/compare/?a=0&b=x", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400 and "Choose revisions between" in refused.content.decode()


def test_restore_from_the_page(browser, organization, design):
    _operations, specialist = design
    role_services.role_update(role=specialist, title_en="Specialist")
    wanted = latest(organization)
    role_services.role_update(role=specialist, title_en="Changed later")
    now = latest(organization)

    response = browser.post(
        f"/orgs/{organization.slug}/history/{wanted}/restore/",
        {"revision": now},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert Role.objects.get(pk=specialist.pk).title_en == "Specialist"
    assert (
        f"Restored revision {wanted} (now revision {now + 1}); undo takes it back."
        in response.content.decode()
    )
    assert Revision.objects.get(organization=organization, number=now + 1).kind == "restore"


def test_a_refused_restore_says_why_and_changes_nothing(browser, organization, design):
    _operations, specialist = design
    role_services.role_update(role=specialist, title_en="Specialist")
    wanted = latest(organization)
    role_services.role_update(role=specialist, title_en="Someone else's")
    before = snapshot()

    # The page was made at `wanted`; the title it would write back changed since.
    stale = browser.post(
        f"/orgs/{organization.slug}/history/{wanted - 1}/restore/",
        {"revision": wanted},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    missing = browser.post(
        f"/orgs/{organization.slug}/history/{wanted}/restore/",
        {},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    unknown = browser.post(
        f"/orgs/{organization.slug}/history/9999/restore/",
        {"revision": latest(organization)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert f"changed title (English) (revision {wanted + 1})." in stale
    assert "The form did not say which version of the design" in missing
    assert "There is no such revision to restore." in unknown
    assert snapshot() == before


def test_undo_one_change_from_the_page_reports_what_was_left(browser, organization, design):
    _operations, specialist = design
    role_services.role_update(
        role=specialist,
        title_en="Specialist",
        duties=[{"text_zh": "回复", "text_en": "Reply"}],
    )
    taken_back = latest(organization)
    role_services.role_update(role=specialist, title_en="Changed again")
    now = latest(organization)

    html = browser.post(
        f"/orgs/{organization.slug}/history/{taken_back}/revert/",
        {"revision": now},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()

    assert not Duty.objects.filter(role=specialist).exists()
    assert Role.objects.get(pk=specialist.pk).title_en == "Changed again"
    assert f"Took back the changes of revision {taken_back}" in html
    assert "1 change was left because it was changed again since." in html


def test_viewers_see_no_buttons_and_may_not_post(organization, design):
    viewer = UserFactory(username="viewer")
    department_services.membership_set(organization=organization, user=viewer, role="viewer")
    browser = client_of(viewer)
    number = latest(organization)
    before = snapshot()

    html = page(browser, organization).content.decode()
    restore = browser.post(
        f"/orgs/{organization.slug}/history/{number - 1}/restore/", {"revision": number}
    )
    revert = browser.post(
        f"/orgs/{organization.slug}/history/{number}/revert/", {"revision": number}
    )

    assert "Compare with previous" in html
    assert "history-restore" not in html and "history-revert" not in html
    assert restore.status_code == 403 and revert.status_code == 403
    assert snapshot() == before


def test_editors_see_the_buttons(browser, organization, design):
    html = page(browser, organization).content.decode()
    assert "Restore this revision" in html and "Undo this change" in html


def test_strangers_get_404_and_templates_have_no_history(loaded_templates, other_user, user):
    stranger = client_of(other_user)
    department_services.organization_create(name_en="Private", slug="private", owner=user)
    assert stranger.get("/orgs/private/history/").status_code == 404

    template = client_of(user).get("/orgs/startup/history/", HTTP_ACCEPT_LANGUAGE="en")
    assert template.status_code == 200
    assert 'id="history-template"' in template.content.decode()
    assert 'class="history-entry"' not in template.content.decode()


def test_links_to_the_history(organization, design, user):
    operations, specialist = design
    htmx = Client(headers={"HX-Request": "true"})
    htmx.force_login(user)

    role_form = htmx.get(f"/orgs/{organization.slug}/edit/roles/{specialist.pk}/")
    department_form = htmx.get(f"/orgs/{organization.slug}/edit/departments/{operations.pk}/")
    overview = client_of(user).get(f"/orgs/{organization.slug}/")

    role_page = client_of(user).get(f"/orgs/{organization.slug}/roles/{specialist.pk}/")
    department_page = client_of(user).get(f"/orgs/{organization.slug}/departments/{operations.pk}/")

    history = f"/orgs/{organization.slug}/history/"
    for form_or_page in (role_form, role_page):
        assert f"{history}?node=roles-{specialist.pk}" in form_or_page.content.decode()
    for form_or_page in (department_form, department_page):
        assert f"{history}?node=departments-{operations.pk}" in form_or_page.content.decode()
    assert f'href="{history}"' in overview.content.decode()


def test_the_pages_of_a_template_link_to_no_history(loaded_templates, user):
    role = Role.objects.filter(organization__slug="startup").first()
    html = client_of(user).get(f"/orgs/startup/roles/{role.pk}/").content.decode()
    assert "/orgs/startup/roles/" in html and "/history/" not in html
