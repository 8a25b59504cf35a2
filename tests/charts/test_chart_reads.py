"""A chart reads only what it draws, in a fixed number of queries whatever the size of the
organization, and draws exactly what the whole design in memory gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from roles import charts
from roles.selectors import Design, organization_design
from tests.benchmarks.synthetic import bulk_design
from tests.charts.helpers import chinese

# The outline of the tree drawn (departments view: the departments with their role counts;
# reporting view: the root, if any, and the roles per level), then the part that fits: phases,
# the roles with their head count (and, reporting view, their department), collaboration lines.
MAX_QUERIES = 5


def options_for(design) -> list[charts.ChartOptions]:
    """Both views, whole and from a root (top and one level down), at every depth that matters,
    in the first and the last phase."""
    cases = []
    for view, roots in (
        (charts.VIEW_DEPARTMENTS, design.department_roots),
        (charts.VIEW_REPORTING, design.role_roots),
    ):
        top = roots[0]
        below = Design.children(top)[:1]
        for root in [None, top.pk, *(node.pk for node in below)]:
            for depth in (None, 1, 2, 4):
                for phase in (None, design.phases[-1].pk):
                    cases.append(
                        charts.ChartOptions(view=view, root=root, depth=depth, phase=phase)
                    )
    return cases


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_database_read_draws_what_the_whole_design_gives(user, shop, language):
    # Two organizations of different sizes in one process: nothing read for the first may be
    # reused for the second.
    large = bulk_design(roles=400, owner=user, slug="large")
    with translation.override(language):
        for organization in (shop, large):
            design = organization_design(organization)
            for options in options_for(design):
                expected = charts.build_chart(design, options).source
                assert charts.chart_source(organization, options) == expected, options


def test_a_large_chart_is_collapsed_from_the_database_read(user):
    # bulk_design: role i reports to role (i - 1) // 8, so the levels hold 1, 8, 64, 512 and 415
    # roles.
    organization = bulk_design(roles=1000, owner=user, slug="large")
    options = charts.ChartOptions(view="reporting")
    with translation.override("zh-hans"):
        chart = charts.organization_chart(organization, options)
    # 1 + 8 + 64 roles fit, the 512 of the fourth level do not: each of the 64 boxes of the third
    # level gets a "+N more" box for its whole subtree.
    assert chart.depth_shown == 3 and chart.collapsed
    assert chart.node_count == 73
    assert chart.source.count('\t"more-r') == 64
    # The first of them, role 9, has 8 reports with 8 reports each.
    ninth = organization.roles.get(code="role-9")
    assert f'"more-r{ninth.pk}"' in chart.source
    assert chinese("+%(count)s more", count=72) in chart.source


@pytest.mark.parametrize("view", charts.VIEWS)
def test_query_count_does_not_grow_with_the_organization(user, view):
    counts = []
    for size in (20, 600):
        organization = bulk_design(roles=size, owner=user, slug=f"org-{size}")
        root = (organization.roles if view == "reporting" else organization.departments).order_by(
            "tree_id", "lft"
        )[0]
        for options in (
            charts.ChartOptions(view=view),
            charts.ChartOptions(view=view, root=root.pk, depth=2),
        ):
            with CaptureQueriesContext(connection) as queries:
                charts.chart_source(organization, options)
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= MAX_QUERIES, counts
