from django.db.models import Sum

from departments.models import Department, Organization
from roles.models import HeadcountTarget
from roles.planning.plan import organization_plan


def test_department_totals_are_subtree_sums_per_phase(organization, phases, make_role):
    counts = {
        ("运营中心", "运营总监"): [(1, 1), (1, 1), (1, 2)],
        ("运营中心 > 客服部", "客服主管"): [(0, 1), (1, 1), (1, 2)],
        ("运营中心 > 客服部", "客服专员"): [(2, 3), (4, 6), (8, 10)],
        ("运营中心 > 推广部", "推广专员"): [(1, 1), (2, 3), None],
        ("财务部", "会计"): [None, (1, 1), (1, 2)],
    }
    for (path, title), values in counts.items():
        make_role(path, title, values)
    plan = organization_plan(organization)

    def expected(prefix: str) -> list[tuple[int, int]]:
        """Sum of the input rows whose department path starts with `prefix`."""
        sums = []
        for index in range(len(phases)):
            rows = [
                v[index] for (path, _), v in counts.items()
                if (path + " ").startswith(prefix + " ") and v[index] is not None
            ]  # fmt: skip
            sums.append((sum(r[0] for r in rows), sum(r[1] for r in rows)))
        return sums

    by_name = {row.department.name_zh: row for row in plan.departments}
    assert [(r.min, r.max) for r in by_name["运营中心"].total] == expected("运营中心")
    assert [(r.min, r.max) for r in by_name["客服部"].total] == expected("运营中心 > 客服部")
    assert [(r.min, r.max) for r in by_name["财务部"].total] == expected("财务部")
    assert [(r.min, r.max) for r in by_name["运营中心"].own] == [(1, 1), (1, 1), (1, 2)]
    assert [(r.min, r.max) for r in plan.totals] == [(4, 6), (9, 12), (11, 16)]
    assert by_name["运营中心"].subtree_role_count == 4 and by_name["运营中心"].role_count == 1
    grid = {row.role.title_zh: row.counts for row in plan.roles}
    assert grid["推广专员"][2] is None and grid["会计"][0] is None
    assert (grid["客服专员"][2].min, grid["客服专员"][2].max) == (8, 10)


def test_rollups_of_every_template_match_the_database_sums(loaded_templates):
    """Checked against SQL sums over the nested-set interval of each department."""
    for organization in Organization.objects.filter(is_template=True):
        plan = organization_plan(organization)
        for row in plan.departments:
            department = Department.objects.get(pk=row.department.pk)
            for phase, total in zip(plan.phases, row.total, strict=True):
                sums = HeadcountTarget.objects.filter(
                    phase=phase,
                    role__department__tree_id=department.tree_id,
                    role__department__lft__gte=department.lft,
                    role__department__rght__lte=department.rght,
                ).aggregate(low=Sum("min_count"), high=Sum("max_count"))
                assert (total.min, total.max) == (sums["low"] or 0, sums["high"] or 0), (
                    organization.slug,
                    department.code,
                    phase.order,
                )
        for phase, total in zip(plan.phases, plan.totals, strict=True):
            sums = HeadcountTarget.objects.filter(phase=phase).aggregate(
                low=Sum("min_count"), high=Sum("max_count")
            )
            assert (total.min, total.max) == (sums["low"] or 0, sums["high"] or 0)
