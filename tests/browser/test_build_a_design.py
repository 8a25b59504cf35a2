"""An HR manager builds a small design from a blank organization to a finished job description
in the browser alone, typing with the keyboard: settings, phases, departments with charters and
function groups, five roles with duties, requirements and KPIs in both languages, head count,
a collaboration line, a 一人多职 pair, and a colleague added as viewer who then sees why they
cannot edit. The request log proves that no step needed `/admin/` or `/api/`."""

import re

from playwright.sync_api import Page, expect

from departments.models import Department, MemberRole, Membership, Organization
from roles.models import Collaboration, HeadcountTarget, Role
from tests.browser.conftest import PASSWORD, wait_for_chart
from tests.factories import UserFactory

PAUSE = 300  # ms: a person's pause while a request is in flight

DEPARTMENTS = [
    # name zh, name en, summary zh, summary en, functions zh, functions en, function group
    (
        "运营部",
        "Operations",
        "负责店铺运营和推广",
        "Runs the shop and its promotion",
        ["店铺活动策划", "商品上新"],
        ["Shop campaigns", "New listings"],
        "front-line",
    ),
    (
        "客服部",
        "Customer Service",
        "售前售后咨询",
        "Pre- and after-sales questions",
        ["售前咨询", "退换货处理"],
        ["Pre-sales questions", "Returns"],
        "front-line",
    ),
    (
        "仓储部",
        "Warehouse",
        "收货、打包、发货",
        "Receiving, packing, shipping",
        ["入库验收", "打包发货"],
        ["Receiving", "Packing and shipping"],
        "logistics-support",
    ),
]
# title zh, title en, department index, manager index (None: top role)
ROLES = [
    ("店长", "Shop Manager", 0, None),
    ("运营专员", "Operations Specialist", 0, 0),
    ("美工", "Designer", 0, 0),
    ("客服专员", "Customer Service Agent", 1, 0),
    ("仓管员", "Warehouse Clerk", 2, 0),
]


def _type(page: Page, text: str) -> None:
    page.keyboard.type(text, delay=10)


def _replace(page: Page, locator, text: str) -> None:
    locator.click()
    page.keyboard.press("ControlOrMeta+a")
    _type(page, text)


def _add_department(page: Page, slug: str, zh: str, en: str) -> Department:
    page.locator("[data-outline=departments] > .add-root").click()
    slot = page.locator("#slot-departments-root")
    expect(slot.locator("input[name=name_zh]")).to_be_focused()
    _type(page, zh)
    page.keyboard.press("Tab")
    _type(page, en)
    page.keyboard.press("Enter")
    outline = page.locator("[data-outline=departments] .node-name", has_text=zh)
    expect(outline).to_have_count(1)
    return Department.objects.get(organization__slug=slug, name_zh=zh)


def _type_lines(page: Page, lines: list[str]) -> None:
    for number, line in enumerate(lines):
        if number:
            page.keyboard.press("Enter")
        _type(page, line)


def _edit_charter(page: Page, department: Department, spec) -> None:
    """职责概述 and 工作职能 in both languages, typed field after field with Tab."""
    _zh, _en, summary_zh, summary_en, functions_zh, functions_en, group = spec
    page.locator(f"#departments-{department.pk} > .node-row .edit-button").click()
    # The panel may still show the previous department's form: wait for this one's.
    form = page.locator(f"#department-form[action$='/departments/{department.pk}/']")
    expect(form).to_be_visible()
    form.locator("textarea[name=summary_zh]").click()
    _type(page, summary_zh)
    page.keyboard.press("Tab")
    _type(page, summary_en)
    page.keyboard.press("Tab")
    expect(form.locator("textarea[name=functions_zh]")).to_be_focused()
    _type_lines(page, functions_zh)
    page.keyboard.press("Tab")
    _type_lines(page, functions_en)
    form.locator(f"input[name=function_group][value={group}]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#role-panel")).to_contain_text(re.compile("Saved|已保存"))


def _add_role(page: Page, slug: str, spec, departments, roles) -> Role:
    zh, en, department_index, manager_index = spec
    if manager_index is None:
        page.locator("[data-outline=roles] > .add-root").click()
        slot = page.locator("#slot-roles-root")
    else:
        manager = roles[manager_index]
        page.locator(
            f"#roles-{manager.pk} > .node-row button[hx-get$='?manager={manager.pk}']"
        ).click()
        slot = page.locator(f"#slot-roles-{manager.pk}")
    expect(slot.locator("input[name=title_zh]")).to_be_focused()
    _type(page, zh)
    page.keyboard.press("Tab")
    _type(page, en)
    slot.locator("select[name=department]").select_option(str(departments[department_index].pk))
    slot.locator("button[type=submit]").click()
    expect(page.locator("[data-outline=roles] .node-name", has_text=zh)).to_have_count(1)
    return Role.objects.get(organization__slug=slug, title_zh=zh)


