"""The department form's head count per phase (部门定编), typed with the keyboard: both numbers
of a phase are saved together as typed, the roles' sum stands beside them, and a reload shows
what was saved (issue 20)."""

from playwright.sync_api import Page, expect

from departments.models import DepartmentHeadcount
from tests.browser.conftest import open_editor


def test_typing_a_department_head_count_saves_both_numbers(
    page: Page, live_server, sign_in, user, design, console
):
    service = design["service"]
    organization = design["organization"]
    launch, growth = list(organization.phases.order_by("order"))[:2]
    sign_in(user, "/orgs/acme/edit/")
    open_editor(page, live_server)
    page.locator(f"#departments-{service.pk} > .node-row .edit-button").click()
    form = page.locator(f"#department-form[action$='/departments/{service.pk}/']")
    expect(form).to_be_visible()
    expect(form.locator("table.headcount-pairs")).to_be_visible()
    # 2, Tab, 4: the raced grid of old saved 2–42; here nothing is sent until Save.
    form.locator(f"input[name=headcount_min_{launch.pk}]").click()
    page.keyboard.type("2", delay=30)
    page.keyboard.press("Tab")
    page.keyboard.type("4", delay=30)
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")
    page.keyboard.type("17", delay=30)
    page.keyboard.press("Tab")
    page.keyboard.type("20", delay=30)
    form.locator("button[type=submit]").click()
    expect(page.locator(".saved-note")).to_be_visible()
    saved = {
        t.phase_id: (t.min_count, t.max_count)
        for t in DepartmentHeadcount.objects.filter(department=service)
    }
    assert saved == {launch.pk: (2, 4), growth.pk: (17, 20)}
    form = page.locator(f"#department-form[action$='/departments/{service.pk}/']")
    expect(form.locator(f"input[name=headcount_max_{launch.pk}]")).to_have_value("4")
    expect(form.locator(f"input[name=headcount_min_{growth.pk}]")).to_have_value("17")
