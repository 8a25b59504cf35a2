"""The organization's settings pages in Chromium: typing both names, deleting a phase with its
head count moved onto another one after reading the confirmation, and each page at desktop and
phone width (screenshots in artifacts/screenshots/)."""

from playwright.sync_api import Page, expect

from departments.models import HeadcountPhase, Organization
from roles.models import HeadcountTarget
from roles.services.roles import role_set_headcount


def test_rename_in_both_languages_and_delete_a_phase_moving_its_head_count(
    page: Page, live_server, sign_in, user, design, console, screenshot
):
    organization = design["organization"]
    first, second = list(organization.phases.order_by("order"))[:2]
    role_set_headcount(role=design["cs_lead"], phase=first, min_count=2, max_count=3)
    sign_in(user, "/orgs/acme/settings/")

    form = page.locator("#organization-settings")
    form.locator("input[name=name_zh]").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("优选电商", delay=15)
    page.keyboard.press("Tab")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Youxuan Shop", delay=15)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    expect(form.locator("input[name=name_zh]")).to_have_value("优选电商")
    assert Organization.objects.values_list("name_zh", "name_en").get(pk=organization.pk) == (
        "优选电商",
        "Youxuan Shop",
    )
    screenshot("settings-1280x800")

    page.locator(".settings-tabs a[href$='/phases/']").click()
    screenshot("phases-1280x800")
    page.locator(f"#phase-{first.pk} a[href$='/delete/']").click()
    confirm = page.locator("#phase-delete")
    expect(confirm).to_contain_text("客服主管")  # the role whose head count is at stake
    confirm.locator("input[name=targets][value=move]").check()
    confirm.locator("select[name=move_to]").select_option(str(second.pk))
    confirm.locator("button[type=submit]").click()
    expect(page.locator(".phase-list")).not_to_contain_text(first.name_zh)
    assert not HeadcountPhase.objects.filter(pk=first.pk).exists()
    target = HeadcountTarget.objects.get(role=design["cs_lead"])
    assert (target.phase_id, target.min_count, target.max_count) == (second.pk, 2, 3)

    page.set_viewport_size({"width": 390, "height": 844})
    for tab, name in (("", "settings"), ("members/", "members"), ("phases/", "phases")):
        page.goto(f"{live_server.url}/orgs/acme/settings/{tab}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)
        screenshot(f"{name}-390x844")
