"""The printed org chart as a PDF: a cover with the key, one page per part of the tree (laid out
by `roles.charts.printing`), and a map of the pages; cached by revision like every document.

Page numbers: the cover is page 1 and chart page N is PDF page N, so that the "→ page N" a box
carries (written into its SVG before the PDF exists) is the number printed at the foot of that
page. The map of pages therefore comes last, where its length moves no other page.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext

from departments.models import Organization
from roles import charts
from roles.documents.pdf import (
    PDF,
    ProgressCallback,
    _cached,
    _print_context,
    html_to_pdf,
    pdf_filename,
)
from roles.selectors import Design, organization_design
from teamorg.i18n import content_language, translated_text

# The page the first chart page is printed on (after the cover).
FIRST_CHART_PAGE = 2
# A print made while the user waits (over HTTP) has at most this many chart pages: WeasyPrint
# writes two to four of them a second on 2 cores (docs/benchmarks.md, "printing"), so this
# keeps a print well within the time a request may take. Larger prints run as background jobs
# (roles.exports, kind "chart_print").
PAGES_WHILE_YOU_WAIT = 40
# A print of more roles than this goes to a background job at once, without first laying out
# pages it would throw away: 400 roles are about 10 pages in the departments view and 28 in the
# reporting view, some 5 to 12 seconds (docs/benchmarks.md, "printing"). Smaller prints that
# still pass the time limit or PAGES_WHILE_YOU_WAIT go to a job too, later.
ROLES_WHILE_YOU_WAIT = 400


def chart_print_context(design: Design, options: charts.PrintOptions, **plan) -> dict:
    """What the print templates need for the chart pages of `design`: the pages, the key, the
    paper. `plan` goes to `plan_pages` (first_page, time_limit)."""
    pages = charts.plan_pages(design, options, **plan)
    key = charts.print_key_svg(design, options)
    width, height = options.page_size_pt()
    return {
        "pages": pages,
        "key_src": "data:image/svg+xml;base64," + base64.b64encode(key).decode(),
        "paper": options.css_page_size(),
        "paper_width_pt": width,
        "paper_height_pt": height,
        "margin_mm": charts.printing.MARGIN_MM,
        "header_mm": charts.printing.HEADER_MM,
        "min_printed_pt": charts.MIN_PRINTED_PT,
    }


def _options_key(options: charts.PrintOptions) -> str:
    chart = options.chart
    return "-".join(
        str(part)
        for part in (
            chart.view,
            chart.phase,
            chart.root,
            chart.orient,
            chart.span,
            options.paper,
            int(options.landscape),
            charts.printing.PRINT_LAYOUT_VERSION,
        )
    )


def chart_print_pdf(
    organization: Organization,
    options: charts.PrintOptions,
    *,
    time_limit: float | None = None,
    max_pages: int | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> PDF:
    """The whole chart on paper. Raises what `plan_pages` raises (ValidationError for an
    unknown phase, DoesNotExist for an unknown root, ChartTimeout past `time_limit` or
    `max_pages`). `progress` hears each step and every page laid out."""

    def report(step: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(step, done, total)

    def build() -> PDF:
        report("reading")
        design = organization_design(organization)
        report("cutting")
        context = chart_print_context(
            design,
            options,
            first_page=FIRST_CHART_PAGE,
            time_limit=time_limit,
            max_pages=max_pages,
        )
        view = (
            pgettext("document", "Reporting lines")
            if options.chart.view == charts.VIEW_REPORTING
            else pgettext("document", "Departments")
        )
        title = pgettext("document", "%(organization)s · Organization chart") % {
            "organization": organization.name
        }
        phase = next(
            (p for p in design.phases if p.pk == options.chart.phase),
            design.phases[0] if design.phases else None,
        )
        context.update(
            view_name=view,
            phase_name=""
            if phase is None
            else translated_text(phase.name_zh, phase.name_en, content_language()),
            printed_at=timezone.localtime(),
            language_code=translation.get_language(),
        )
        html = render_to_string("charts/print.html", _print_context(title, organization, **context))
        planned = len(context["pages"])
        report("layout", 0, planned)
        content = html_to_pdf(
            html,
            tagged=False,
            on_page=lambda page: report("layout", page, max(planned, page)),
        )
        return PDF(content, pdf_filename(organization.name, title_stem(options)))

    if not use_cache:
        return build()
    return _cached("chart-print", organization, _options_key(options), build)


def title_stem(options: charts.PrintOptions) -> str:
    return "-".join(
        (
            "org-chart",
            options.chart.view,
            options.paper,
            "landscape" if options.landscape else "portrait",
        )
    )
