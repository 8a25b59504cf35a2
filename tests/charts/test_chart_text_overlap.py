"""No two pieces of text in a chart cover each other: boxes, collaboration markers, the title and
the legends stay readable, on every template, in both views and both orientations, and on a design
with 30 collaboration lines (whose descriptions used to be drawn on the lines, over the boxes)."""

import unicodedata
from itertools import combinations
from typing import NamedTuple

import pytest
from django.utils import translation

from departments.models import Organization
from roles import charts
from roles.services.collaborations import collaboration_create
from tests.charts.helpers import SVG, parse_svg
from tests.conftest import TEMPLATE_SLUGS
from tests.factories import department_path, role_chain

# Graphviz measures text with the real font, the test estimates it from the characters: boxes
# may touch, or cross by this many points, without counting as an overlap.
TOLERANCE = 1.0


class TextBox(NamedTuple):
    text: str
    left: float
    top: float
    right: float
    bottom: float


def em_width(text: str) -> float:
    """The width of `text` in em: CJK and other wide characters about 1 em, a space a quarter
    (Noto Sans CJK's space is 0.22 em: a title and the tag after it on one line would otherwise
    seem to overlap), the rest 0.55."""
    return sum(
        1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.25 if char == " " else 0.55
        for char in text
        if not unicodedata.combining(char)
    )


def text_boxes(svg: bytes) -> list[TextBox]:
    """The box of every `<text>` of a Graphviz SVG, in the SVG's coordinates (every text is in
    the one graph group, so one transform applies to all): `y` is the baseline, the glyphs go
    about 0.88 em above it and 0.12 em below it."""
    boxes = []
    for element in parse_svg(svg).iter(f"{SVG}text"):
        text = "".join(element.itertext())
        if not text.strip():
            continue
        size = float(element.get("font-size"))
        x, y = float(element.get("x")), float(element.get("y"))
        width = em_width(text) * size
        left = {"start": x, "middle": x - width / 2, "end": x - width}[
            element.get("text-anchor", "start")
        ]
        boxes.append(TextBox(text, left, y - 0.88 * size, left + width, y + 0.12 * size))
    return boxes


def overlaps(boxes: list[TextBox]) -> list[tuple[str, str]]:
    found = []
    for a, b in combinations(boxes, 2):
        across = min(a.right, b.right) - max(a.left, b.left)
        down = min(a.bottom, b.bottom) - max(a.top, b.top)
        if across > TOLERANCE and down > TOLERANCE:
            found.append((a.text, b.text))
    return found


def chart_svg(organization: Organization, **options) -> bytes:
    with translation.override("zh-hans"):
        chart = charts.organization_chart(organization, charts.ChartOptions(**options))
    return charts.render_dot(chart.source, "svg")


def test_the_check_sees_an_overlap():
    # Two texts on the same baseline, the second starting inside the first.
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><g>'
        b'<text text-anchor="middle" x="100" y="50" font-size="10">\xe5\xae\xa2\xe6\x9c\x8d</text>'
        b'<text text-anchor="start" x="105" y="52" font-size="10">hand-over</text>'
        b'<text text-anchor="start" x="200" y="52" font-size="10">far away</text>'
        b"</g></svg>"
    )
    assert overlaps(text_boxes(svg)) == [("客服", "hand-over")]


@pytest.mark.parametrize("orient", ["tb", "lr"])
@pytest.mark.parametrize("view", charts.VIEWS)
@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_template_charts_have_no_overlapping_text(loaded_templates, slug, view, orient):
    template = Organization.objects.get(slug=slug, is_template=True)
    boxes = text_boxes(chart_svg(template, view=view, orient=orient))
    assert len(boxes) > 10
    assert overlaps(boxes) == []


@pytest.fixture
def busy(organization):
    """Four departments with five roles each and 30 collaboration lines between them, 15 between
    departments and 15 between roles, each with a long description."""
    departments = [
        department_path(organization, f"运营中心 > {name}")
        for name in ("客服部", "仓储部", "采购部", "市场部")
    ]
    roles = [
        role_chain(organization, department, f"{department.name_zh}主管")
        for department in departments
    ]
    roles += [
        role_chain(organization, department, f"{department.name_zh}专员{n}")
        for department in departments
        for n in range(4)
    ]
    pairs = [(a, b) for a, b in combinations(departments, 2)]
    for n in range(15):
        tail, head = pairs[n % len(pairs)]
        collaboration_create(
            organization=organization,
            from_department=tail,
            to_department=head,
            description_zh=f"第{n}项对接：退换货、补发与库存核对",
        )
    for n in range(15):
        collaboration_create(
            organization=organization,
            from_role=roles[n],
            to_role=roles[(n * 7 + 3) % len(roles)],
            description_zh=f"岗位对接{n}: daily hand-over of returns",
        )
    organization.refresh_from_db()
    return organization


@pytest.mark.parametrize("orient", ["tb", "lr"])
@pytest.mark.parametrize("view", charts.VIEWS)
def test_thirty_collaboration_lines_have_no_overlapping_text(busy, view, orient):
    assert busy.collaborations.count() == 30
    svg = chart_svg(busy, view=view, orient=orient)
    boxes = text_boxes(svg)
    assert overlaps(boxes) == []
    # Every description is still in the chart, in its legend.
    shown = "".join(box.text for box in boxes)
    assert "岗位对接14" in shown
    if view == charts.VIEW_DEPARTMENTS:
        assert "第14项对接" in shown
