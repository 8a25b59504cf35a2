"""Any text a user can type renders literally: no DOT syntax error, no HTML-like label markup, no
script or link injected into the SVG, and `\\N`, `\\G`, quotes and backslashes shown as typed."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roles import charts
from tests.charts.helpers import (
    XLINK,
    memory_design,
    node_groups,
    parse_svg,
    squash,
    text_of,
    unsafe_parts,
)

NAMED_CASES = [
    'say "hello"',
    "back\\slash \\\\ double",
    "\\N \\G \\E \\T \\H \\L \\l \\n \\r",
    "<b>bold</b>",
    "<TABLE><TR><TD>x</TD></TR></TABLE>",
    "<script>alert(1)</script>",
    '"><script>alert(document.cookie)</script>',
    "javascript:alert(1)",
    "<a href='javascript:alert(1)'>click</a>",
    "]]><!-- --><?xml?>",
    "&amp; &lt; &#x41; &#65; &nbsp; & ;",
    "line one\nline two\r\nthree\tfour",
    "emoji 👩‍💼🚀 客服",
    "שלום עולם مرحبا بالعالم",
    "\u202eright-to-left override\u202c after",
    "x" * 500,
    "客" * 500,
    '}]; digraph evil { a -> b [label="x"',
    "<",
    ">",
    "\\",
    "\x00\x01\x1b[31m control",
    "\ud800 lone surrogate",
]


def check_renders_literally(texts: dict[str, str], view: str) -> None:
    design = memory_design(**texts)
    with translation.override("zh-hans"):
        chart = charts.build_chart(design, charts.ChartOptions(view=view))
    svg = charts.render_dot(chart.source, "svg")  # raises ChartError on any DOT syntax error
    root = parse_svg(svg)
    assert unsafe_parts(root) == []
    groups = node_groups(root)
    # Node ids are internal, whatever the text.
    assert {name for name in groups if "->" not in name} <= {
        "d1",
        "d2",
        "r1",
        "r2",
        "legend",
        "more-d1",
        "more-r1",
        "c1",  # the numbered markers of the two collaboration lines
        "c2",
    }
    if view == "departments":
        node, text, width, lines = (
            "d2",
            texts["department_name"],
            charts.NAME_WIDTH,
            charts.NAME_LINES,
        )
    else:
        node, text, width, lines = "r1", texts["role_title"], charts.TITLE_WIDTH, charts.TITLE_LINES
    shown = squash(text_of(groups[node]))
    lines = charts.wrap_label(text, width, lines)
    wrapped = squash("".join(lines))
    if wrapped:
        assert wrapped in shown
        # What is shown is the start of what was typed (cut with "…" only when too long).
        assert squash(charts.clean_text(text)).startswith(wrapped.removesuffix("…"))
    # The full text is the tooltip of the box, exactly as typed (white space collapsed).
    tooltips = {a.get(f"{XLINK}title") for a in groups[node].iter() if a.get(f"{XLINK}title")}
    assert (charts.clean_text(text) or " ") in tooltips


@pytest.mark.parametrize("view", charts.VIEWS)
@pytest.mark.parametrize("text", NAMED_CASES)
def test_named_hostile_text_renders_literally(text, view):
    check_renders_literally(
        {
            "department_name": text,
            "role_title": text,
            "report_title": text,
            "collaboration": text,
            "organization_name": text,
            "phase_name": text,
        },
        view,
    )


def test_backslash_escapes_show_as_typed():
    design = memory_design(role_title="A\\NB\\GC", department_name="D\\\\E")
    with translation.override("zh-hans"):
        source = charts.build_chart(design, charts.ChartOptions(view="reporting")).source
    root = parse_svg(charts.render_dot(source, "svg"))
    groups = node_groups(root)
    assert "A\\NB\\GC" in text_of(groups["r1"])
    assert "r1" not in text_of(groups["r1"]) and "chart" not in text_of(groups["r1"])


TRICKY = [
    "\\",
    "\\N",
    "\\G",
    "\\l",
    "<",
    ">",
    "&",
    '"',
    "'",
    "\n",
    "&amp;",
    "<TD>",
    "javascript:",
    "\u202e",
]
any_text = st.lists(
    st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(TRICKY), max_size=8
).map("".join)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(department_name=any_text, role_title=any_text, collaboration=any_text)
def test_arbitrary_text_renders_literally(department_name, role_title, collaboration):
    texts = {
        "department_name": department_name,
        "role_title": role_title,
        "collaboration": collaboration,
        "organization_name": role_title,
        "phase_name": department_name,
    }
    for view in charts.VIEWS:
        check_renders_literally(texts, view)
