"""Every panel of the editor opened in Chromium at desktop (1280×800), tablet (820×1180) and phone
(390×844) width, on a copy of the cross-border template (long bilingual names, a wide chart):
each panel shows, nothing in it is wider than the viewport and the page does not scroll sideways
(tables scroll inside their own box). A screenshot of each panel at each size is kept in the
git-ignored artifacts/screenshots/editor-panels/ folder, for a person to look at (issue 13)."""

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from roles.models import Collaboration
from tests.browser.conftest import SCREENSHOTS, open_editor
from tests.browser.test_page_widths import OFFENDERS

SIZES = ((1280, 800), (820, 1180), (390, 844))  # desktop, tablet, phone
FOLDER = SCREENSHOTS / "editor-panels"


def _keep(page: Page, panel: Locator, name: str, size: tuple[int, int]) -> Path:
    """Check the widths with `panel` open, then save its screenshot."""
    expect(panel).to_be_visible()
    page.wait_for_timeout(150)  # htmx settles the swapped content
    found = page.evaluate(OFFENDERS)
    assert found["overflow"] <= 0, (name, size, found)
    assert found["offenders"] == [], (name, size, found)
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"{name}-{size[0]}x{size[1]}.png"
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(path))
    assert path.stat().st_size > 1000
    return path


def _open_in_slot(page: Page, kind: str, pk: int, button: str) -> Locator:
    page.locator(f"#{kind}-{pk} > .node-row button[hx-get$='{button}']").first.click()
    slot = page.locator(f"#slot-{kind}-{pk}")
    expect(slot.locator(f"form[hx-post$='{button}']")).to_be_visible()  # this one, not the last
    return slot


def _check_headcount_grid(page: Page) -> None:
    """A role's title readable (not two characters a line), a cell's two inputs side by side,
    and the title still in view when the grid's own box scrolls to its last phase."""
    grid = page.locator("#headcount")
    title = grid.locator("tbody th[scope=row]").first
    low = grid.locator("tbody form.hc-cell input[name=min_count]").first
    high = grid.locator("tbody form.hc-cell input[name=max_count]").first
    assert title.bounding_box()["width"] >= 100
    assert abs(low.bounding_box()["y"] - high.bounding_box()["y"]) < 2
    box = grid.locator(".table-scroll")
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    page.wait_for_timeout(100)
    box_left = box.bounding_box()["x"]
    assert abs(title.bounding_box()["x"] - box_left) < 2
    box.evaluate("box => { box.scrollLeft = 0; }")


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_every_editor_panel_fits_and_is_kept_as_a_screenshot(
    page: Page, live_server, sign_in, user, big_design, console, size
):
    organization = big_design
    slug = organization.slug
    department = organization.departments.order_by("tree_id", "lft").first()
    role = organization.roles.order_by("tree_id", "lft").first()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(user, f"/orgs/{slug}/edit/")
    open_editor(page, live_server, slug)
    shots = []

    shots.append(_keep(page, page.locator("#editor"), "editor", size))
    # The editor bar's links each on one line (a phone wraps between them, not inside "概览").
    for link in page.locator(".editor-links > a").all():
        text_height = link.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)")
        assert link.bounding_box()["height"] < 1.5 * text_height, link.inner_text()
    shots.append(_keep(page, page.locator(".editor-chart"), "chart", size))

    page.locator(f"#roles-{role.pk} > .node-row .node-name").click()
    form = page.locator(f"#role-form[action$='/roles/{role.pk}/']")
    expect(form).to_be_visible()
    shots.append(_keep(page, page.locator("#role-panel"), "role-form", size))

    page.locator(f"#departments-{department.pk} > .node-row .edit-button").click()
    form = page.locator(f"#department-form[action$='/departments/{department.pk}/']")
    expect(form).to_be_visible()
    shots.append(_keep(page, page.locator("#role-panel"), "department-form", size))

    for kind, pk in (("departments", department.pk), ("roles", role.pk)):
        for action, button in (
            ("rename", "/rename/"),
            ("move", "/move/"),
            ("delete", "/delete/"),
        ):
            slot = _open_in_slot(page, kind, pk, button)
            shots.append(_keep(page, slot, f"{kind}-{action}", size))
            page.keyboard.press("Escape")
    page.locator("[data-outline=departments] > .add-root").click()
    shots.append(_keep(page, page.locator("#slot-departments-root"), "departments-add", size))
    page.keyboard.press("Escape")

    _check_headcount_grid(page)
    shots.append(_keep(page, page.locator("#headcount"), "headcount-grid", size))
    collaborations = page.locator("#collaborations")
    shots.append(_keep(page, collaborations, "collaborations", size))
    line = Collaboration.objects.filter(organization=organization).order_by("pk").first()
    if line is not None:
        collaborations.locator(f"button[hx-get$='/collaborations/{line.pk}/']").click()
        edit = collaborations.locator(f"form[hx-post$='/collaborations/{line.pk}/']")
        expect(edit).to_be_visible()
        shots.append(_keep(page, collaborations, "collaboration-form", size))

    page.goto(f"{live_server.url}/orgs/{slug}/edit/?chart=wide")
    open_editor_wide = page.locator(".editor-chart")
    expect(open_editor_wide).to_be_visible()
    shots.append(_keep(page, open_editor_wide, "chart-wide", size))

    for path, name in (
        ("settings/", "settings"),
        ("settings/members/", "members"),
        ("settings/phases/", "phases"),
    ):
        page.goto(f"{live_server.url}/orgs/{slug}/{path}")
        shots.append(_keep(page, page.locator("main"), name, size))
    phase = organization.phases.order_by("order").first()
    page.goto(f"{live_server.url}/orgs/{slug}/settings/phases/{phase.pk}/delete/")
    shots.append(_keep(page, page.locator("#phase-delete"), "phase-delete", size))

    assert len(shots) >= 17
