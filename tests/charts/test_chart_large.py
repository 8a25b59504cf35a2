"""A design too large to read is drawn collapsed with "+N more" links; dot runs with a timeout
and a slow chart is a clear 503, never a 500."""

from django.test import override_settings

from departments.models import Department
from roles import charts
from roles import services as role_services
from tests.charts.helpers import chinese, node_groups, parse_svg, squash, text_of, unsafe_parts
from tests.factories import department_path


def big_design(organization, *, managers=20, reports=25):
    """A CEO, `managers` managers with `reports` reports each: 1 + 20 + 500 roles."""
    department = department_path(organization, "运营中心")
    ceo = role_services.role_create(
        organization=organization, department=department, title_zh="总经理"
    )
    for m in range(managers):
        team = department_path(organization, f"运营中心 > 小组{m}")
        manager = role_services.role_create(
            organization=organization, department=team, reports_to=ceo, title_zh=f"主管{m}"
        )
        for r in range(reports):
            role_services.role_create(
                organization=organization,
                department=team,
                reports_to=manager,
                title_zh=f"专员{m}-{r}",
            )
    return ceo


def test_large_reporting_chart_is_collapsed_with_links_to_parts(signed_in, organization):
    ceo = big_design(organization)
    response = signed_in.get("/orgs/acme/chart.svg", {"view": "reporting"})
    assert response.status_code == 200
    root = parse_svg(response.content)
    assert unsafe_parts(root) == []
    groups = node_groups(root)
    roles = [name for name in groups if name.startswith("r") and "->" not in name]
    assert len(roles) == 21  # the CEO and the managers; 500 reports behind "+25 more" boxes
    more = [name for name in groups if name.startswith("more-r")]
    assert len(more) == 20
    assert chinese("+%(count)s more", count=25) in text_of(groups[more[0]])
    collapsed = "Large chart: shown %(depth)s levels deep; click “+N more” to open a part."
    assert squash(chinese(collapsed, depth=2)) in squash(text_of(root))
    # The SVG stays a readable size, not hundreds of thousands of points wide.
    assert float(root.get("width").removesuffix("pt")) < 20000
    # Each "+N more" opens that manager's own chart, which shows the whole team.
    manager_id = int(more[0].removeprefix("more-r"))
    part = signed_in.get("/orgs/acme/chart.svg", {"view": "reporting", "root": manager_id})
    part_groups = node_groups(parse_svg(part.content))
    assert len([n for n in part_groups if n.startswith("r") and "->" not in n]) == 26
    assert ceo.pk


def test_large_department_chart_fits_too(signed_in, organization):
    big_design(organization)
    response = signed_in.get("/orgs/acme/chart.svg", {"view": "departments"})
    assert response.status_code == 200
    groups = node_groups(parse_svg(response.content))
    top = Department.objects.get(organization=organization, name_zh="运营中心")
    assert f"more-d{top.pk}" in groups
    assert chinese("+%(count)s more", count=20) in text_of(groups[f"more-d{top.pk}"])


def test_dot_timeout_is_a_clear_503(signed_in, organization):
    big_design(organization, managers=5, reports=10)
    charts.html_labels_expand_escapes()  # probe once with the normal timeout
    with override_settings(TEAMORG_DOT_TIMEOUT_SECONDS=0.001):
        response = signed_in.get("/orgs/acme/chart.pdf", {"view": "reporting"})
    assert response.status_code == 503
    slow = (
        "The chart took longer than %(seconds)s seconds to draw. Choose a smaller depth or a part "
        "of the organization (a root)."
    )
    assert response.content.decode() == chinese(slow, seconds="0.001")
    assert response["Retry-After"]
    # Nothing half-drawn was cached: the next request draws the chart.
    assert signed_in.get("/orgs/acme/chart.pdf", {"view": "reporting"}).status_code == 200
