import re

from playwright.sync_api import Page, expect

from departments.models import Department
from departments.services import department_create
from roles.models import Role
from roles.services import role_create
from tests.browser.conftest import open_editor


def test_delete_a_department_subtree_after_reading_what_goes(
    page: Page, live_server, sign_in, user, design, console
):
    organization = design["organization"]
    operations, service = design["operations"], design["service"]
    # A role elsewhere reporting into the subtree: it stays, lifted to the nearest survivor.
    hq = department_create(organization=organization, name_zh="总经办", name_en="Office")
    assistant = role_create(
        organization=organization,
        department=hq,
        reports_to=design["cs_lead"],
        title_zh="助理",
        title_en="Assistant",
    )
    sign_in(user, "/")
    open_editor(page, live_server)

    page.locator(f"#departments-{operations.pk} > .node-row .icon.danger").click()
    form = page.locator(f"#slot-departments-{operations.pk} form")
    expect(form).to_be_visible()
    listing = form.locator("[data-delete-list]")
    expect(listing.locator("[data-going=departments] li")).to_have_text(["运营中心", "客服部"])
    expect(listing.locator("[data-going=roles] li")).to_have_count(4)
    for title in ("CEO", "运营总监", "客服主管", "市场总监"):
        expect(listing.locator("[data-going=roles]")).to_contain_text(title)
    expect(listing.locator("[data-lifted] li")).to_have_text(["助理"])

    form.locator("input[name=children][value=delete]").check()
    form.get_by_role("button", name=re.compile("^(删除|Delete)$")).click()

    expect(page.locator(f"#departments-{operations.pk}")).to_have_count(0)
    expect(page.locator(f"#roles-{assistant.pk}")).to_be_visible()
    expect(page.locator("#editor-status")).to_contain_text("运营中心")
    assert not Department.objects.filter(pk__in=[operations.pk, service.pk]).exists()
    assert list(
        Role.objects.filter(organization=organization).values_list("title_zh", flat=True)
    ) == ["助理"]
    assert Role.objects.get(pk=assistant.pk).reports_to_id is None


def test_lifting_stays_the_default_and_refusing_keeps_everything(
    page: Page, live_server, sign_in, user, design, console
):
    console.expect_status(400)
    sign_in(user, "/")
    open_editor(page, live_server)
    director = design["director"]
    page.locator(f"#roles-{director.pk} > .node-row .icon.danger").click()
    form = page.locator(f"#slot-roles-{director.pk} form")
    expect(form.locator("input[name=children][value=refuse]")).to_be_checked()
    expect(form.locator("[data-going=roles] li")).to_have_count(2)
    form.get_by_role("button", name=re.compile("^(删除|Delete)$")).click()
    expect(page.locator("#editor-alert")).not_to_be_empty()
    assert Role.objects.filter(pk=director.pk).exists()