def _fill_role(page: Page, role: Role, combine_with: Role | None = None) -> None:
    """Open the role form from the outline and add a duty, a requirement and a KPI in both
    languages; optionally tick a role it may be combined with."""
    page.locator(f"#roles-{role.pk} > .node-row .node-name").click()
    # This role's form, not the one still showing while it loads.
    form = page.locator(f"#role-form[action$='/roles/{role.pk}/']")
    expect(form).to_be_visible()
    for prefix, (zh, en) in {
        "duties": (f"{role.title_zh}的日常工作", f"Daily work of the {role.title_en}"),
        "requirements": ("一年以上电商经验", "One year of e-commerce experience"),
        "kpis": ("月度目标完成率", "Monthly target completion"),
    }.items():
        lines = form.locator(f"fieldset[data-lines={prefix}]")
        lines.locator("[data-line-add]").click()
        new_line = lines.locator(f"textarea[name={prefix}-text_zh]").last
        expect(new_line).to_be_focused()
        _type(page, zh)
        lines.locator(f"textarea[name={prefix}-text_en]").last.click()
        _type(page, en)
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
    if combine_with is not None:
        form.locator(f"input[name=combinable_with][value='{combine_with.pk}']").check()
    form.locator("button[type=submit]").first.click()
    expect(page.locator("#role-panel .saved-note")).to_be_visible()


