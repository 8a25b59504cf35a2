from playwright.sync_api import Page, expect

from departments import services


def test_switch_to_english_with_content_fallback(
    page: Page, live_server, sign_in, user, design, console
):
    # Only a Chinese name: the English page falls back to it.
    services.department_create(organization=design["organization"], name_zh="仓储部")
    sign_in(user, "/orgs/acme/")
    expect(page.get_by_role("heading", name="部门和岗位")).to_be_visible()

    page.get_by_label("语言").select_option("en")

    expect(page.get_by_role("heading", name="Departments and roles")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Shop")
    departments = page.get_by_role("region", name="Departments and roles")
    expect(departments.get_by_role("link", name="Marketing Director")).to_be_visible()
    warehouse = departments.get_by_role("link", name="仓储部")
    expect(warehouse).to_be_visible()
    # Shown in Chinese because it has no English name: marked, with its real language.
    expect(warehouse.locator("span.untranslated")).to_have_attribute("lang", "zh-Hans")
    expect(warehouse.locator(".untranslated-mark")).to_have_text("(not translated)")
    expect(
        departments.get_by_role("link", name="Marketing Director").locator(".untranslated")
    ).to_have_count(0)
    # The choice sticks on the next page.
    page.get_by_role("link", name="My organizations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My organizations")
