"""The editor of a 5,000-role design (issue 21): it opens, a department is expanded, a role is
moved by dragging it, and the chart follows, each step within the usual timeouts."""

from playwright.sync_api import Page, expect

from departments.models import Department
from roles.models import Role
from tests.benchmarks.synthetic import bulk_design
from tests.browser.conftest import open_editor, row, show_reporting_chart


def edge(page: Page, manager: int, report: int):
    titles = page.locator(".org-chart-viewport svg g.edge > title")
    return titles.filter(has_text=f"r{manager}->r{report}")


def test_a_5000_role_design_opens_expands_and_moves_a_role(
    page: Page, live_server, sign_in, user, console
):
    organization = bulk_design(roles=5000, owner=user, slug="huge")
    sign_in(user, "/orgs/huge/edit/")
    open_editor(page, live_server, "huge")

    # Expand a department whose sub-departments the page did not render.
    closed = Department.objects.filter(organization=organization, depth=2, rght__gt=1).order_by(
        "tree_id", "lft"
    )
    department = next(d for d in closed if d.get_children().exists())
    toggle = row(page, "departments", department.pk).locator("[data-toggle]")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    children = page.locator(f"#children-departments-{department.pk} > li")
    expect(children).to_have_count(0)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(children).to_have_count(department.get_children().count())
    expect(children.first).to_be_visible()

    # Move a direct report of the top role under another one: the outline and the chart follow.
    show_reporting_chart(page)
    top = Role.objects.get(organization=organization, reports_to=None)
    moved, manager = list(top.get_children()[:2])
    expect(edge(page, top.pk, moved.pk)).to_have_count(1)
    row(page, "roles", moved.pk).drag_to(row(page, "roles", manager.pk))

    expect(page.locator("#editor-status")).to_contain_text(moved.title_zh)
    expect(page.locator(f"#roles-{manager.pk} #roles-{moved.pk}")).to_have_count(1)
    expect(edge(page, top.pk, moved.pk)).to_have_count(0)
    assert Role.objects.get(pk=moved.pk).reports_to_id == manager.pk
    # The department opened before the move is still open after the outlines were redrawn.
    expect(page.locator(f"#children-departments-{department.pk} > li")).to_have_count(
        department.get_children().count()
    )