def test_build_a_design_from_a_blank_organization(
    page: Page, live_server, sign_in, user, console, screenshot
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    colleague = UserFactory(username="lihua", email="li.hua@example.com", password=PASSWORD)

    # A blank organization.
    sign_in(user, "/orgs/new/")
    page.locator("input[name=name]").click()
    _type(page, "小满电商")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("#editor")).to_be_visible()
    organization = Organization.objects.get(name_zh="小满电商")
    slug = organization.slug

    # Settings: renamed in Chinese, given its English name and a description, typed.
    page.locator(".editor-links a[href$='/settings/']").click()
    form = page.locator("#organization-settings")
    expect(form).to_contain_text(slug)  # the address's short name is shown, and kept
    _replace(page, form.locator("input[name=name_zh]"), "小满女装")
    page.keyboard.press("Tab")
    expect(form.locator("input[name=name_en]")).to_be_focused()
    _type(page, "Xiaoman Shop")
    form.locator("textarea[name=description_zh]").click()
    _type(page, "天猫女装店")
    form.locator("select[name=business_model]").select_option("startup")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    organization.refresh_from_db()
    expect(page.locator("h1")).to_contain_text("小满女装")  # the page's heading, renamed
    assert (organization.name_zh, organization.name_en) == ("小满女装", "Xiaoman Shop")
    assert organization.description_zh == "天猫女装店"
    assert organization.slug == slug
    assert organization.business_model == "startup"

    # Phases: two more, then the last one moved up before the other.
    page.locator(".settings-tabs a[href$='/phases/']").click()
    for zh, en, start in (("扩张期", "Expansion", "25"), ("品牌期", "Brand", "37")):
        add = page.locator("#phase-add")
        add.locator("input[name=new-name_zh]").click()
        _type(page, zh)
        page.keyboard.press("Tab")
        _type(page, en)
        add.locator("input[name=new-start_month]").click()
        _type(page, start)
        add.locator("button[type=submit]").click()
        expect(page.locator(".phase-list")).to_contain_text(zh)
    brand = organization.phases.get(name_zh="品牌期")
    page.locator(f"#phase-{brand.pk} button[value=up]").click()
    expect(page.locator(".phase-list > li").nth(3)).to_contain_text("品牌期")
    assert [p.name_zh for p in organization.phases.order_by("order")][-2:] == ["品牌期", "扩张期"]

    # Three departments with charters and function groups.
    page.goto(f"{live_server.url}/orgs/{slug}/edit/")
    wait_for_chart(page)
    departments = []
    for spec in DEPARTMENTS:
        department = _add_department(page, slug, spec[0], spec[1])
        _edit_charter(page, department, spec)
        departments.append(department)
    for department, spec in zip(departments, DEPARTMENTS, strict=True):
        department.refresh_from_db()
        assert (department.summary_zh, department.summary_en) == (spec[2], spec[3])
        assert department.functions_zh.splitlines() == spec[4]
        assert department.functions_en.splitlines() == spec[5]
        assert department.function_group == spec[6]

    # Five roles, each with a duty, a requirement and a KPI in both languages.
    roles: list[Role] = []
    for spec in ROLES:
        roles.append(_add_role(page, slug, spec, departments, roles))
    for role in roles:
        combine = roles[2] if role == roles[1] else None  # 运营专员 + 美工: 一人多职
        _fill_role(page, role, combine_with=combine)
    for role in roles:
        assert (
            role.duties.filter(text_zh__contains="日常工作", text_en__startswith="Daily").count()
            == 1
        )
        assert role.requirements.filter(text_en="One year of e-commerce experience").count() == 1
        assert role.kpis.filter(text_zh="月度目标完成率").count() == 1
    assert list(roles[1].combinable_with.all()) == [roles[2]]

    # Head count per phase: one shop manager throughout, operations specialists growing from
    # 2–4 by two more in each phase, typed along the row with a pause after each Tab.
    phases = list(organization.phases.order_by("order"))
    assert len(phases) == 5  # the new organization's three and the two added
    specialists = [(2 + 2 * n, 4 + 2 * n) for n in range(len(phases))]
    page.locator(f"#hc-{roles[1].pk}-{phases[0].pk}-min").click()
    for low, high in specialists:
        _type(page, str(low))
        page.keyboard.press("Tab")
        page.wait_for_timeout(PAUSE)
        _type(page, str(high))
        page.keyboard.press("Tab")
    page.locator(f"#hc-{roles[0].pk}-{phases[0].pk}-min").click()
    for _phase in phases:
        _type(page, "1")
        page.keyboard.press("Tab")
        _type(page, "1")
        page.keyboard.press("Tab")
    for phase, (low, high) in zip(phases, specialists, strict=True):
        expect(page.locator(f"#hc-total-{phase.pk}")).to_have_text(f"{low + 1}–{high + 1}")
    saved = {
        (target.role_id, target.phase_id): (target.min_count, target.max_count)
        for target in HeadcountTarget.objects.filter(role__organization=organization)
    }
    assert saved == {
        **{(roles[1].pk, p.pk): counts for p, counts in zip(phases, specialists, strict=True)},
        **{(roles[0].pk, p.pk): (1, 1) for p in phases},
    }

    # A collaboration line: customer service hands complaints to operations.
    panel = page.locator("#collaborations")
    panel.locator("select[name=from_node]").select_option(f"d{departments[1].pk}")
    panel.locator("select[name=to_node]").select_option(f"d{departments[0].pk}")
    panel.locator("select[name=to_node]").focus()
    page.keyboard.press("Tab")
    _type(page, "差评反馈")
    page.keyboard.press("Enter")
    expect(panel.locator(".collaboration")).to_have_count(1)
    assert Collaboration.objects.filter(organization=organization).count() == 1
    screenshot("build-a-design-editor")

    # A colleague as viewer, by e-mail.
    page.locator(".editor-links a[href$='/members/']").click()
    add = page.locator("#member-add")
    add.locator("input[name=who]").click()
    _type(page, "li.hua@example.com")
    add.locator("select[name=role]").select_option("viewer")
    add.locator("button[type=submit]").click()
    # Invited: the colleague becomes a member by accepting it on their dashboard (below).
    expect(page.locator("#invitations")).to_contain_text("li.hua@example.com")
    assert not Membership.objects.filter(organization=organization, user=colleague).exists()

    # The finished job description, in Chinese and in English.
    page.goto(f"{live_server.url}/orgs/{slug}/roles/{roles[1].pk}/")
    body = page.locator("main")
    for text in ("运营专员", "运营专员的日常工作", "一年以上电商经验", "月度目标完成率"):
        expect(body).to_contain_text(text)
    expect(body).to_contain_text("美工")  # may be combined with
    pdf = page.request.get(f"{live_server.url}/orgs/{slug}/roles/{roles[1].pk}/jd.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    body = page.locator("main")
    for text in (
        "Operations Specialist",
        "Daily work of the Operations Specialist",
        "One year of e-commerce experience",
        "Monthly target completion",
        "Designer",
    ):
        expect(body).to_contain_text(text)
    expect(body).not_to_contain_text("月度目标完成率")  # no Chinese left where English exists
    page.goto(f"{live_server.url}/orgs/{slug}/departments/{departments[1].pk}/")
    for text in ("Pre- and after-sales questions", "Pre-sales questions", "Returns"):
        expect(page.locator("main")).to_contain_text(text)

    # The colleague signs in (typing), accepts the invitation on the dashboard…
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("用户名|User name")).click()
    _type(page, "lihua")
    page.keyboard.press("Tab")
    _type(page, PASSWORD)
    page.keyboard.press("Enter")
    invitations = page.locator("#invitations")
    expect(invitations).to_contain_text("小满女装")
    invitations.get_by_role("button", name=re.compile("接受|Accept")).click()
    expect(page.locator("#invitations")).to_have_count(0)
    membership = Membership.objects.get(organization=organization, user=colleague)
    assert membership.role == MemberRole.VIEWER

    # …and, as a viewer, sees the design, is told why they cannot edit and whom to ask.
    page.goto(f"{live_server.url}/orgs/{slug}/")
    main = page.locator("main")
    for text in ("小满女装", "运营部", "客服部", "仓储部", "店长", "运营专员"):
        expect(main).to_contain_text(text)
    expect(page.locator("#read-only-reason")).to_contain_text(user.username)
    expect(page.locator("a[href$='/edit/']")).to_have_count(0)
    page.goto(f"{live_server.url}/orgs/{slug}/settings/members/")
    expect(page.locator("#members-readonly")).to_contain_text(user.username)
    expect(page.locator("#member-add")).to_have_count(0)
    console.expect_status(403)  # the editor answers the viewer 403, with the reason
    page.goto(f"{live_server.url}/orgs/{slug}/edit/")
    expect(page.locator("#read-only-owners")).to_contain_text(user.username)

    visited = [url for url in requests if "/admin/" in url or "/api/" in url]
    assert visited == []
    assert len(requests) > 50  # the log did record the session
