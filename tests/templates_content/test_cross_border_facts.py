"""Seed facts the cross-border template must carry.

Sources: 004 "跨境电商涉及的主要部门" (eleven departments, duties of 业务部 and 项目部),
004's span of control of 10-12 and flat structures, 004's hiring order, and
003 "从0开始建立电商团队需要什么" (in-house vs contractors, nine key roles).
"""

import pytest
from django.core.management import call_command

from departments.models import Collaboration, Department, HeadcountPhase, Organization
from roles.models import Role

pytestmark = pytest.mark.django_db

SLUG = "cross-border"

ELEVEN = {
    "运营部",
    "新项目部",
    "业务部",
    "研发部",
    "品牌部",
    "系统支持部",
    "设计部",
    "物流部",
    "采购部",
    "财务部",
    "行政人事部",
}


@pytest.fixture
def org(loaded_templates):
    return Organization.objects.get(slug=SLUG)


def dept(org, code):
    return Department.objects.get(organization=org, code=code)


def role(org, code):
    return Role.objects.get(organization=org, code=code)


def texts(manager, **filters):
    return [line.text_zh for line in manager.filter(**filters)]


def mentions(lines, needle):
    return any(needle in line for line in lines)


def test_is_the_cross_border_template(org):
    assert org.is_template
    assert org.business_model == "cross-border"
    assert "跨境" in org.name_zh
    assert org.name_en


