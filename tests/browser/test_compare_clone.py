"""Comparing a copy of a template with its template in Chromium (issue 18, item 5): after a
department of the copy is renamed with the keyboard, the compare page shows only names a user
typed or the template holds — never internal keys such as "department-2", "role-2" or codes."""

import re

from playwright.sync_api import Page, expect

from departments.models import Department, Organization
from roles.models import Role
from tests.browser.conftest import open_editor

INTERNAL_KEY = re.compile(r"\b(department|role|phase)-\d+\b")


def test_compare_of_a_copy_with_its_template_shows_only_names(
    page: Page, live_server, sign_in, user, loaded_templates, console, screenshot
):
    template = Organization.objects.get(slug="startup")
    sign_in(user)
    card = page.locator("[data-template=startup]")
    card.get_by_role("link", name=re.compile("从模板新建")).click()
    name = page.get_by_label("名称")
    name.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("我的小店", delay=20)
    page.keyboard.press("Tab")
    expect(page.get_by_label("网址（可选）")).to_be_focused()
    page.keyboard.type("my-shop", delay=20)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/orgs/my-shop/edit/")

    copy = Organization.objects.get(slug="my-shop")
    department = (
        Department.objects.filter(organization=copy, roles__isnull=False).order_by("-lft").first()
    )
    old_name = department.name_zh
    open_editor(page, live_server, "my-shop")
    page.get_by_role("button", name=f"重命名 {old_name}").click()
    field = page.get_by_label(f"{old_name} 的新名称")
    expect(field).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("我的售后团队")
    page.keyboard.press("Enter")
    expect(page.locator(f"#departments-{department.pk} .node-name").first).to_have_text(
        "我的售后团队"
    )

    page.goto(f"{live_server.url}/orgs/my-shop/compare/")
    # The copy's template is the design offered first.
    expect(page.locator("#compare-with")).to_have_value("startup")
    page.locator("#compare-with").locator("xpath=..").get_by_role("button").click()
    main = page.locator("main")
    expect(main).to_contain_text("我的售后团队")
    expect(main).to_contain_text(old_name)
    screenshot("compare-copy-with-template")
    text = main.inner_text()
    assert not INTERNAL_KEY.search(text), INTERNAL_KEY.search(text)
    codes = set(Role.objects.filter(organization=template).values_list("code", flat=True))
    codes |= set(Department.objects.filter(organization=template).values_list("code", flat=True))
    shown_codes = sorted(
        code for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
    )
    assert shown_codes == []
    assert "my-shop" not in text and "startup" not in text
