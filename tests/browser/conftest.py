"""Browser tests: pytest-playwright drives a real Chromium against Django's live server.

Debian's Chromium (/usr/bin/chromium, or $CHROMIUM_PATH) when present, Playwright's own build
otherwise. Every test fails if the page logged a console error or threw, except the failed
requests a test says it expects (a refused move answers 400, a stale edit 409).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from departments.models import Organization
from roles import services as role_services
from roles.services import organization_clone
from tests.factories import department_path, role_chain

# Playwright's sync API runs an event loop in this thread; the test's own database reads are
# ordinary synchronous code, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            args["executable_path"] = candidate
            break
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # zh-CN: the product's default language; the language test switches to English.
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "zh-CN",
        "accept_downloads": True,
    }


class ConsoleWatch:
    def __init__(self):
        self.errors: list[str] = []
        self.expected_statuses: set[int] = set()

    def expect_status(self, status: int) -> None:
        self.expected_statuses.add(status)

    def unexpected(self) -> list[str]:
        def allowed(text: str) -> bool:
            found = re.search(r"status of (\d{3})", text)
            return bool(found) and int(found.group(1)) in self.expected_statuses

        return [text for text in self.errors if not allowed(text)]


@pytest.fixture
def console(page: Page):
    watch = ConsoleWatch()
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    yield watch
    assert watch.unexpected() == []


@pytest.fixture
def screenshot(page: Page):
    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take


@pytest.fixture
def sign_in(page: Page, live_server, console):
    def do(user, next_path: str = "/") -> None:
        page.goto(f"{live_server.url}{next_path}")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.get_by_label(re.compile("用户名|User name")).fill(user.username)
        page.get_by_label(re.compile("密码|Password")).fill(PASSWORD)
        page.locator("form.stacked-form button[type=submit]").click()
        # The editor and the overview add the chart's view, phase and depth to the address.
        expect(page).to_have_url(
            re.compile(re.escape(f"{live_server.url}{next_path}") + r"(\?.*)?$")
        )

    return do


@pytest.fixture
def design(organization):
    """运营中心 > 客服部 with CEO > 运营总监 > 客服主管 and a marketing director."""
    operations = department_path(organization, "运营中心")
    service = department_path(organization, "运营中心 > 客服部")
    director = role_chain(organization, operations, "CEO > 运营总监")
    cs_lead = role_services.role_create(
        organization=organization,
        department=service,
        reports_to=director,
        title_zh="客服主管",
        title_en="Customer Service Lead",
    )
    marketing = role_services.role_create(
        organization=organization,
        department=operations,
        reports_to=director.reports_to,
        title_zh="市场总监",
        title_en="Marketing Director",
    )
    return {
        "organization": organization,
        "operations": operations,
        "service": service,
        "ceo": director.reports_to,
        "director": director,
        "cs_lead": cs_lead,
        "marketing": marketing,
    }


def open_editor(page: Page, live_server, slug: str = "acme") -> None:
    page.goto(f"{live_server.url}/orgs/{slug}/edit/")
    wait_for_chart(page)


def wait_for_chart(page: Page) -> None:
    expect(page.locator(".org-chart-viewport svg")).to_have_count(1, timeout=20_000)


def chart_edges(page: Page) -> set[str]:
    """The reporting lines drawn in the inline chart, as "r<manager>->r<role>"."""
    titles = page.locator(".org-chart-viewport svg g.edge > title").all_text_contents()
    return {title.replace("&#45;", "-") for title in titles}


def show_reporting_chart(page: Page) -> None:
    page.locator("[data-chart-options] select[name=view]").select_option("reporting")
    expect(page.locator(".org-chart-viewport svg g.node").first).to_be_visible()


def row(page: Page, kind: str, pk: int):
    return page.locator(f"#{kind}-{pk} > .node-row")


@pytest.fixture
def big_design(loaded_templates, user):
    """A copy of the cross-border template: long names, wide tables, a chart far wider than
    the editor's column."""
    return organization_clone(
        source=Organization.objects.get(slug="cross-border"),
        owner=user,
        slug="xb",
        name_zh="跨境测试",
        name_en="Cross-border test",
    )
