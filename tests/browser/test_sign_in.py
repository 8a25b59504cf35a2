import re

from playwright.sync_api import Page, expect


def test_sign_in_and_out(page: Page, live_server, sign_in, user, console):
    sign_in(user)
    expect(page.get_by_role("heading", level=1)).to_have_text("我的组织")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/"))