def test_three_phases(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    assert [p.name_zh for p in phases] == ["启动期", "成长期", "成熟期"]


def test_the_eleven_departments_sit_flat_under_the_director(org):
    top = dept(org, "general-management")
    assert top.parent is None
    assert set(top.get_children().values_list("name_zh", flat=True)) == ELEVEN
    assert "扁平" in top.summary_zh


def test_span_of_control_is_ten_to_twelve(org):
    director = role(org, "ecommerce-director")
    reports = Role.objects.filter(organization=org, reports_to=director).count()
    assert 10 <= reports <= 12
    assert reports <= org.span_of_control_limit
    assert mentions(texts(director.duties), "10至12")
    # every department head answers to the director directly: a flat structure
    heads = Role.objects.filter(organization=org, reports_to=director)
    assert {r.department.parent_id for r in heads} == {dept(org, "general-management").pk}


def test_business_and_project_department_duties(org):
    business = dept(org, "business")
    for needle in ("展会", "B2B", "分销渠道", "改进"):
        assert needle in business.summary_zh, needle
    bd = role(org, "bd-manager")
    assert mentions(texts(bd.duties), "展会")
    assert mentions(texts(bd.duties), "升级改进")
    projects = dept(org, "new-projects")
    assert "消费习惯" in projects.summary_zh
    assert "平台以外" in projects.summary_zh
    assert mentions(texts(role(org, "project-manager").duties), "消费能力")


def test_the_key_roles_from_zero(org):
    titles = list(Role.objects.filter(organization=org).values_list("title_zh", flat=True))
    for name in (
        "电商总监",
        "电商运营专员",
        "数字运营经理",
        "物流经理",
        "库存经理",
        "库存助理",
        "数字营销经理",
        "客户服务代表",
        "财务经理",
        "业务分析师",
    ):
        assert mentions(titles, name), name


def test_logistics_manager_handles_international_freight(org):
    duties = texts(role(org, "logistics-manager").duties)
    for needle in ("清关", "运输保险", "质量控制", "最后一公里", "批量订单"):
        assert mentions(duties, needle), needle


def test_inventory_manager_leads_a_team_of_assistants(org):
    manager = role(org, "inventory-manager")
    assistant = role(org, "inventory-assistant")
    assert manager.reports_to == role(org, "logistics-manager")
    assert assistant.reports_to == manager
    assert mentions(texts(manager.duties), "库存助理团队")
    assert mentions(texts(assistant.duties), "移交物流")
    mature = assistant.headcount.get(phase__order=3)
    assert mature.max_count > 1 and mature.min_count < mature.max_count


def test_digital_operations_and_marketing(org):
    ops = role(org, "digital-ops-manager")
    assert mentions(texts(ops.duties), "SKU")
    assert mentions(texts(ops.duties), "CMS")
    assert mentions(texts(ops.duties), "A/B")
    marketing = role(org, "digital-marketing-manager")
    assert mentions(texts(marketing.duties), "投资回报率")
    assert mentions(texts(marketing.kpis), "流量")
    assert mentions(texts(marketing.kpis), "ROI")


def test_operations_specialist_kpis(org):
    kpis = texts(role(org, "ops-specialist").kpis)
    for needle in ("展现", "点击率", "转化率", "客单价"):
        assert mentions(kpis, needle), needle


def test_in_house_versus_contractors(org):
    assert role(org, "business-analyst").employment_type == "outsourced"
    assert role(org, "marketing-agency").employment_type == "outsourced"
    assert role(org, "ops-specialist").employment_type == "full-time"
    assert mentions(texts(role(org, "hr-admin-manager").duties), "承包商")
    assert mentions(texts(role(org, "business-analyst").requirements), "高级顾问")


def test_hiring_order(org):
    ranked = Role.objects.filter(organization=org, hiring_priority__isnull=False).order_by(
        "hiring_priority"
    )
    assert [r.code for r in ranked] == [
        "ecommerce-director",
        "ops-specialist",
        "cs-rep",
        "logistics-manager",
        "designer",
        "digital-marketing-manager",
        "brand-specialist",
        "finance-manager",
        "hr-admin-manager",
    ]


def test_director_combines_marketing_and_site_work_when_small(org):
    combined = set(role(org, "ecommerce-director").combinable_with.values_list("code", flat=True))
    assert {"digital-marketing-manager", "digital-ops-manager"} <= combined


def test_collaboration_lines(org):
    lines = Collaboration.objects.filter(organization=org)
    dept_pairs = {
        (c.from_department.code, c.to_department.code)
        for c in lines.filter(from_department__isnull=False)
    }
    assert ("business", "rnd") in dept_pairs
    assert ("inventory", "logistics") in dept_pairs
    assert ("purchasing", "logistics") in dept_pairs
    role_pairs = {(c.from_role.code, c.to_role.code) for c in lines.filter(from_role__isnull=False)}
    assert ("digital-ops-manager", "inventory-manager") in role_pairs
    assert ("digital-marketing-manager", "web-developer") in role_pairs
    assert lines.filter(origin="fill").exists()


def test_reloading_the_spec_changes_nothing(org):
    # roles are listed depth-first, so the loader sees the same tree and leaves it alone
    revision = org.revision
    call_command("loadtemplates", SLUG, verbosity=0)
    org.refresh_from_db()
    assert org.revision == revision


def _check_sourced(item, label):
    assert item.origin in ("seed", "fill"), label
    assert item.source_note, label
    assert item.source_note.startswith("fill:") == (item.origin == "fill"), label


def test_every_item_is_sourced_and_bilingual(org):
    departments = Department.objects.filter(organization=org)
    assert departments.count() >= 12
    for d in departments:
        _check_sourced(d, d.code)
        assert d.name_zh and d.name_en and d.summary_zh and d.summary_en, d.code
        zh = [x for x in d.functions_zh.splitlines() if x.strip()]
        en = [x for x in d.functions_en.splitlines() if x.strip()]
        assert zh and len(zh) == len(en), d.code
    roles = Role.objects.filter(organization=org)
    assert roles.count() >= 25
    for r in roles:
        _check_sourced(r, r.code)
        assert r.title_zh and r.title_en and r.summary_zh and r.summary_en, r.code
        assert r.duties.exists() and r.requirements.exists(), r.code
        for line in [*r.duties.all(), *r.requirements.all(), *r.kpis.all()]:
            _check_sourced(line, r.code)
            assert line.text_zh and line.text_en, r.code
        assert r.headcount.count() == 3, r.code
        for target in r.headcount.all():
            _check_sourced(target, r.code)
            assert 0 <= target.min_count <= target.max_count
    for c in Collaboration.objects.filter(organization=org):
        _check_sourced(c, c.description_zh)
        assert c.description_zh and c.description_en
    assert roles.filter(origin="seed").exists() and roles.filter(origin="fill").exists()
