"""The history's comparison of two revisions shows what the plan's compare page shows for two
designs: the changes list, the head-count chart and the head count per department, read from
the designs as they were at those revisions."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from departments import services as department_services
from departments.models import HeadcountPhase
from roles import services as role_services

pytestmark = pytest.mark.django_db


class Tables(HTMLParser):
    """The text of every table row, by the table's class; and the page's SVG figures."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.svg_text: list[str] = []
        self._table = self._row = self._cell = None
        self._in_svg = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("class", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and self._row is not None:
            self.links.append(attrs.get("href", ""))
        elif tag == "svg":
            self._in_svg += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "svg":
            self._in_svg -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._in_svg:
            self.svg_text.append(data)


@pytest.fixture(autouse=True)
def keep_the_language():
    """The test client leaves the language of its last request active: put it back, so the
    tests that run after these read names in the language they expect."""
    with translation.override(translation.get_language()):
        yield


def latest(organization) -> int:
    organization.refresh_from_db()
    return organization.revision


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def design(organization):
    phases = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    operations = department_services.department_create(
        organization=organization, name_zh="运营中心", name_en="Operations"
    )
    service = department_services.department_create(
        organization=organization, name_zh="客服部", name_en="Service", parent=operations
    )
    sales = department_services.department_create(
        organization=organization, name_zh="销售部", name_en="Sales"
    )
    finance = department_services.department_create(
        organization=organization, name_zh="财务部", name_en="Finance"
    )
    boss = role_services.role_create(
        organization=organization, department=operations, title_zh="运营总监",
        title_en="Head of Operations", headcount=[{"phase": phases[0].pk, "min": 1, "max": 1}],
    )  # fmt: skip
    agent = role_services.role_create(
        organization=organization, department=service, reports_to=boss, title_zh="客服专员",
        title_en="Agent", headcount=[{"phase": phases[0].pk, "min": 2, "max": 3}],
    )  # fmt: skip
    role_services.role_create(
        organization=organization, department=finance, title_zh="会计", title_en="Accountant",
        headcount=[{"phase": phases[0].pk, "min": 4, "max": 4}],
    )  # fmt: skip
    return {"phases": phases, "service": service, "sales": sales, "agent": agent}


def compare(browser, organization, a, b, language="en"):
    return browser.get(
        f"/orgs/{organization.slug}/history/compare/?a={a}&b={b}", HTTP_ACCEPT_LANGUAGE=language
    )


def edit(organization, design) -> None:
    """Rename a role, move a department, change a head count: three revisions."""
    role_services.role_update(role=design["agent"], title_en="Customer Agent")
    department_services.department_move(department=design["service"], target=design["sales"])
    role_services.role_set_headcount(
        role=design["agent"], phase=design["phases"][0], min_count=5, max_count=5
    )


def test_the_history_compare_page_shows_the_plan_comparison(browser, organization, design):
    before = latest(organization)
    edit(organization, design)
    now = latest(organization)

    response = compare(browser, organization, before, now)
    html = response.content.decode()
    page = Tables(html)

    assert response.status_code == 200
    assert f"From Revision {before} to now" in html
    # The changes lists: the department moved, the role retitled, each row as [change, name,
    # before, after], linked to the node's own history.
    changes = page.tables["plan-grid change-list"]
    assert ["moved", "Service", "Operations > Service", "Sales > Service"] in changes
    # Names only: the codes are for machines (the CSV and the API).
    assert ["retitled", "Customer Agent", "Agent", "Customer Agent"] in changes
    assert not [row for row in changes if row[0] in ("added", "removed")]
    assert f"/orgs/{organization.slug}/history/?node=roles-{design['agent'].pk}" in page.links
    # The chart names the departments whose head count changed, and only those.
    svg = " ".join(page.svg_text)
    assert "<svg" in html.split('class="compare-chart"')[1].split("</figure>")[0]
    assert "Service" in svg and "Sales" in svg and "Finance" not in svg
    # The table: the first phase's before, after and change per department.
    grid = {row[0]: row[1:4] for row in page.tables["plan-grid compare-grid"] if len(row) > 3}
    assert grid["Service"] == ["2–3", "5", "+3…+2"]
    assert grid["Sales"] == ["0", "5", "+5"]
    assert grid["Operations"] == ["3–4", "1", "−2…−3"]
    assert grid["Finance"] == ["4", "4", "0"]
    # The readable lines are still there, above.
    assert "renamed Agent to Customer Agent" in html


def test_two_past_revisions_are_named_by_number_and_either_order_reads(
    browser, organization, design
):
    first = latest(organization)
    edit(organization, design)
    second = latest(organization)
    role_services.role_update(role=design["agent"], title_en="Later title")

    forward = Tables(compare(browser, organization, first, second).content.decode())
    backward = compare(browser, organization, second, first).content.decode()

    assert ["retitled", "Customer Agent", "Agent", "Customer Agent"] in forward.tables[
        "plan-grid change-list"
    ]
    assert f"From Revision {second} to Revision {first}" in backward
    assert (
        Tables(backward)
        .tables["plan-grid change-list"]
        .count(["retitled", "Agent", "Customer Agent", "Agent"])
        == 1
    )


def test_the_page_is_in_chinese_too(browser, organization, design):
    before = latest(organization)
    edit(organization, design)
    html = compare(browser, organization, before, latest(organization), "zh-hans").content.decode()
    grid = {row[0]: row[1:3] for row in Tables(html).tables["plan-grid compare-grid"] if row}
    assert grid["客服部"] == ["2–3", "5"]


def queries_of(browser, organization, a, b) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert compare(browser, organization, a, b).status_code == 200
    return len(queries)


def test_constant_queries_whatever_the_length_of_history(browser, organization, design):
    start = latest(organization)
    edit(organization, design)
    small = queries_of(browser, organization, start, latest(organization))

    phases = design["phases"]
    for number in range(20):
        department = department_services.department_create(
            organization=organization, name_zh=f"部门{number}", parent=design["sales"]
        )
        role = role_services.role_create(
            organization=organization, department=department, title_zh=f"岗位{number}",
            headcount=[{"phase": phases[1].pk, "min": number, "max": number + 1}],
        )  # fmt: skip
        role_services.role_update(role=role, title_en=f"Role {number}")
    large = queries_of(browser, organization, start, latest(organization))

    assert large == small


@pytest.mark.parametrize("query", ["a=0&b=x", "a=&b=", "a=1&b=999999", "a=-3&b=1"])
def test_bad_revisions_are_refused_with_a_message(browser, organization, design, query):
    response = browser.get(
        f"/orgs/{organization.slug}/history/compare/?{query}", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose revisions between" in html
    assert "compare-chart" not in html
