"""Seed facts the startup (初创店铺 / 经营初期) template must carry.

Sources: 000 "电商部门组织架构及职责【完整版】 一、经营初期的组织架构" (eight departments, their
roles and duties; 002 repeats it and adds the 商务拓展部 roles), 000 "电商团队搭建方案" (small
team with head count, workflow 运营部 → 摄影部 → 美工部 → 上架, 客服 → 发货 → 反馈运营部),
004 (hiring order of a new shop, what the shop manager does alone at first, ~4 then ~16 people),
001 (standard four departments, commission vs base + bonus).
"""

import pytest
from django.db.models import Sum

from departments.models import Department, HeadcountPhase
from roles.models import Collaboration, HeadcountTarget, Role
from tests.templates_content.lookups import dept, duties, mentions, role

pytestmark = pytest.mark.django_db

SLUG = "startup"

EARLY_STAGE_DEPARTMENTS = {
    "operations": "网络运营部",
    "visual-design": "视觉设计部",
    "distribution": "网络分销部",
    "customer-service": "网络客服部",
    "promotion": "网络推广部",
    "business-development": "商务拓展部",
    "logistics": "电商物流部",
    "finance-admin": "财务行政部",
}


def phase_total(org, phase_name, **role_filters):
    totals = HeadcountTarget.objects.filter(
        role__organization=org, phase__name_zh=phase_name, **role_filters
    ).aggregate(low=Sum("min_count"), high=Sum("max_count"))
    return totals["low"], totals["high"]


def test_is_the_startup_template(org):
    assert "初创" in org.name_zh
    assert "16" in org.description_zh


