"""The printed chart (roles.charts.printing, roles.documents.chart_print) at 1,000 and 5,000
roles, against bare `dot -Tsvg` on the DOT of the same whole chart (`full=1`, every box) in the
same run.

The print lays the tree out page by page (`dot` on each candidate page, 2–5 per page: a page's
drawing is small but `dot` starts each time), then WeasyPrint writes the PDF (two to four chart
pages a second): "layout" is the time until WeasyPrint starts, "whole PDF" the export as the
background job makes it (uncached). Each PDF is then read back with poppler as the tests read
it: every page the paper's size with every word on it, the smallest printed text, every role
title on a chart page. The PDFs and pdftoppm images of the first chart page and a later one are
written to artifacts/print/ (not committed: /artifacts/ is ignored)."""

import os
import subprocess
import time
from pathlib import Path

from django.test import override_settings
from django.utils import translation

from roles import charts, documents
from tests.benchmarks.synthetic import bulk_design
from tests.charts.pdf_text import missing_titles, pages_of, smallest_printed_pt
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "print"
CASES = ((1000, "departments"), (1000, "reporting"), (5000, "departments"), (5000, "reporting"))


def _row(case: str, value, unit: str, target: str = "", ok: bool | None = None) -> dict:
    return {
        "benchmark": "print",
        "case": case,
        "value": value,
        "unit": unit,
        "target": target,
        "ok": ok,
    }


def _bare_dot(source: bytes) -> float:
    """Bare `dot -Tsvg` on `source`: the best of three runs when one is short, else one run."""
    times = []
    while len(times) < 3:
        start = time.perf_counter()
        subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
        if times[0] > 2:
            break
    return min(times)


def run() -> list[dict]:
    with override_settings(DEBUG=False), translation.override("zh-hans"):
        return _run()


def _run() -> list[dict]:
    owner = UserFactory(username="bench-print-owner")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    rows = [
        _row("load average (1 min) at the start, 2 shared cores", round(os.getloadavg()[0], 2), "")
    ]
    built = {}
    for size, view in CASES:
        if size not in built:
            built[size] = bulk_design(roles=size, owner=owner, slug=f"bench-print-{size}")
        organization = built[size]
        source = charts.chart_source(organization, charts.ChartOptions(view=view, full=True))
        bare = _bare_dot(source.encode())

        options = charts.PrintOptions(chart=charts.ChartOptions(view=view))
        marks = {}

        def progress(step, done, total, marks=marks):
            marks.setdefault(step, time.perf_counter())

        start = time.perf_counter()
        pdf = documents.chart_print_pdf(organization, options, use_cache=False, progress=progress)
        total = time.perf_counter() - start
        layout = marks["layout"] - start

        pages = pages_of(pdf.content)
        width, height = options.page_size_pt()
        on_paper = all(
            abs(page.width - width) < 1
            and abs(page.height - height) < 1
            and not page.words_outside()
            for page in pages
        )
        chart_pages = pages[1:-1]  # the cover and the map of pages are not the chart
        smallest = smallest_printed_pt(chart_pages)
        titles = organization.roles.values_list("title_zh", flat=True)
        missing = missing_titles(pdf.content, titles, 2, len(pages) - 1)

        stem = f"{size}-{view}"
        (ARTIFACTS / f"{stem}.pdf").write_bytes(pdf.content)
        for page in (2, max(2, len(pages) // 2)):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page)]
                + ["-singlefile", ARTIFACTS / f"{stem}.pdf", ARTIFACTS / f"{stem}-page{page}"],
                check=True,
            )
        case = f"{size:,} roles, {view} view, A4 landscape"
        rows += [
            _row(f"{case}: bare dot on the whole chart's DOT", round(bare, 2), "s", "floor"),
            _row(f"{case}: chart pages", len(chart_pages), ""),
            _row(f"{case}: print layout (dot per page)", round(layout, 2), "s"),
            _row(f"{case}: print layout / bare dot", round(layout / bare, 1), "×"),
            _row(f"{case}: print export, whole PDF (layout + WeasyPrint)", round(total, 2), "s"),
            _row(f"{case}: print export / bare dot", round(total / bare, 1), "×"),
            _row(
                f"{case}: smallest printed text (pdftotext -bbox)",
                round(smallest, 2),
                "pt",
                "≥ 7 pt",
                smallest >= charts.MIN_PRINTED_PT - 0.05,
            ),
            _row(
                f"{case}: role titles missing from the chart pages",
                len(missing),
                "",
                "0",
                not missing,
            ),
            _row(f"{case}: every page A4 with every word on it", on_paper, "", "True", on_paper),
        ]
    rows.append(
        _row(
            f"pdftoppm images of page 2 and a middle page, 100 dpi: {ARTIFACTS.relative_to(ROOT)}/",
            len(list(ARTIFACTS.glob("*.png"))),
            "files",
        )
    )
    return rows
