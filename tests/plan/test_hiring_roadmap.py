import pytest

from departments.models import Organization
from roles.planning.plan import organization_plan
from tests.conftest import TEMPLATE_SLUGS


def test_roadmap_follows_phases_then_hiring_priority_with_cumulative_head_count(
    organization, phases, make_role
):
    # The seeds' order for a new shop: shop manager / operations first … finance and HR last.
    make_role("财务行政部", "财务与人资", [(1, 1), (1, 1), (1, 1)], hiring_priority=6)
    make_role("客服部", "客服", [(1, 2), (2, 3), (3, 4)], hiring_priority=3)
    make_role("运营部", "店长/运营", [(1, 1), (1, 1), (2, 2)], hiring_priority=1)
    make_role("设计部", "美工", [(1, 1), (1, 1), (1, 1)], hiring_priority=2)
    make_role("仓储部", "仓管", [(0, 0), (1, 1), (1, 2)])  # no priority: last in its phase
    make_role("运营部", "推广", [(0, 0), (1, 1), (1, 1)], hiring_priority=4)
    steps = organization_plan(organization).roadmap
    order = [(step.phase.order, step.role.title_zh) for step in steps]
    assert order == [
        (1, "店长/运营"),
        (1, "美工"),
        (1, "客服"),
        (1, "财务与人资"),
        (2, "客服"),
        (2, "推广"),
        (2, "仓管"),
        (3, "店长/运营"),
        (3, "客服"),
        (3, "仓管"),
    ]
    cumulative = [(step.cumulative.min, step.cumulative.max) for step in steps]
    assert cumulative[3] == (4, 5)  # the whole launch phase
    assert cumulative[6] == (7, 8)  # the growth phase's total
    assert cumulative[-1] == (9, 11)  # the mature phase's total
    assert [(s.hires.min, s.hires.max) for s in steps[7:]] == [(1, 1), (1, 1), (0, 1)]


def test_roadmap_of_the_startup_template_starts_with_the_shop_manager(loaded_templates):
    organization = Organization.objects.get(slug="startup", is_template=True)
    steps = organization_plan(organization).roadmap
    priorities = [s.role.hiring_priority for s in steps if s.phase_index == 0]
    set_ones = [p for p in priorities if p is not None]
    assert set_ones == sorted(set_ones) and set_ones[0] == 1


def test_roles_that_shrink_come_first_in_their_phase_and_the_roadmap_ends_on_the_plan(
    organization, phases, make_role
):
    make_role("运营部", "运营专员", [(3, 5), (3, 5), (2, 3)], hiring_priority=1)
    make_role("客服部", "客服", [(1, 3), (2, 3), (2, 4)], hiring_priority=2)
    make_role("仓储部", "仓管", [(1, 1), (2, 2), None])  # gone in the last phase
    plan = organization_plan(organization)
    steps = plan.roadmap
    mature = [(s.role.title_zh, s.kind, str(s.before), str(s.after)) for s in steps[-3:]]
    assert mature == [
        ("运营专员", "reduce", "3–5", "2–3"),
        ("仓管", "reduce", "2", "0"),
        ("客服", "hire", "2–3", "2–4"),
    ]
    assert [(s.fewer.min, s.fewer.max) for s in steps[-3:-1]] == [(1, 2), (2, 2)]
    # 1–3 → 2–3 hires "0–1" (one more from the minimum, none from the maximum), never "+1–0".
    growth = next(s for s in steps if s.phase_index == 1 and s.role.title_zh == "客服")
    assert (growth.hires.min, growth.hires.max) == (0, 1)
    assert all(s.hires.min <= s.hires.max for s in steps)
    # After the last step of each phase: that phase's total in the plan.
    for index, total in enumerate(plan.totals):
        last = [s for s in steps if s.phase_index == index][-1]
        assert last.cumulative == total
    assert steps[-1].cumulative == plan.totals[-1] == (4, 7)


@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_every_template_s_roadmap_ends_on_its_final_phase_total(loaded_templates, slug):
    plan = organization_plan(Organization.objects.get(slug=slug))
    assert plan.roadmap[-1].cumulative == plan.totals[-1]
    assert all(s.hires.min <= s.hires.max for s in plan.roadmap)
    assert all(s.kind == "hire" or s.hires.is_zero for s in plan.roadmap)