def test_three_growth_phases_in_order(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    assert [p.name_zh for p in phases] == ["启动期", "成长期", "成熟期"]
    assert [(p.start_month, p.end_month) for p in phases] == [(0, 6), (6, 12), (12, None)]


def test_the_eight_early_stage_departments_sit_under_the_shop_manager(org):
    root = dept(org, "ecommerce")
    assert root.parent is None
    assert root.function_group == "management"
    for code, name in EARLY_STAGE_DEPARTMENTS.items():
        department = dept(org, code)
        assert name in department.name_zh, code
        assert department.parent == root, code
    assert Department.objects.filter(organization=org, parent__isnull=True).count() == 1


def test_photography_is_a_unit_of_visual_design(org):
    photography = dept(org, "photography")
    assert photography.name_zh == "摄影部"
    assert photography.parent == dept(org, "visual-design")


def test_standard_four_departments_are_covered(org):
    # 001: 运营部、设计部、客服部、物流部
    assert "运营" in dept(org, "operations").name_zh
    assert "设计" in dept(org, "visual-design").name_zh
    assert "客服" in dept(org, "customer-service").name_zh
    assert "物流" in dept(org, "logistics").name_zh


def test_department_charters_carry_the_seed_functions(org):
    assert "京东" in dept(org, "operations").summary_zh
    assert "转化率" in dept(org, "operations").functions_zh
    assert "淘宝客" in dept(org, "distribution").functions_zh
    assert "会员" in dept(org, "customer-service").functions_zh
    assert "团购" in dept(org, "business-development").functions_zh
    assert "B2C" in dept(org, "business-development").functions_zh
    assert "知名度" in dept(org, "promotion").functions_zh
    assert "物流成本" in dept(org, "logistics").functions_zh
    assert "财务" in dept(org, "finance-admin").summary_zh


def test_function_groups_follow_the_function_model(org):
    groups = {d.code: d.function_group for d in Department.objects.filter(organization=org)}
    assert groups["operations"] == "front-line"
    assert groups["customer-service"] == "front-line"
    assert groups["visual-design"] == "operations-support"
    assert groups["logistics"] == "logistics-support"
    assert groups["finance-admin"] == "logistics-support"


@pytest.mark.parametrize(
    ("code", "department", "title"),
    [
        ("ops-supervisor", "operations", "淘宝运营主管"),
        ("campaign-planner", "operations", "活动策划"),
        ("copywriter", "operations", "文案"),
        ("promotion-specialist", "operations", "淘宝推广"),
        ("design-supervisor", "visual-design", "视觉设计主管"),
        ("designer", "visual-design", "美工"),
        ("distribution-supervisor", "distribution", "网络分销主管"),
        # 004: 「9.售前主管和售后主管」 - two roles sharing 000's 网络客服主管 duties
        ("presales-supervisor", "customer-service", "售前主管"),
        ("aftersales-supervisor", "customer-service", "售后主管"),
        ("presales-agent", "customer-service", "售前客服"),
        ("aftersales-agent", "customer-service", "网络售后客服"),
        ("crm-specialist", "customer-service", "CRM会员管理"),
        ("bd-manager", "business-development", "电子商务拓展经理"),
        ("bd-specialist", "business-development", "电子商务拓展专员"),
        ("photographer", "photography", "摄影专员"),
        ("ops-planner", "operations", "运营策划"),
        ("shop-manager", "ecommerce", "店长"),
    ],
)
def test_roles_named_by_the_seeds(org, code, department, title):
    found = role(org, code)
    assert title in found.title_zh
    assert found.department.code == department


def test_early_stage_duties(org):
    assert mentions(duties(org, "ops-supervisor"), "一号店")
    assert mentions(duties(org, "campaign-planner"), "官方活动")
    assert mentions(duties(org, "copywriter"), "产品描述")
    assert mentions(duties(org, "copywriter"), "广告语")
    assert mentions(duties(org, "promotion-specialist"), "站内外")
    assert mentions(duties(org, "design-supervisor"), "分配美工资源")
    assert mentions(duties(org, "distribution-supervisor"), "淘宝客")
    cs_supervisor = duties(org, "presales-supervisor") + duties(org, "aftersales-supervisor")
    for needle in ("管理制度", "培训", "退换货", "旺旺", "工作报表"):
        assert mentions(cs_supervisor, needle), needle
    assert mentions(duties(org, "crm-specialist"), "会员数据库")
    assert mentions(duties(org, "bd-manager"), "团购")
    assert mentions(duties(org, "bd-manager"), "B2C平台")


def test_shop_manager_does_it_all_at_first(org):
    lines = duties(org, "shop-manager")
    for needle in ("数据分析", "盈利模式", "引流", "直通车", "钻展", "淘宝客", "微淘", "培训"):
        assert mentions(lines, needle), needle
    assert mentions(lines, "下放")


def test_ops_planner_has_the_team_plan_duties(org):
    lines = duties(org, "ops-planner")
    for needle in ("销售业绩目标", "特价", "竞争对手", "校园", "摄影部"):
        assert mentions(lines, needle), needle


def test_designer_and_photographer_duties(org):
    assert mentions(duties(org, "designer"), "详情页")
    assert mentions(duties(org, "designer"), "上架")
    assert mentions(duties(org, "photographer"), "拍摄方案")
    assert mentions(duties(org, "photographer"), "模特")


def test_warehouse_clerk_checks_packs_and_ships(org):
    lines = duties(org, "warehouse-shipper")
    for needle in ("质检", "打包", "ERP", "物流单据", "反馈给运营部"):
        assert mentions(lines, needle), needle


def test_hiring_order_of_a_new_shop(org):
    ranked = Role.objects.filter(organization=org, hiring_priority__isnull=False)
    by_priority = {}
    for found in ranked:
        by_priority.setdefault(found.hiring_priority, set()).add(found.code)
    assert by_priority == {
        1: {"shop-manager"},
        2: {"presales-agent"},
        3: {"warehouse-shipper"},
        4: {"designer"},
        5: {"promotion-specialist", "copywriter", "campaign-planner", "crm-specialist"},
        6: {"brand-promoter"},
        7: {"finance", "hr-admin"},
    }


def test_launch_team_is_the_first_four_hires(org):
    assert phase_total(org, "启动期") == (4, 4)
    staffed = set(
        HeadcountTarget.objects.filter(
            role__organization=org, phase__name_zh="启动期", min_count__gt=0
        ).values_list("role__code", flat=True)
    )
    assert staffed == {"shop-manager", "presales-agent", "warehouse-shipper", "designer"}


def test_a_complete_team_is_about_sixteen(org):
    low, high = phase_total(org, "成熟期")
    assert low == 16
    assert high >= low


def test_small_team_head_count_from_the_team_plan(org):
    photographer = role(org, "photographer").headcount.get(phase__name_zh="成长期")
    assert (photographer.min_count, photographer.max_count) == (1, 2)
    assert phase_total(org, "成长期", role__department__code="operations")[0] == 3
    assert phase_total(org, "成长期", role__code="shop-manager") == (1, 1)


def test_reporting_lines_form_one_tree_under_the_shop_manager(org):
    roots = Role.objects.filter(organization=org, reports_to__isnull=True)
    assert [r.code for r in roots] == ["shop-manager"]
    # 004: 「推广专员,内容专员、活动专员仅需向店长汇报工作即可」
    for code in ("promotion-specialist", "copywriter", "campaign-planner", "ops-planner"):
        assert role(org, code).reports_to.code == "shop-manager"
    assert role(org, "designer").reports_to.code == "design-supervisor"
    assert role(org, "presales-agent").reports_to.code == "presales-supervisor"
    assert role(org, "aftersales-agent").reports_to.code == "aftersales-supervisor"


def test_one_person_may_hold_several_roles_early_on(org):
    def combinable(code):
        return set(role(org, code).combinable_with.values_list("code", flat=True))

    assert {"ops-supervisor", "copywriter", "campaign-planner", "data-analyst"} <= combinable(
        "shop-manager"
    )
    assert "aftersales-agent" in combinable("presales-agent")
    assert "photographer" in combinable("designer")
    assert "logistics-supervisor" in combinable("warehouse-shipper")
    assert "finance" in combinable("hr-admin")


def test_pay_rules(org):
    # 001: operations earns commission on shop sales, the data post base + flexible bonus
    assert role(org, "shop-manager").pay_structure == "base-commission"
    assert role(org, "ops-supervisor").pay_structure == "base-commission"
    analyst = role(org, "data-analyst")
    assert analyst.pay_structure == "base-bonus"
    assert "提成" in analyst.pay_note_zh


def test_employment_types(org):
    assert role(org, "finance").employment_type == "part-time"
    assert role(org, "shop-manager").employment_type == "full-time"


def test_seed_kpis_and_requirements(org):
    presales = role(org, "presales-agent")
    assert presales.kpis.filter(text_zh__contains="询单转化率", origin="seed").exists()
    assert presales.requirements.filter(kind="experience", text_zh__contains="销售").exists()
    manager = role(org, "shop-manager")
    assert manager.requirements.filter(kind="experience", text_zh__contains="培训上岗").exists()
    assert role(org, "seo-specialist").kpis.filter(text_zh__contains="搜索流量").exists()


WORKFLOW = [
    ("operations", "photography", "拍摄方案"),
    ("photography", "visual-design", "美工"),
    ("operations", "visual-design", "上架"),
    ("visual-design", "customer-service", "新品"),
    ("customer-service", "logistics", "发货"),
    ("logistics", "operations", "反馈"),
]


@pytest.mark.parametrize(("source", "target", "needle"), WORKFLOW)
def test_product_workflow_collaboration_lines(org, source, target, needle):
    line = Collaboration.objects.get(
        organization=org, from_department__code=source, to_department__code=target
    )
    assert needle in line.description_zh
    assert line.description_en
    assert line.origin == "seed"


def test_visual_design_serves_the_other_departments(org):
    served = set(
        Collaboration.objects.filter(
            organization=org, from_department__code="visual-design"
        ).values_list("to_department__code", flat=True)
    )
    assert {"distribution", "promotion", "business-development"} <= served
