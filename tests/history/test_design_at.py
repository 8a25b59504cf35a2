"""The design as it was at a revision (`roles.selectors.design_at`) is the design the plan read
then: after every edit of a sequence, the plan built from the rebuilt rows equals the plan read
from the live tables at that moment, and today's revision gives today's design."""

import pytest

from departments import services as department_services
from departments.models import Department, HeadcountPhase, Organization
from roles import services as role_services
from roles.models import Role
from roles.planning.data import plan_data
from roles.planning.plan import organization_plan
from roles.selectors import organization_design
from roles.selectors.design_at import design_at, plan_data_at
from roles.services.designs import department_delete

pytestmark = pytest.mark.django_db


def plan_summary(plan) -> dict:
    """What a person reads off a plan: totals, every department's row and every role's row in
    order, and the roadmap; nodes by pk, so a node rebuilt as another one shows."""
    return {
        "phases": [(phase.pk, phase.order, phase.name_zh) for phase in plan.phases],
        "totals": plan.totals,
        "costs": plan.costs,
        "departments": [
            (
                row.department.pk,
                row.department.code,
                row.department.name_zh,
                row.depth,
                row.path,
                row.own,
                row.total,
                row.role_count,
                row.subtree_role_count,
            )
            for row in plan.departments
        ],  # fmt: skip
        "roles": [
            (
                row.role.pk,
                row.role.code,
                row.role.title_zh,
                row.role.title_en,
                row.department.code,
                row.role.reports_to_id,
                row.counts,
                row.costs,
            )
            for row in plan.roles
        ],  # fmt: skip
        "roadmap": [
            (
                step.role.pk,
                step.phase.pk,
                step.hires,
                step.cumulative,
                sorted(role.pk for role in step.combinable),
            )
            for step in plan.roadmap
        ],  # fmt: skip
        "lines": (plan.data.duty_counts, plan.data.requirement_counts),
    }


def revision_of(organization: Organization) -> int:
    organization.refresh_from_db()
    return organization.revision


def test_the_plan_at_each_revision_is_the_plan_read_then(organization):
    phases = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    seen: dict[int, dict] = {}

    def remember():
        seen[revision_of(organization)] = plan_summary(organization_plan(organization))

    remember()
    operations = department_services.department_create(
        organization=organization, name_zh="运营中心", name_en="Operations"
    )
    service = department_services.department_create(
        organization=organization, name_zh="客服部", name_en="Service", parent=operations
    )
    sales = department_services.department_create(
        organization=organization, name_zh="销售部", name_en="Sales"
    )
    remember()
    boss = role_services.role_create(
        organization=organization, department=operations, title_zh="运营总监", salary_min=30000,
        headcount=[{"phase": phases[0].pk, "min": 1, "max": 1}],
    )  # fmt: skip
    agent = role_services.role_create(
        organization=organization, department=service, reports_to=boss, title_zh="客服专员",
        duties=[{"text_zh": "接待", "text_en": "Answer"}],
        headcount=[{"phase": phases[0].pk, "min": 2, "max": 3},
                   {"phase": phases[1].pk, "min": 4, "max": 6}],
    )  # fmt: skip
    lead = role_services.role_create(
        organization=organization, department=service, reports_to=boss, title_zh="客服主管",
        requirements=[{"kind": "experience", "text_zh": "三年", "text_en": "Three years"}],
        headcount=[{"phase": phases[1].pk, "min": 1, "max": 1}],
    )  # fmt: skip
    seller = role_services.role_create(
        organization=organization, department=sales, title_zh="销售代表",
        headcount=[{"phase": phases[2].pk, "min": 5, "max": 8}],
    )  # fmt: skip
    remember()
    role_services.role_update(role=agent, title_zh="客服代表", combinable_with=[lead])
    remember()
    # Sibling order lives only in the tree shapes: the lead now comes before the agent.
    role_services.role_move(role=lead, target=agent, position="left")
    remember()
    department_services.department_move(department=service, target=sales)
    remember()
    role_services.role_set_headcount(role=agent, phase=phases[1], min_count=7, max_count=9)
    remember()
    role_services.role_update(role=seller, department=service, duties=[{"text_zh": "拜访"}])
    remember()
    role_services.role_delete(role=boss, children="lift")
    remember()
    department_delete(department=operations, children="lift")
    remember()
    department_services.phase_create(organization=organization, name_zh="扩张期")
    role_services.role_set_headcount(role=seller, phase=phases[0], min_count=1, max_count=2)
    remember()

    assert len(seen) > 8
    for number, expected in seen.items():
        rebuilt = organization_plan(organization, plan_data_at(organization, number))
        assert plan_summary(rebuilt) == expected, f"revision {number}"
    # Not vacuous: the edits changed what the plan shows.
    assert len({repr(summary) for summary in seen.values()}) == len(seen)


