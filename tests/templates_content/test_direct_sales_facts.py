"""Seed facts the direct-sales (直销型 / own B2C shop) template must carry.

Sources: 000 "纯电商团队组建 2.直销型纯电商团队" (core five in hiring order, what each must do),
000 "年销售额千万电商团队如何组建" (eight departments, head count 前6个月 / 12个月后, nine job
descriptions), 002 B2C company of seven departments (客服部 and 市场部 groups, 采购及物流部 that
splits in two), 002 general manager duties, 001 pay rules.
"""

import pytest
from django.db.models import Q, Sum

from departments.models import Department, HeadcountPhase
from roles.models import Collaboration, HeadcountTarget, Role
from tests.templates_content.lookups import dept, duties, mentions, role

pytestmark = pytest.mark.django_db

SLUG = "direct-sales"
FIRST, LATER = "前6个月", "12个月后"


def requirements(org, code, kind=None):
    lines = role(org, code).requirements.all()
    if kind:
        lines = lines.filter(kind=kind)
    return [line.text_zh for line in lines]


def subtree(org, code):
    return dept(org, code).get_descendants(include_self=True)


def department_total(org, code, phase, *, plus_roles=()):
    totals = HeadcountTarget.objects.filter(
        Q(role__department__in=subtree(org, code)) | Q(role__code__in=plus_roles),
        role__organization=org,
        phase__name_zh=phase,
    ).aggregate(low=Sum("min_count"), high=Sum("max_count"))
    return totals["low"], totals["high"]


def target(org, code, phase):
    found = role(org, code).headcount.get(phase__name_zh=phase)
    return found.min_count, found.max_count


def test_is_the_direct_sales_template(org):
    assert "直销" in org.name_zh
    assert "B2C" in org.description_zh


