"""Every reporting line of every template is manned in every phase where its reports are.

A role with people in a phase reports to a manager with people in that phase. The one exception
is a manager's post the spec marks as standing empty on purpose (`reports_to_vacant_in`, e.g.
000's direct-sales table has no 商品部经理 in the first 6 months): then the nearest manager
above leads the team and has people in that phase, and the source note says why.
"""

import pytest

from departments.models import HeadcountPhase
from roles.models import HeadcountTarget, Role
from roles.services.template_loading import read_spec
from tests.conftest import TEMPLATE_SLUGS

pytestmark = pytest.mark.django_db

# The posts that stand empty on purpose, per template: (role, its manager, phases), each
# following its article - see the role's source note for the passage.
INTENDED_VACANCIES = {
    "startup": {
        # 004: 「这个岗位一开始的时候包揽了售前与售后,等询单量增多之后,再进行分组」
        ("presales-agent", "presales-supervisor", ("launch", "growth")),
        ("aftersales-agent", "aftersales-supervisor", ("growth",)),
        # 004: 「美工设计是第四招募对象」 - the 视觉设计主管 (000) comes with the mature team
        ("designer", "design-supervisor", ("launch", "growth")),
        ("photographer", "design-supervisor", ("growth",)),
        # 004: 「仓储就既负责质检,也负责打包和发货,物流跟踪等工作」
        ("warehouse-shipper", "logistics-supervisor", ("launch", "growth")),
    },
    "platform": {
        ("web-designer", "ux-manager", ("prep",)),
        ("retoucher", "ux-manager", ("prep",)),
        ("photographer", "ux-manager", ("prep",)),
    },
    "direct-sales": {
        # 000 运营中心人员数规划, 前6个月: 「1个平面美工1个信息、内容维护专员2个文案策划员
        # 1个拍照(可兼职)」 - no 商品部经理, 订单部经理 or 前端部经理 before 12 months
        ("graphic-designer", "merch-manager", ("first-6-months",)),
        ("photographer", "merch-manager", ("first-6-months",)),
        ("content-editor", "merch-manager", ("first-6-months",)),
        ("copywriter", "merch-manager", ("first-6-months",)),
        ("order-processor", "order-manager", ("first-6-months",)),
        ("order-verifier", "order-manager", ("first-6-months",)),
        ("frontend-developer", "frontend-manager", ("first-6-months",)),
        ("order-seat-rep", "cs-team-lead", ("first-6-months",)),
        ("user-service-rep", "cs-team-lead", ("first-6-months",)),
    },
    "traditional-brand": {
        # 000: 「这两个主要人员搞定,剩下就是运营、推广、美工,客服等岗位」
        ("promotion-specialist", "planning-supervisor", ("pilot",)),
        ("presales-cs", "cs-supervisor", ("pilot",)),
        ("aftersales-cs", "cs-supervisor", ("pilot",)),
    },
    "cross-border": {
        ("designer", "design-lead", ("launch",)),
    },
}


@pytest.fixture(params=TEMPLATE_SLUGS)
def slug(request, loaded_templates):
    return request.param


def most_people(slug):
    """(role code, phase key) → the most people the plan gives that role in that phase."""
    keys = {item["name"]["zh"]: item["key"] for item in read_spec(slug)["phases"]}
    return {
        (code, keys[phase]): high
        for code, phase, high in HeadcountTarget.objects.filter(
            role__organization__slug=slug
        ).values_list("role__code", "phase__name_zh", "max_count")
    }


def test_every_reporting_line_is_manned_where_its_reports_are(slug):
    people = most_people(slug)
    phases = [item["key"] for item in read_spec(slug)["phases"]]
    roles = {role.code: role for role in Role.objects.filter(organization__slug=slug)}
    manager_of = {
        code: role.reports_to.code if role.reports_to else None for code, role in roles.items()
    }
    vacant = {
        (code, phase) for code, _manager, listed in INTENDED_VACANCIES[slug] for phase in listed
    }
    unmanned = set()
    for code, manager in manager_of.items():
        for phase in phases:
            if manager and people.get((code, phase), 0) and not people.get((manager, phase), 0):
                unmanned.add((code, phase))
                # someone above the empty post leads the team then
                acting = manager_of[manager]
                while acting and not people.get((acting, phase), 0):
                    acting = manager_of[acting]
                assert acting, (code, manager, phase)
    assert unmanned == vacant


def test_the_spec_marks_each_vacancy_and_says_why(slug):
    marked = {
        (item["code"], item["reports_to"], tuple(item["reports_to_vacant_in"]))
        for item in read_spec(slug)["roles"]
        if item.get("reports_to_vacant_in")
    }
    assert marked == INTENDED_VACANCIES[slug]
    for code, _manager, phases in marked:
        note = Role.objects.get(organization__slug=slug, code=code).source_note
        assert f"manager post vacant in {'/'.join(phases)}" in note


def test_phase_keys_and_names_line_up(slug):
    # most_people() maps phase names back to the spec's keys: names must be unique
    names = HeadcountPhase.objects.filter(organization__slug=slug).values_list("name_zh", flat=True)
    assert len(set(names)) == len(names) == len(read_spec(slug)["phases"])
