import xml.etree.ElementTree as ET

from django.utils import translation

from departments.models import Organization
from roles.planning import plots
from roles.planning.compare import compare_phases
from roles.planning.plan import organization_plan

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_plots_are_svg_with_chinese_labels(organization, make_role, phases):
    make_role("运营部", "店长/运营", [(1, 1), (1, 2), (2, 2)], hiring_priority=1)
    make_role("客服部", "客服专员", [(1, 2), (3, 4), (6, 8)], hiring_priority=2)
    plan = organization_plan(organization)
    svgs = plots.plan_svgs(plan)
    bars = texts(svgs["headcount_by_department"])
    assert "运营部" in bars and "客服部" in bars and "8–10" in bars and "启动期" in bars
    assert "Noto Sans CJK SC" in svgs["headcount_by_department"]
    line = texts(svgs["cumulative_hires"])
    assert "店长/运营" in line and "8–10" in line
    comparison = texts(plots.comparison_svg(compare_phases(organization, phases[0], phases[2])))
    assert "客服部" in comparison and "+6" in comparison


def test_plot_labels_cannot_inject_markup(organization, make_role):
    # department_path splits on ">", so the department name carries only "<" and quotes.
    title = "</text><script>alert(1)</script>"
    make_role('部门"<script', title, [(1, 1)] * 3)
    svgs = plots.plan_svgs(organization_plan(organization))
    for svg in svgs.values():
        root = ET.fromstring(svg)
        assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert '部门"<script' in "".join(ET.fromstring(svgs["headcount_by_department"]).itertext())
    assert title in "".join(ET.fromstring(svgs["cumulative_hires"]).itertext())


def test_empty_designs_still_give_a_plot(organization):
    svgs = plots.plan_svgs(organization_plan(organization))
    assert all(ET.fromstring(svg) is not None for svg in svgs.values())


def _bar_names(svg: str) -> set[str]:
    return {
        title.split(" · ")[0]
        for title in (t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}title"))
        if " · " in title
    }


def test_bars_start_at_the_first_level_with_more_than_one_department(loaded_templates):
    # platform: 决策委员会 holds only 执行委员会, which holds the real departments.
    plan = organization_plan(Organization.objects.get(slug="platform"))
    assert plots.plot_level(plan) == 2
    with translation.override("zh-hans"):
        automatic = _bar_names(plots.headcount_by_department_svg(plan))
        top = _bar_names(plots.headcount_by_department_svg(plan, level=0))
    assert len(automatic) > 2 and "执行委员会" not in automatic
    assert top == {"决策委员会"}


def test_the_plan_page_offers_the_level_of_the_bars(client, user, loaded_templates):
    client.force_login(user)
    automatic = client.get("/orgs/platform/plan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="plot-level"' in automatic and "automatic (3)" in automatic
    chosen = client.get("/orgs/platform/plan/?level=1", HTTP_ACCEPT_LANGUAGE="en")
    assert '<option value="1" selected>' in chosen.content.decode()
    assert client.get("/orgs/platform/plan/?level=x").status_code == 200  # ignored