def test_two_seed_phases(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    assert [p.name_zh for p in phases] == [FIRST, LATER]
    assert (phases[0].start_month, phases[0].end_month) == (0, 6)
    assert phases[1].start_month == 12


def test_core_five_in_the_seed_hiring_order(org):
    ranked = Role.objects.filter(organization=org, hiring_priority__lte=5).order_by(
        "hiring_priority"
    )
    assert [r.code for r in ranked] == [
        "ceo",
        "purchasing-director",
        "operations-director",
        "warehouse-logistics-director",
        "cto",
    ]
    assert [r.title_zh[:4] for r in ranked][1:] == ["采购总监", "运营总监", "仓储物流", "技术总监"]
    # finance and HR come after the core five
    assert {r.code for r in Role.objects.filter(organization=org, hiring_priority=6)} == {
        "finance-officer",
        "hr-specialist",
    }


def test_core_five_report_to_the_ceo(org):
    assert role(org, "ceo").reports_to is None
    for code in (
        "purchasing-director",
        "operations-director",
        "warehouse-logistics-director",
        "cto",
    ):
        assert role(org, code).reports_to.code == "ceo"
    assert Role.objects.filter(organization=org, reports_to__isnull=True).count() == 1


def test_what_the_core_five_must_be_able_to_do(org):
    ceo = requirements(org, "ceo")
    for needle in (
        "产品和消费者",
        "团队管理",
        "仓储和采购渠道",
        "财务知识和法务知识",
        "市场敏锐度",
    ):
        assert mentions(ceo, needle), needle
    assert mentions(requirements(org, "purchasing-director"), "价格体系")
    assert mentions(requirements(org, "purchasing-director"), "生产厂家")
    assert mentions(duties(org, "purchasing-director"), "引进新品")
    ops = duties(org, "operations-director")
    for needle in ("网站的建设", "整体业绩", "客服销售", "营销活动", "数据分析"):
        assert mentions(ops, needle), needle
    logistics = duties(org, "warehouse-logistics-director")
    for needle in ("仓储使用效率", "打包成本", "周转率", "物流成本", "全国建仓"):
        assert mentions(logistics, needle), needle
    assert mentions(duties(org, "cto"), "官方商城")
    assert mentions(requirements(org, "cto"), "产品经理")


def test_ceo_carries_the_thirteen_general_manager_duties(org):
    lines = role(org, "ceo").duties.filter(source_note__contains="总经理")
    assert lines.count() == 13
    assert mentions([line.text_zh for line in lines], "重大突发事件")


def test_technology_director_is_optional_at_first(org):
    assert target(org, "cto", FIRST) == (0, 1)
    assert target(org, "cto", LATER) == (1, 1)


def test_the_seven_b2c_departments(org):
    top = {d.code: d.name_zh for d in Department.objects.filter(organization=org, parent=None)}
    for code, name in {
        "customer-service": "客服部",
        "marketing": "市场部",
        "purchasing-logistics": "采购及物流部",
        "technology": "技术部",
        "operations-center": "网站运营部",
        "finance": "财务部",
        "hr": "人力资源部",
    }.items():
        assert name in top[code], code


def test_b2c_sub_departments(org):
    def children(code):
        return {d.name_zh for d in dept(org, code).get_children()}

    assert children("customer-service") == {"客服运营组", "客服培训组", "绩效及稽核组"}
    assert children("marketing") == {"媒介推广组", "活动公关组", "营销分析组"}
    assert children("purchasing-logistics") == {"采购部", "仓储物流部"}
    assert "裂变" in dept(org, "purchasing-logistics").summary_zh


def test_the_eight_departments_of_the_staffing_table(org):
    names = {
        "merchandising": "商品部",
        "web-frontend": "WEB前端部",
        "marketing": "市场推广部",
        "order-processing": "订单处理部",
        "customer-service": "客服部",
        "tech-support": "技术支持部",
        "returns": "退换货部",
        "warehouse": "仓储部",
    }
    for code, name in names.items():
        assert name in dept(org, code).name_zh, code
    assert dept(org, "merchandising").parent.code == "operations-center"
    assert dept(org, "web-frontend").parent.code == "technology"
    assert dept(org, "warehouse").parent.code == "warehouse-logistics"


@pytest.mark.parametrize(
    ("code", "first", "later"),
    [
        ("merchandising", (3, 3), (8, 10)),
        ("web-frontend", (1, 1), (3, 4)),
        ("marketing", (3, 4), (6, 8)),
        ("order-processing", (2, 3), (7, 10)),
        ("customer-service", (7, 7), (17, 20)),
        ("tech-support", (1, 1), (2, 3)),
        ("returns", (0, 0), (3, 4)),
    ],
)
def test_staffing_table_totals_per_department(org, code, first, later):
    assert department_total(org, code, FIRST) == first
    assert department_total(org, code, LATER) == later


def test_warehouse_total_includes_the_shared_finance_person(org):
    assert department_total(org, "warehouse", FIRST, plus_roles=["finance-officer"]) == (4, 4)
    assert department_total(org, "warehouse", LATER, plus_roles=["finance-officer"]) == (11, 13)


def test_role_ranges_from_the_staffing_table(org):
    assert target(org, "warehouse-manager", FIRST) == (1, 1)
    assert target(org, "picker-packer", LATER) == (5, 7)
    assert target(org, "sorter", LATER) == (3, 3)
    assert target(org, "checker", LATER) == (1, 1)
    assert target(org, "order-verifier", FIRST) == (1, 1)
    assert target(org, "order-processor", LATER) == (4, 6)
    assert target(org, "returns-clerk", FIRST) == (0, 0)
    assert target(org, "returns-manager", LATER) == (1, 1)
    assert target(org, "merch-manager", FIRST) == (0, 0)
    assert target(org, "frontend-developer", FIRST) == (1, 1)
    assert target(org, "cs-manager", FIRST) == (1, 1)


def test_employment_types(org):
    finance = role(org, "finance-officer")
    assert finance.employment_type == "shared"
    assert finance.department.code == "finance"
    assert "兼职可和现在企业公用" in finance.source_note
    photographer = role(org, "photographer")
    assert photographer.employment_type == "part-time"
    assert "graphic-designer" in photographer.combinable_with.values_list("code", flat=True)
    assert role(org, "ceo").employment_type == "full-time"


NINE_JOB_DESCRIPTIONS = [
    # (role, duties, requirements, a duty, a requirement). An article line that mixes a must
    # with a 优先 (「中专以上学历,营销相关专业优先」) is two lines: required, then preferred.
    ("order-seat-rep", 7, 9, "拒收和退货率", "普通话"),
    ("order-processor", 3, 8, "到账", "中专以上"),
    ("warehouse-manager", 9, 6, "第三方物流配送公司的评估考核", "两年以上团队管理"),
    ("ad-specialist", 6, 5, "P4P", "信息管理类"),
    ("frontend-developer", 4, 8, "HTML、CSS和JavaScript", "IE6"),
    ("data-analyst", 5, 6, "复合度量", "Google Analytics"),
    ("marketing-manager", 9, 8, "关键词搜索优化", "英文良好"),
    ("tech-support-engineer", 2, 5, "应急处理", "Linux"),
    ("brand-planner", 3, 6, "品牌推广和合作计划", "主人翁精神"),
]


@pytest.mark.parametrize(
    ("code", "duty_count", "requirement_count", "duty", "requirement"), NINE_JOB_DESCRIPTIONS
)
def test_nine_job_descriptions_are_complete(
    org, code, duty_count, requirement_count, duty, requirement
):
    found = role(org, code)
    seed_duties = found.duties.filter(origin="seed", source_note__contains="主要人员招聘要求")
    assert seed_duties.count() >= duty_count - 1  # the ad specialist has one table-derived line
    assert found.duties.filter(origin="seed").count() >= duty_count
    seed_requirements = found.requirements.filter(origin="seed")
    assert seed_requirements.count() == requirement_count
    assert mentions(duties(org, code), duty)
    assert mentions(requirements(org, code), requirement)


def test_requirement_kinds_of_the_job_descriptions(org):
    assert mentions(requirements(org, "warehouse-manager", "education"), "大专以上")
    assert mentions(requirements(org, "warehouse-manager", "experience"), "2年以上")
    assert mentions(requirements(org, "brand-planner", "education"), "本科")
    assert mentions(requirements(org, "data-analyst", "skill"), "Google Analytics")
    assert mentions(requirements(org, "frontend-developer", "knowledge"), "浏览器")
    assert mentions(requirements(org, "order-seat-rep", "trait"), "主动服务")


def test_both_customer_service_representatives_carry_the_full_job_description(org):
    for code in ("order-seat-rep", "user-service-rep"):
        lines = duties(org, code)
        for needle in ("呼入电话", "在线工具", "外呼", "评论", "客户关系"):
            assert mentions(lines, needle), (code, needle)
        assert role(org, code).reports_to.code == "cs-team-lead"


def test_customer_service_groups_and_their_duties(org):
    assert mentions(duties(org, "cs-trainer"), "客服手册")
    assert mentions(duties(org, "cs-auditor"), "不良咨询率")
    assert "客户主管" in role(org, "cs-team-lead").title_zh
    kpis = [k.text_zh for k in role(org, "cs-manager").kpis.filter(origin="seed")]
    for needle in ("满意度", "订单转化率", "平均订单金额"):
        assert mentions(kpis, needle), needle


def test_marketing_charters(org):
    media = dept(org, "media-promotion").functions_zh
    for needle in ("支付宝", "搜索引擎营销", "投产比"):
        assert needle in media, needle
    assert "新闻公关" in dept(org, "pr-events").functions_zh
    assert "CRM" in dept(org, "marketing-analysis").functions_zh


def test_function_groups(org):
    groups = {d.code: d.function_group for d in Department.objects.filter(organization=org)}
    assert groups["executive-office"] == "management"
    assert groups["customer-service"] == "front-line"
    assert groups["marketing"] == "front-line"
    assert groups["technology"] == "operations-support"
    assert groups["purchasing-logistics"] == "logistics-support"
    assert groups["warehouse"] == "logistics-support"
    assert groups["order-processing"] == "logistics-support"


def test_pay_rules(org):
    assert role(org, "operations-director").pay_structure == "base-commission"
    analyst = role(org, "data-analyst")
    assert analyst.pay_structure == "base-bonus"
    assert "提成" in analyst.pay_note_zh


def test_purchasing_is_fed_by_operations_marketing_and_customer_service(org):
    sources = set(
        Collaboration.objects.filter(
            organization=org, to_department__code="purchasing"
        ).values_list("from_department__code", flat=True)
    )
    assert sources == {"operations-center", "marketing", "customer-service"}
    line = Collaboration.objects.get(
        organization=org, from_role__code="operations-director", to_role__code="purchasing-director"
    )
    assert "产品需求" in line.description_zh


def test_order_flow_collaborations(org):
    assert Collaboration.objects.filter(
        organization=org,
        from_department__code="cs-operations",
        to_department__code="order-processing",
    ).exists()
    line = Collaboration.objects.get(
        organization=org,
        from_department__code="order-processing",
        to_department__code="warehouse",
    )
    assert "打包" in line.description_zh
    assert Collaboration.objects.filter(
        organization=org,
        from_department__code="marketing-analysis",
        to_department__code="media-promotion",
        origin="seed",
    ).exists()
