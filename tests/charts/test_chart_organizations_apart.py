"""Charts of two organizations drawn one after the other in the same process, in either order and
with the same options, each show only their own organization: nothing read or prepared for one
chart (a query, a compiled statement, a cached file) leaks into another organization's chart."""

import pytest
from django.utils import translation

from roles import charts
from roles.selectors import organization_design
from roles.services import collaboration_create, role_set_headcount
from tests.factories import OrganizationFactory, department_path, role_chain


def small_design(user, prefix: str, slug: str, low: int):
    """运营中心 > 客服部 / 仓储部 with a reporting chain, head count `low`–`low + 1` in every
    phase and a collaboration line; every name starts with `prefix`."""
    organization = OrganizationFactory(owner=user, slug=slug, name_zh=f"{prefix}电商公司")
    service = department_path(organization, f"{prefix}运营中心 > {prefix}客服部")
    warehouse = department_path(organization, f"{prefix}运营中心 > {prefix}仓储部")
    agent = role_chain(organization, service, f"{prefix}总经理 > {prefix}客服主管 > {prefix}专员")
    keeper = role_chain(organization, warehouse, f"{prefix}仓储主管")
    for phase in organization.phases.all():
        role_set_headcount(role=agent, phase=phase, min_count=low, max_count=low + 1)
        role_set_headcount(role=keeper, phase=phase, min_count=low, max_count=low)
    collaboration_create(
        organization=organization,
        from_department=service,
        to_department=warehouse,
        description_zh=f"{prefix}退货交接",
    )
    organization.refresh_from_db()
    names = [
        f"{prefix}电商公司",
        f"{prefix}运营中心",
        f"{prefix}客服部",
        f"{prefix}仓储部",
        f"{prefix}总经理",
        f"{prefix}客服主管",
        f"{prefix}专员",
        f"{prefix}仓储主管",
        f"{prefix}退货交接",
    ]
    return organization, names


def variants(organization) -> list[charts.ChartOptions]:
    """The same options for both organizations; a root is the organization's own node at the
    same place (its top, one level down), the phase its own last phase."""
    top_department = organization.departments.order_by("tree_id", "lft")[0]
    second_department = organization.departments.order_by("tree_id", "lft")[1]
    top_role = organization.roles.order_by("tree_id", "lft")[0]
    second_role = organization.roles.order_by("tree_id", "lft")[1]
    last_phase = organization.phases.order_by("order").last().pk
    options = []
    for view, top, second in (
        ("departments", top_department, second_department),
        ("reporting", top_role, second_role),
    ):
        for root in (None, top.pk, second.pk):
            for depth in (None, 1, 2):
                for phase in (None, last_phase):
                    options.append(
                        charts.ChartOptions(view=view, root=root, depth=depth, phase=phase)
                    )
    return options


@pytest.mark.parametrize("first", ["甲", "乙"])
def test_each_organizations_chart_shows_only_its_own_names(user, first):
    designs = {
        "甲": small_design(user, "甲", "first-org", low=3),
        "乙": small_design(user, "乙", "second-org", low=7),
    }
    order = [first, *(prefix for prefix in designs if prefix != first)]
    with translation.override("zh-hans"):
        charted = {prefix: variants(designs[prefix][0]) for prefix in order}
        for index in range(len(charted[first])):
            for prefix in order:
                organization, own = designs[prefix]
                other = next(names for key, (_o, names) in designs.items() if key != prefix)
                options = charted[prefix][index]
                svg = charts.chart_file(organization, options, "svg").content.decode()
                source = charts.chart_source(organization, options)
                assert f"{prefix}电商公司" in svg, options
                assert [name for name in other if name in svg or name in source] == [], options
                # And all of its own that it draws: the same chart as from the whole design.
                whole = organization_design(organization)
                assert source == charts.build_chart(whole, options).source, options
                assert [name for name in own if name in source] != [], options
