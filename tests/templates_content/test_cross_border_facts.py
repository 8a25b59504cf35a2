"""Seed facts the cross-border template must carry.

Sources: 004 "跨境电商涉及的主要部门" (eleven departments, duties of 业务部 and 项目部),
004's span of control of 10-12 and flat structures, 004's hiring order, and
003 "从0开始建立电商团队需要什么" (in-house vs contractors, nine key roles).
"""

import pytest

from departments.models import HeadcountPhase
from roles.models import Collaboration, Role
from tests.templates_content.lookups import dept, mentions, role, texts

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


def test_is_the_cross_border_template(org):
    assert "跨境" in org.name_zh


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
    # Cross-border's own order, not 004's domestic single-shop one: 003 lists the key roles but
    # gives no order, so the order is a fill and says so; logistics comes before customer
    # service because nothing ships abroad until freight and customs clearance work (003:
    # 「管理国际货运的清关、运输保险和质量控制」).
    assert [r.code for r in ranked] == [
        "ecommerce-director",
        "ops-specialist",
        "logistics-manager",
        "cs-rep",
        "digital-marketing-manager",
        "designer",
        "finance-manager",
        "hr-admin-manager",
    ]
    for found in ranked:
        assert "hiring priority" in found.source_note and "fill" in found.source_note


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


def test_roles_are_both_the_articles_and_ours(org):
    # both kinds are present: the template says which parts are the articles' and which are ours
    roles = Role.objects.filter(organization=org)
    assert roles.filter(origin="seed").exists() and roles.filter(origin="fill").exists()
