"""Org charts: a design turned into DOT, DOT into SVG, PNG or PDF, cached by revision.

The package, one concern per module:

- `options`: what to draw (`ChartOptions`, read from query parameters) and the URLs it links to;
- `data`: what is drawn (boxes, lines, phase, depth), read through the one design reader
  (`roles.selectors.organization_design`), only the part that fits on a page;
- `labels`: user text cleaned, wrapped and escaped for Graphviz HTML-like labels;
- `dot`: writing DOT (nodes, edges, title, legend, links), and `boxes`: what each of the two
  views (departments, reporting lines) draws with it;
- `process`: the `dot` subprocess with a timeout;
- `render`: the entry points, from a design to a chart file and its revision cache;
- `printing`: the whole chart on paper, one page per part of the tree at a printable size
  (the PDF around the pages is made by `roles.documents.chart_print`);
- `responses`: how a chart that could not be made answers over HTTP;
- `views`, `urls`: /orgs/{slug}/chart.svg|png|pdf.

The names below are the public API (views, documents, tests and benchmarks use them).
"""

from roles.charts.boxes import Chart
from roles.charts.dot import FONT
from roles.charts.labels import (
    NAME_LINES,
    NAME_WIDTH,
    NOTE_LINES,
    NOTE_WIDTH,
    TITLE_LINES,
    TITLE_WIDTH,
    clean_text,
    wrap_label,
)
from roles.charts.options import (
    FORMATS,
    VIEW_DEPARTMENTS,
    VIEW_REPORTING,
    VIEWS,
    ChartOptions,
    chart_url,
    department_url,
    options_error_text,
    parse_chart_options,
    role_url,
)
from roles.charts.printing import (
    MIN_PRINTED_PT,
    PAPERS,
    PrintedPage,
    PrintOptions,
    parse_print_options,
    plan_pages,
    print_key_svg,
    printed_roles,
)
from roles.charts.process import (
    ChartError,
    ChartTimeout,
    ChartTooLarge,
    html_labels_expand_escapes,
    run_dot,
)
from roles.charts.render import (
    CACHE_VERSION,
    ChartFile,
    build_chart,
    chart_cache_key,
    chart_etag,
    chart_file,
    chart_source,
    organization_chart,
    render_dot,
)
from roles.charts.responses import chart_error_response

__all__ = [
    "CACHE_VERSION",
    "FONT",
    "FORMATS",
    "MIN_PRINTED_PT",
    "NAME_LINES",
    "NAME_WIDTH",
    "NOTE_LINES",
    "NOTE_WIDTH",
    "PAPERS",
    "TITLE_LINES",
    "TITLE_WIDTH",
    "VIEWS",
    "VIEW_DEPARTMENTS",
    "VIEW_REPORTING",
    "Chart",
    "ChartError",
    "ChartFile",
    "ChartOptions",
    "ChartTimeout",
    "ChartTooLarge",
    "PrintOptions",
    "PrintedPage",
    "build_chart",
    "chart_cache_key",
    "chart_error_response",
    "chart_etag",
    "chart_file",
    "chart_source",
    "chart_url",
    "clean_text",
    "department_url",
    "html_labels_expand_escapes",
    "options_error_text",
    "organization_chart",
    "parse_chart_options",
    "parse_print_options",
    "plan_pages",
    "print_key_svg",
    "printed_roles",
    "render_dot",
    "role_url",
    "run_dot",
    "wrap_label",
]
