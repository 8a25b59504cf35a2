"""Seed facts the platform (vertical marketplace) template must carry.

Sources: 000 "纯电商团队组建 1.平台型电商团队组建" (core team in hiring order),
002 "电子商务公司运营公司组织架构图" (six departments and their sub-units),
002 "电商最新组织架构及岗位说明" (committees, centres, function model) and
002 "电商公司组织架构" (SEO / promotion / ops-manager knowledge + skills).
"""

import pytest

from departments.models import HeadcountPhase
from roles.models import Collaboration, Role
from tests.templates_content.lookups import dept, mentions, role, texts

pytestmark = pytest.mark.django_db

SLUG = "platform"


def test_is_the_platform_template(org):
    assert "平台" in org.name_zh
    assert "垂直" in org.description_zh


def test_three_growth_phases_in_order(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    assert [p.name_zh for p in phases] == ["筹建期", "成长期", "成熟期"]
    assert phases[0].start_month == 0 and phases[0].end_month == 6


def test_core_team_is_hired_in_the_seed_order(org):
    ranked = Role.objects.filter(organization=org, hiring_priority__isnull=False).order_by(
        "hiring_priority"
    )
    assert [r.code for r in ranked] == ["ceo", "merchant-director", "ops-director", "cto", "cfo"]
    titles = [r.title_zh for r in ranked]
    for needle, title in zip(
        ["CEO", "招商总监", "运营总监", "技术总监", "财务总监"], titles, strict=True
    ):
        assert needle in title


def test_core_directors_report_to_the_ceo(org):
    ceo = role(org, "ceo")
    for code in ("merchant-director", "ops-director", "cto", "cfo"):
        assert role(org, code).reports_to == ceo
    # the CEO answers to the decision committee (its charter appoints the executive committee)
    assert ceo.reports_to == role(org, "dc-chair")
    assert Role.objects.filter(organization=org, reports_to__isnull=True).count() == 1


def test_what_each_core_director_must_be_able_to_do(org):
    ceo = role(org, "ceo")
    assert mentions(texts(ceo.duties), "区别管理")
    assert mentions(texts(ceo.requirements, kind="experience"), "电商")
    assert mentions(texts(ceo.requirements, kind="other"), "口碑")
    assert mentions(texts(ceo.requirements, kind="trait"), "大局")

    merchant = role(org, "merchant-director")
    assert mentions(texts(merchant.duties), "开发方案")
    assert mentions(texts(merchant.duties), "推迟")

    ops = role(org, "ops-director")
    assert mentions(texts(ops.duties), "联合促销")
    assert mentions(texts(ops.duties), "协调技术和招商")

    cto = role(org, "cto")
    assert mentions(texts(cto.duties), "开发周期和成本")
    assert mentions(texts(cto.duties), "扩展预留接口") or mentions(texts(cto.duties), "预留接口")
    assert mentions(texts(cto.requirements, kind="skill"), "产品经理")

    cfo = role(org, "cfo")
    assert mentions(texts(cfo.duties), "财务风险")
    assert mentions(texts(cfo.duties), "资金使用")
    assert mentions(texts(cfo.requirements, kind="experience"), "电商企业财务经验")


def test_committees_and_centres(org):
    dc = dept(org, "decision-committee")
    ec = dept(org, "executive-committee")
    assert dc.name_zh == "决策委员会" and dc.parent is None
    assert ec.name_zh == "执行委员会" and ec.parent == dc
    assert "股东会" in dc.summary_zh
    functions = dc.function_lines
    assert len(functions) == 6
    assert mentions(functions, "预算")
    assert mentions(functions, "聘任或解聘")
    centres = set(ec.get_children().values_list("name_zh", flat=True))
    for name in (
        "产品中心",
        "用户体验设计中心",
        "市场运营中心",
        "客户运营中心",
        "仓储物流中心",
        "行政中心",
    ):
        assert name in centres
    assert {"招商中心", "技术部", "财务部"} <= centres


def test_the_six_org_chart_departments_are_merged_into_the_centres(org):
    # 002 电子商务公司运营公司组织架构图: 采供部, 技术部, 市场部, 客服部, 财务部, 行政部
    assert "市场部" in dept(org, "market-operations").summary_zh
    assert "客服部" in dept(org, "customer-operations").summary_zh
    assert "采供部" in dept(org, "product-centre").summary_zh
    assert "采供部" in dept(org, "warehouse-logistics").summary_zh
    assert "设计部" in dept(org, "ux-design").summary_zh
    assert "行政部" in dept(org, "administration").summary_zh
    assert dept(org, "technology").name_zh == "技术部"
    assert dept(org, "finance").name_zh == "财务部"


def test_org_chart_sub_units(org):
    def children(code):
        return set(dept(org, code).get_children().values_list("name_zh", flat=True))

    assert children("market-operations") == {"策划部", "销售部", "网站运营部"}
    assert children("customer-operations") == {"售前组", "售后组", "审单打单组"}
    assert children("product-centre") == {"采购/跟单组", "货源信息采集部"}
    assert mentions(dept(org, "warehouse-logistics").function_lines, "仓储布局")
    assert mentions(dept(org, "warehouse-logistics").function_lines, "配送合作伙伴")
    assert mentions(dept(org, "technology").function_lines, "局域网")
    assert mentions(dept(org, "site-operations").function_lines, "会员收费")
    assert mentions(dept(org, "planning").function_lines, "品牌推广")
    assert "展会" in dept(org, "sourcing-info").summary_zh
    admin_functions = dept(org, "administration").function_lines
    for needle in ("人事", "绩效", "接待"):
        assert mentions(admin_functions, needle)


def test_function_model_groups(org):
    expected = {
        "decision-committee": "management",
        "executive-committee": "management",
        "merchant-recruitment": "front-line",
        "market-operations": "front-line",
        "customer-operations": "front-line",
        "order-review": "logistics-support",
        "product-centre": "operations-support",
        "purchasing": "logistics-support",
        "ux-design": "operations-support",
        "technology": "operations-support",
        "warehouse-logistics": "logistics-support",
        "finance": "logistics-support",
        "administration": "logistics-support",
    }
    for code, group in expected.items():
        assert dept(org, code).function_group == group, code


def test_function_model_positions_exist(org):
    titles = list(Role.objects.filter(organization=org).values_list("title_zh", flat=True))
    for name in (
        "直通车/钻展专员",
        "买手",
        "网页设计师",
        "淘客专员",
        "运营专员",
        "用户体验师",
        "客户服务专员",
        "客户关系专员",
        "修图排版师",
        "产品助理",
        "订单处理专员",
        "仓库管理员",
        "人事行政专员",
        "跟单员",
        "采购员",
    ):
        assert mentions(titles, name), name
    # front line sells, operations support backs it up, logistics support runs the back office
    assert role(org, "paid-ads-specialist").department.function_group == "front-line"
    assert role(org, "buyer").department.function_group == "operations-support"
    assert role(org, "warehouse-keeper").department.function_group == "logistics-support"


def test_design_reports_to_technology_as_in_the_org_chart(org):
    assert role(org, "ux-manager").reports_to == role(org, "cto")
    ops = role(org, "ops-director")
    for code in ("product-manager", "wl-manager", "cs-supervisor", "online-ops-manager"):
        assert role(org, code).reports_to == ops


def test_org_chart_duties(org):
    assert mentions(texts(role(org, "presales-cs").duties), "有问必答")
    assert mentions(texts(role(org, "aftersales-cs").duties), "回访")
    assert mentions(texts(role(org, "order-processor").duties), "审核销售单据")
    assert mentions(texts(role(org, "supply-chain-specialist").duties), "配送周期")
    assert mentions(texts(role(org, "delivery-specialist").duties), "配送合作伙伴")
    assert mentions(texts(role(org, "ad-designer").duties), "包装")
    assert mentions(texts(role(org, "network-engineer").duties), "局域网")


def test_knowledge_plus_skill_roles(org):
    for code in ("seo-specialist", "promotion-specialist", "online-ops-manager"):
        r = role(org, code)
        assert r.requirements.filter(kind="knowledge").exists(), code
        assert r.requirements.filter(kind="skill").exists(), code
    seo = role(org, "seo-specialist")
    assert mentions(texts(seo.requirements, kind="knowledge"), "搜索引擎")
    assert mentions(texts(seo.duties), "长尾词")
    assert mentions(texts(seo.kpis), "搜索流量")
    assert mentions(texts(seo.kpis), "PV")
    assert mentions(texts(role(org, "promotion-specialist").kpis), "精准流量")
    assert mentions(texts(role(org, "online-ops-manager").duties), "总策划")


def test_one_person_may_hold_several_roles(org):
    seo = role(org, "seo-specialist")
    assert role(org, "promotion-specialist") in seo.combinable_with.all()
    assert role(org, "ceo") in role(org, "dc-chair").combinable_with.all()


def test_head_count_per_phase(org):
    phases = list(HeadcountPhase.objects.filter(organization=org).order_by("order"))
    chair = role(org, "dc-chair")
    assert all(
        t.min_count == t.max_count == 1 and t.origin == "seed" for t in chair.headcount.all()
    )
    member = role(org, "dc-member").headcount.get(phase=phases[1])
    assert member.min_count < member.max_count and member.origin == "fill"


def test_employment_types(org):
    # 002 names 主席、委员 and nothing about their hours: part-time was invented (issue 20)
    assert role(org, "dc-member").employment_type == "full-time"
    assert role(org, "photographer").employment_type == "full-time"
    assert role(org, "ceo").employment_type == "full-time"


def test_collaboration_lines(org):
    lines = Collaboration.objects.filter(organization=org)
    pairs = {(c.from_role.code, c.to_role.code) for c in lines.filter(from_role__isnull=False)}
    assert ("merchant-director", "ops-director") in pairs
    assert ("ops-director", "cto") in pairs
    dept_pairs = {
        (c.from_department.code, c.to_department.code)
        for c in lines.filter(from_department__isnull=False)
    }
    assert ("ux-design", "market-operations") in dept_pairs
    assert ("product-centre", "warehouse-logistics") in dept_pairs
    assert ("market-operations", "merchant-recruitment") in dept_pairs
    assert lines.filter(origin="seed").exists() and lines.filter(origin="fill").exists()


def test_roles_are_both_the_articles_and_ours(org):
    # both kinds are present: the template says which parts are the articles' and which are ours
    roles = Role.objects.filter(organization=org)
    assert roles.filter(origin="seed").exists() and roles.filter(origin="fill").exists()