def tree_rows(design) -> dict:
    # mptt numbers trees across all organizations: compare which nodes share a tree, not the id.
    tree = {}
    for node in [*design.departments, *design.roles]:
        tree.setdefault((type(node), node.tree_id), len(tree))
    return {
        "departments": [
            (d.pk, d.name_zh, d.parent_id, d.depth, tree[(Department, d.tree_id)], d.lft, d.rght)
            for d in design.departments
        ],
        "department_roots": [d.pk for d in design.department_roots],
        "roles": [
            (
                r.pk,
                r.title_zh,
                r.code,
                r.department_id,
                r.reports_to_id,
                r.depth,
                tree[(Role, r.tree_id)],
                r.lft,
                r.rght,
            )
            for r in design.roles
        ],  # fmt: skip
        "role_roots": [r.pk for r in design.role_roots],
        "children": {
            node.pk: [child.pk for child in design.children(node)]
            for node in [*design.departments, *design.roles]
        },
        "by_department": {
            pk: [role.pk for role in roles] for pk, roles in design.roles_by_department.items()
        },
        "phases": [(p.pk, p.order, p.name_zh) for p in design.phases],
        "collaborations": [(c.pk, c.from_role_id, c.to_role_id) for c in design.collaborations],
    }


def test_todays_revision_gives_todays_design_without_a_query_per_node(
    organization, django_assert_max_num_queries
):
    top = department_services.department_create(organization=organization, name_zh="总部")
    left = department_services.department_create(
        organization=organization, name_zh="甲部", parent=top
    )
    right = department_services.department_create(
        organization=organization, name_zh="乙部", parent=top
    )
    department_services.department_create(organization=organization, name_zh="第二总部")
    ceo = role_services.role_create(organization=organization, department=top, title_zh="CEO")
    first = role_services.role_create(
        organization=organization, department=left, title_zh="甲", reports_to=ceo
    )
    second = role_services.role_create(
        organization=organization, department=right, title_zh="乙", reports_to=ceo
    )
    role_services.role_move(role=second, target=first, position="left")
    department_services.department_move(department=right, target=left, position="left")
    role_services.collaboration_create(
        organization=organization, from_role=first, to_role=second, description_zh="交接"
    )

    with django_assert_max_num_queries(16):
        rebuilt = design_at(organization, revision_of(organization))
        # Walking the rebuilt trees reads nothing more.
        for role in rebuilt.roles:
            _ = role.department.name, role.reports_to.title if role.reports_to_id else ""
        for department in rebuilt.departments:
            _ = department.parent.name if department.parent_id else ""
    assert tree_rows(rebuilt) == tree_rows(organization_design(organization, with_lines=False))
    assert [d.name_zh for d in rebuilt.departments] == ["总部", "乙部", "甲部", "第二总部"]


def test_the_plan_data_now_matches_the_live_plan_data(organization):
    phases = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    department = department_services.department_create(organization=organization, name_zh="部")
    first = role_services.role_create(
        organization=organization, department=department, title_zh="甲",
        headcount=[{"phase": phases[0].pk, "min": 0, "max": 2}],
    )  # fmt: skip
    role_services.role_create(
        organization=organization, department=department, title_zh="乙",
        combinable_with=[first], duties=[{"text_zh": "一"}, {"text_zh": "二"}],
    )  # fmt: skip
    live, rebuilt = plan_data(organization), plan_data_at(organization, revision_of(organization))
    assert rebuilt.counts == live.counts and rebuilt.combined_pairs == live.combined_pairs
    assert rebuilt.duty_counts == live.duty_counts
    assert rebuilt.requirement_counts == live.requirement_counts
