"""Seed facts the traditional-brand template (brand manufacturer going online) must carry.

Sources: 000 "传统企业电商团队组建" (e-commerce head ranked with the channel sales
director, a deputy, then 运营/推广/美工/客服; warehousing, purchasing and finance shared
with the parent company), 002 "电商组织与流程建设" (independent unit, O2O, own team vs
agency), 002 "电商团队架构图及其分工" (电商总监, 店长/店长助理, 企划部, 客服部, 物流部,
产品部) and 001's cosmetics brand.
"""

import pytest

from departments.models import HeadcountPhase
from roles.models import Collaboration, Role
from tests.templates_content.lookups import dept, mentions, role, texts

pytestmark = pytest.mark.django_db

SLUG = "traditional-brand"


def children(org, code):
    return set(dept(org, code).get_children().values_list("name_zh", flat=True))


def test_is_the_traditional_brand_template(org):
    assert "传统企业" in org.name_zh


def test_phases_follow_pilot_own_team_integration(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    assert [p.name_zh for p in phases] == ["试水期", "自建期", "融合期"]
    assert "代运营" in phases[0].description_zh
    assert "一体化" in phases[2].description_zh


def test_hiring_order(org):
    ranked = Role.objects.filter(organization=org, hiring_priority__isnull=False).order_by(
        "hiring_priority"
    )
    assert [r.code for r in ranked] == [
        "ec-head",
        "ec-deputy",
        "store-manager",
        "promotion-specialist",
        "designer",
        "presales-cs",
    ]
    titles = [r.title_zh for r in ranked]
    for needle, title in zip(
        ["电商负责人", "副手", "运营", "推广", "美工", "客服"], titles, strict=True
    ):
        assert needle in title


def test_ecommerce_head_ranks_with_the_channel_sales_director(org):
    head = role(org, "ec-head")
    channel = role(org, "channel-sales-director")
    gm = role(org, "gm")
    assert head.reports_to == gm and channel.reports_to == gm
    assert head.level == channel.level == "director"
    assert mentions(texts(head.requirements, kind="other"), "渠道营销总监")
    assert mentions(texts(head.requirements, kind="experience"), "独立电商平台")
    assert mentions(texts(head.requirements, kind="trait"), "促销活动")
    assert mentions(texts(gm.duties), "充分放权")


def test_deputy_knows_the_company_and_coordinates(org):
    deputy = role(org, "ec-deputy")
    assert deputy.reports_to == role(org, "ec-head")
    assert mentions(texts(deputy.duties), "内外部资源")
    assert mentions(texts(deputy.requirements, kind="knowledge"), "组织架构")
    assert mentions(texts(deputy.requirements, kind="experience"), "资历")
    assert mentions(texts(deputy.duties), "越俎代庖")


def test_leaders_are_one_each_from_the_seed(org):
    for code in ("ec-head", "ec-deputy"):
        targets = role(org, code).headcount.all()
        assert targets.count() == 3
        assert all(t.min_count == t.max_count == 1 and t.origin == "seed" for t in targets)


def test_warehousing_purchasing_and_finance_are_shared_with_the_parent(org):
    shared = dept(org, "shared-services")
    assert {"采购部", "仓储部", "财务部"} <= children(org, "shared-services")
    for code in ("purchasing-manager", "warehouse-manager", "finance-accountant"):
        r = role(org, code)
        assert r.employment_type == "shared", code
        assert r.department.is_descendant_of(shared)
        assert r.origin == "seed"
    ec_roles = Role.objects.filter(organization=org, department__code__in=["ecommerce"])
    assert not ec_roles.filter(employment_type="shared").exists()


def test_agency_operation_is_outsourced_and_handed_over(org):
    agency = role(org, "agency-operator")
    assert agency.employment_type == "outsourced"
    assert mentions(texts(agency.duties), "接手")
    assert mentions(texts(agency.duties), "对赌协议")
    by_phase = {t.phase.order: t for t in agency.headcount.all()}
    assert by_phase[1].max_count > 0
    assert by_phase[3].max_count == 0


def test_ecommerce_team_structure(org):
    ec = dept(org, "ecommerce")
    assert ec.parent is None
    assert children(org, "ecommerce") == {"店铺运营部", "企划部", "客服部", "物流部", "产品部"}
    assert mentions(dept(org, "planning").function_lines, "直通车")
    assert mentions(dept(org, "planning").function_lines, "SEO")
    assert mentions(dept(org, "ec-logistics").function_lines, "质检")
    assert "库存预警" in dept(org, "ec-product").summary_zh
    assert "阿里旺旺" in dept(org, "ec-customer-service").summary_zh
    assert mentions(ec.function_lines, "O2O")
    assert "独立" in ec.summary_zh


def test_team_chart_duties(org):
    head = role(org, "ec-head")
    assert mentions(texts(head.duties), "业绩指标")
    assert mentions(texts(head.duties), "VIP营销")
    assert mentions(texts(head.kpis), "业绩指标")
    manager = role(org, "store-manager")
    assistant = role(org, "store-assistant")
    assert "店长" in manager.title_zh and assistant.title_zh == "店长助理"
    assert assistant.reports_to == manager
    assert mentions(texts(manager.duties), "运营计划")
    assert mentions(texts(role(org, "presales-cs").kpis), "转化率")
    assert mentions(texts(role(org, "ec-logistics-specialist").duties), "入仓质检")
    assert mentions(texts(role(org, "ec-product-specialist").duties), "补单")


def test_cosmetics_brand_departments(org):
    assert children(org, "brand-marketing") == {
        "品牌部",
        "新媒体部",
        "公关部",
        "CRM部",
        "VMD视觉陈列部",
    }
    assert children(org, "sales") == {"渠道市场部", "线下销售部", "BD部", "销售运营部"}
    assert mentions(dept(org, "crm").function_lines, "沉睡")
    assert "专柜" in dept(org, "vmd").summary_zh
    assert "口碑" in dept(org, "new-media").summary_zh
    assert "快闪店" in dept(org, "trade-marketing").summary_zh
    # the EC unit of the cosmetics sales department is the independent e-commerce division
    assert "EC" in dept(org, "sales").summary_zh


def test_pay_structures(org):
    assert role(org, "store-manager").pay_structure == "base-commission"
    analyst = role(org, "data-analyst")
    assert analyst.pay_structure == "base-bonus"
    assert "不拿提成" in analyst.pay_note_zh
    channel = role(org, "channel-sales-director")
    assert channel.pay_structure == "base-bonus"
    assert "年终奖" in channel.pay_note_zh


def test_knowledge_plus_skill_requirements(org):
    promo = role(org, "promotion-specialist")
    assert promo.requirements.filter(kind="knowledge").exists()
    assert promo.requirements.filter(kind="skill").exists()
    assert mentions(texts(promo.duties), "钻展")


def test_one_person_may_hold_several_roles(org):
    manager = role(org, "store-manager")
    combined = set(manager.combinable_with.values_list("code", flat=True))
    assert {"promotion-specialist", "event-planner"} <= combined
    assert role(org, "aftersales-cs") in role(org, "presales-cs").combinable_with.all()


def test_collaboration_lines(org):
    lines = Collaboration.objects.filter(organization=org)
    dept_pairs = {
        (c.from_department.code, c.to_department.code): c
        for c in lines.filter(from_department__isnull=False)
    }
    for pair in (
        ("ecommerce", "warehousing"),
        ("ecommerce", "purchasing"),
        ("ecommerce", "finance"),
        ("ec-product", "purchasing"),
        ("ecommerce", "offline-sales"),
        ("it", "ecommerce"),
    ):
        assert pair in dept_pairs, pair
    assert "自提" in dept_pairs[("ecommerce", "offline-sales")].description_zh
    role_pairs = {(c.from_role.code, c.to_role.code) for c in lines.filter(from_role__isnull=False)}
    assert ("store-manager", "agency-operator") in role_pairs
    assert ("ec-deputy", "channel-sales-director") in role_pairs
    assert lines.filter(origin="fill").exists()


def test_function_groups(org):
    assert dept(org, "general-management").function_group == "management"
    assert dept(org, "ecommerce").function_group == "front-line"
    assert dept(org, "ec-logistics").function_group == "logistics-support"
    assert dept(org, "ec-product").function_group == "operations-support"
    assert dept(org, "shared-services").function_group == "logistics-support"
