"""A revision's changes read as lines on the history page, in the language the page is shown in
(names in that language too), with re-inserted unchanged lines netted out and a constant
number of queries per page."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _

from departments import services as department_services
from roles import services as role_services
from roles.services.role_lines import LineRow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def latest(organization) -> int:
    organization.refresh_from_db()
    return organization.revision


def lines_of(browser: Client, organization, number: int, language: str = "en") -> list[str]:
    """The lines the history page shows for revision `number`."""
    page = browser.get(
        f"/orgs/{organization.slug}/history/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    entry = re.search(
        rf'id="revision-{number}">(.*?)class="history-actions"', page, flags=re.DOTALL
    )
    assert entry, f"revision {number} is not on the page"
    return [unescape(line) for line in re.findall(r"<li>(.*?)</li>", entry[1])]


def in_chinese(message: str, **values) -> str:
    with translation.override("zh-hans"):
        return _(message) % values


def department(organization, zh: str, en: str, parent=None):
    return department_services.department_create(
        organization=organization, parent=parent, name_zh=zh, name_en=en
    )


def role(organization, unit, zh: str, en: str, manager=None):
    return role_services.role_create(
        organization=organization, department=unit, reports_to=manager, title_zh=zh, title_en=en
    )


def test_a_moved_department_reads_in_both_languages(browser, organization):
    operations = department(organization, "运营中心", "Operations")
    service = department(organization, "客服部", "Customer Service")
    department_services.department_move(department=service, target=operations)
    number = latest(organization)

    assert lines_of(browser, organization, number) == ["moved Customer Service under Operations"]
    assert lines_of(browser, organization, number, "zh-hans") == [
        in_chinese("moved %(name)s under %(parent)s", name="客服部", parent="运营中心")
    ]


def test_head_count_renames_adds_and_deletes(browser, organization):
    operations = department(organization, "运营中心", "Operations")
    specialist = role(organization, operations, "运营专员", "Operations Specialist")
    growth = organization.phases.order_by("order")[1]
    role_services.headcount_set(role=specialist, phase=growth, min_count=2, max_count=3)
    role_services.headcount_set(role=specialist, phase=growth, min_count=3, max_count=5)
    changed_count = latest(organization)
    role_services.role_update(role=specialist, title_zh="客服专员", title_en="Support Specialist")
    renamed = latest(organization)
    compliance = department(organization, "合规部", "Compliance")
    role(organization, operations, "美工", "Designer")
    added = latest(organization)
    role_services.department_delete(department=compliance)
    deleted = latest(organization)

    assert lines_of(browser, organization, changed_count) == [
        f"head count of Support Specialist in {growth.name_en}: 2–3 → 3–5"
    ]
    assert lines_of(browser, organization, changed_count, "zh-hans") == [
        in_chinese(
            "head count of %(role)s in %(phase)s: %(old)s → %(new)s",
            role="客服专员",
            phase=growth.name_zh,
            old="2–3",
            new="3–5",
        )
    ]
    assert lines_of(browser, organization, renamed) == [
        "renamed Operations Specialist to Support Specialist"
    ]
    assert lines_of(browser, organization, renamed, "zh-hans") == [
        in_chinese("renamed %(old)s to %(new)s", old="运营专员", new="客服专员")
    ]
    assert lines_of(browser, organization, added) == ["added role Designer in Operations"]
    assert lines_of(browser, organization, deleted) == ["deleted department Compliance"]
    assert lines_of(browser, organization, deleted, "zh-hans") == [
        in_chinese("deleted department %(name)s", name="合规部")
    ]


def test_saving_a_role_form_shows_only_the_duties_that_changed(browser, organization):
    operations = department(organization, "运营中心", "Operations")
    specialist = role(organization, operations, "运营专员", "Operations Specialist")
    answer = LineRow(None, "回复客户咨询", "Answer customer questions")
    role_services.role_replace_lines(role=specialist, lines_by_kind={"duties": [answer]})
    first = specialist.duties.get()
    long_text = "处理" + "退款和换货申请" * 12
    kept = LineRow(first.pk, first.text_zh, first.text_en)
    role_services.role_replace_lines(
        role=specialist, lines_by_kind={"duties": [kept, LineRow(None, long_text, "")]}
    )
    added = latest(organization)
    duties = list(specialist.duties.order_by("order"))
    role_services.role_replace_lines(
        role=specialist,
        lines_by_kind={"duties": [LineRow(duties[1].pk, long_text, ""), kept]},
    )
    reordered = latest(organization)
    role_services.role_replace_lines(
        role=specialist, lines_by_kind={"duties": [LineRow(duties[1].pk, long_text, "")]}
    )
    removed = latest(organization)

    (line,) = lines_of(browser, organization, added)
    assert line.startswith("Operations Specialist: duty added: 处理退款和换货申请")
    assert line.endswith("…") and len(line) < 120
    assert lines_of(browser, organization, reordered) == ["Operations Specialist: duties reordered"]
    assert lines_of(browser, organization, removed) == [
        "Operations Specialist: duty removed: Answer customer questions"
    ]
    assert lines_of(browser, organization, removed, "zh-hans") == [
        in_chinese(
            "%(role)s: %(kind)s removed: %(text)s",
            role="运营专员",
            kind=in_chinese("duty"),
            text="回复客户咨询",
        )
    ]


def test_descriptions_phases_members_and_collaboration_lines(browser, organization):
    operations = department(organization, "运营中心", "Operations")
    service = department(organization, "客服部", "Customer Service")
    role_services.collaboration_create(
        organization=organization, from_department=operations, to_department=service
    )
    collaboration = latest(organization)
    department_services.department_update(department=service, summary_zh="负责售后")
    described = latest(organization)
    phase = department_services.phase_create(
        organization=organization, name_zh="扩张期", name_en="Expansion", order=9
    )
    phase_added = latest(organization)
    department_services.phase_update(phase=phase, name_en="Scale-up")
    phase_renamed = latest(organization)
    li_hua = UserFactory(username="lihua", first_name="华", last_name="李")
    department_services.membership_set(organization=organization, user=li_hua, role="editor")
    member = latest(organization)

    assert lines_of(browser, organization, collaboration) == [
        "collaboration line added: Operations ↔ Customer Service"
    ]
    assert lines_of(browser, organization, described) == ["changed the summary of Customer Service"]
    assert lines_of(browser, organization, phase_added) == ["added phase Expansion"]
    assert lines_of(browser, organization, phase_renamed) == ["renamed phase Expansion to Scale-up"]
    assert lines_of(browser, organization, member) == ["member 华 李 added as editor"]


def test_names_of_deleted_rows_come_from_their_last_recorded_change(browser, organization):
    service = department(organization, "客服部", "Customer Service")
    temporary = department(organization, "临时部", "Temporary")
    department_services.department_move(department=service, target=temporary)
    moved = latest(organization)
    department_services.department_move(department=service, target=None)
    role_services.department_delete(department=temporary)
    operations = department(organization, "运营中心", "Operations")
    department_services.department_move(department=service, target=operations)
    moved_again = latest(organization)
    department_services.department_update(department=operations, name_en="Operations Centre")

    assert lines_of(browser, organization, moved) == ["moved Customer Service under Temporary"]
    # A department that still exists is named as it is now.
    assert lines_of(browser, organization, moved_again) == [
        "moved Customer Service under Operations Centre"
    ]


def _design_with_revisions(owner, count: int):
    organization = department_services.organization_create(
        name_zh=f"公司{count}", name_en=f"Company {count}", slug=f"company-{count}", owner=owner
    )
    unit = department(organization, "运营中心", "Operations")
    other = department(organization, "客服部", "Customer Service")
    manager = role(organization, unit, "运营总监", "Director")
    worker = role(organization, unit, "运营专员", "Specialist", manager)
    phases = list(organization.phases.order_by("order"))
    for number in range(count):
        step = number % 5
        if step == 0:
            role_services.role_update(role=worker, title_en=f"Specialist {number}")
        elif step == 1:
            role_services.headcount_set(
                role=worker, phase=phases[number % 3], min_count=number, max_count=number + 2
            )
        elif step == 2:
            role_services.role_update(
                role=worker, duties=[{"text_zh": f"职责{number}", "text_en": f"Duty {number}"}]
            )
        elif step == 3:
            target = unit if number % 2 else other
            department_services.department_move(
                department=department(organization, f"组{number}", f"Team {number}"),
                target=target,
            )
        else:
            role_services.role_move(role=worker, target=manager if number % 2 else None)
    return organization


def test_the_page_reads_a_constant_number_of_queries(user):
    browser = Client()
    browser.force_login(user)
    counted = {}
    for count in (5, 50):
        organization = _design_with_revisions(user, count)
        url = f"/orgs/{organization.slug}/history/"
        browser.get(url)  # the session and the language settle first
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert response.content.decode().count('class="history-entry"') >= min(count, 50)
        counted[count] = len(queries)
    assert counted[5] == counted[50]


def test_a_departments_own_head_count_changed_reads_as_one_line(browser, organization):
    operations = department(organization, "运营中心", "Operations")
    growth = organization.phases.order_by("order")[1]
    department_services.department_set_headcount(
        department=operations, headcount=[{"phase": growth.pk, "min": 4, "max": 6}]
    )
    department_services.department_set_headcount(
        department=operations, headcount=[{"phase": growth.pk, "min": 5, "max": 8}]
    )
    changed = latest(organization)

    assert lines_of(browser, organization, changed) == [
        f"head count of department Operations in {growth.name_en}: 4–6 → 5–8"
    ]
    assert lines_of(browser, organization, changed, "zh-hans") == [
        in_chinese(
            "head count of department %(department)s in %(phase)s: %(old)s → %(new)s",
            department="运营中心",
            phase=growth.name_zh,
            old="4–6",
            new="5–8",
        )
    ]
