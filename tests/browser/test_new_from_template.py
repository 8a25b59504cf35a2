import re

from playwright.sync_api import Page, expect

from departments.models import Organization
from tests.browser.conftest import wait_for_chart


def test_create_an_organization_from_a_template(
    page: Page, live_server, sign_in, user, loaded_templates, console, screenshot
):
    template = Organization.objects.get(slug="startup")
    sign_in(user)
    expect(page.locator("[data-template]")).to_have_count(5)
    screenshot("dashboard")

    card = page.locator("[data-template=startup]")
    card.get_by_role("link", name=re.compile("从模板新建")).click()
    page.get_by_label("名称").fill("我的小店")
    page.get_by_label("网址（可选）").fill("my-shop")
    page.get_by_role("button", name="创建").click()

    expect(page).to_have_url(f"{live_server.url}/orgs/my-shop/edit/")
    wait_for_chart(page)
    roles = page.locator("[data-outline=roles] li.node")
    expect(roles).to_have_count(template.roles.count())
    screenshot("editor")

    copy = Organization.objects.get(slug="my-shop")
    assert copy.name_zh == "我的小店" and copy.cloned_from == template
