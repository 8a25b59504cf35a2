"""A manager with many reports has them stacked in rows of `span` (default 6) under them, so that
a 20-report team fits a landscape page; the orientation (`orient`) is top-down or left-right.
Both are chart options: validated, in the chart URL and in the cache key."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from roles import charts
from roles.services import role_create
from tests.charts.helpers import node_groups, parse_svg
from tests.factories import department_path, role_chain


@pytest.fixture
def big_team(organization):
    """客服主管 with 20 客服专员 reporting to them."""
    department = department_path(organization, "客服部")
    manager = role_chain(organization, department, "客服主管")
    for n in range(20):
        role_create(
            organization=organization,
            department=department,
            reports_to=manager,
            title_zh=f"客服专员{n:02d}",
        )
    organization.refresh_from_db()
    return manager


def size(organization, **options) -> tuple[float, float]:
    with translation.override("zh-hans"):
        chart = charts.organization_chart(
            organization, charts.ChartOptions(view="reporting", **options)
        )
    root = parse_svg(charts.render_dot(chart.source, "svg"))
    assert len([n for n in node_groups(root) if n.startswith("r") and "->" not in n]) == 21
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def test_twenty_reports_fit_a_landscape_page(organization, big_team):
    width, height = size(organization)
    # A landscape A4 page is 1.41 times as wide as it is high: the team prints at nearly the
    # page's full size instead of as a thin strip.
    assert width <= 1.6 * height
    # In one row (every report side by side, as before spans were stacked) it is a strip.
    row_width, row_height = size(organization, span=30)
    assert row_width > 4 * row_height
    assert width < row_width / 2


def test_left_right_turns_the_chart(organization, big_team):
    with translation.override("zh-hans"):
        top_down = charts.organization_chart(organization, charts.ChartOptions(view="reporting"))
        across = charts.organization_chart(
            organization, charts.ChartOptions(view="reporting", orient="lr")
        )
    assert "rankdir=TB" in top_down.source and "rankdir=LR" in across.source
    assert across.file_stem.endswith("-lr")
    width, height = size(organization, orient="lr", span=30)
    # Twenty reports in one column: taller than wide.
    assert height > width


def test_orient_and_span_are_parsed_and_checked():
    options = charts.parse_chart_options({"orient": "lr", "span": "10"})
    assert (options.orient, options.span) == ("lr", 10)
    assert charts.parse_chart_options({}) == charts.ChartOptions(orient="tb", span=6)
    for params, field in (
        ({"orient": "diagonal"}, "orient"),
        ({"span": "1"}, "span"),
        ({"span": "31"}, "span"),
        ({"span": "six"}, "span"),
    ):
        with pytest.raises(ValidationError) as error:
            charts.parse_chart_options(params)
        assert list(error.value.error_dict) == [field]


def test_orient_and_span_are_in_the_url_and_the_cache_key(organization):
    default = charts.ChartOptions()
    across = charts.ChartOptions(orient="lr", span=8)
    # The defaults keep the chart URL as it was; other values are carried.
    assert charts.chart_url(organization, "svg", default) == "/orgs/acme/chart.svg?view=departments"
    assert charts.chart_url(organization, "svg", across).endswith("&orient=lr&span=8")
    keys = {
        charts.chart_cache_key(organization, options, "svg", "zh-hans")
        for options in (default, across, charts.ChartOptions(orient="lr"))
    }
    assert len(keys) == 3


def test_bad_orient_or_span_is_a_clear_400(signed_in, organization):
    for params, field in (({"orient": "up"}, "orient"), ({"span": "0"}, "span")):
        response = signed_in.get("/orgs/acme/chart.svg", params)
        assert response.status_code == 400
        assert response.content.decode().startswith(f"{field}: ")


def test_a_collapsed_part_opens_in_the_same_orientation(signed_in, organization, big_team):
    response = signed_in.get(
        "/orgs/acme/chart.svg", {"view": "reporting", "depth": 1, "orient": "lr"}
    )
    assert response.status_code == 200
    links = [
        a.get("{http://www.w3.org/1999/xlink}href")
        for a in node_groups(parse_svg(response.content))[f"more-r{big_team.pk}"].iter()
    ]
    assert any(link and link.endswith(f"root={big_team.pk}&orient=lr") for link in links)
