"""The printed chart (roles.charts.printing, roles.documents.chart_print) at 1,000 and 5,000
roles, against bare `dot` on the DOT of the same whole chart (`full=1`) in the same run: the
print lays the tree out page by page (several `dot` runs per page) and WeasyPrint writes the
PDF. Page 2 (the first chart page) and a later page are rendered with pdftoppm into
artifacts/print/ to look at."""

import subprocess
import time
from pathlib import Path

from django.test import override_settings
from django.utils import translation

from roles import charts, documents
from roles.selectors import organization_design
from tests.benchmarks.synthetic import bulk_design
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


def _seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def run() -> list[dict]:
    with override_settings(DEBUG=False), translation.override("zh-hans"):
        return _run()


def _run() -> list[dict]:
    owner = UserFactory(username="bench-print-owner")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    rows = []
    built = {}
    for size, view in CASES:
        if size not in built:
            built[size] = bulk_design(roles=size, owner=owner, slug=f"bench-print-{size}")
        organization = built[size]
        whole = charts.ChartOptions(view=view, full=True)
        source = charts.chart_source(organization, whole).encode()
        bare, _ = _seconds(
            lambda source=source: subprocess.run(
                ["dot", "-Tsvg"], input=source, capture_output=True, check=True
            )
        )
        options = charts.PrintOptions(chart=charts.ChartOptions(view=view))
        design = organization_design(organization)
        layout, pages = _seconds(
            lambda design=design, options=options: charts.plan_pages(design, options)
        )
        total, pdf = _seconds(
            lambda organization=organization, options=options: documents.chart_print_pdf(
                organization, options, use_cache=False
            )
        )
        stem = f"{size}-{view}"
        (ARTIFACTS / f"{stem}.pdf").write_bytes(pdf.content)
        for page in (2, min(len(pages), 6)):
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    str(ARTIFACTS / f"{stem}.pdf"),
                    str(ARTIFACTS / f"{stem}-page{page}"),
                ],
                check=True,
            )
        case = f"{size:,} roles, {view} view, A4 landscape"
        rows += [
            _row(f"{case}: bare dot on the whole chart's DOT", round(bare, 2), "s", "floor"),
            _row(
                f"{case}: pages (smallest scale {min(p.scale for p in pages):.2f})", len(pages), ""
            ),
            _row(f"{case}: print layout (dot per page)", round(layout, 2), "s"),
            _row(f"{case}: layout / bare dot", round(layout / bare, 2), "×"),
            _row(f"{case}: whole PDF (layout + WeasyPrint)", round(total, 2), "s"),
            _row(f"{case}: whole PDF / bare dot", round(total / bare, 2), "×"),
        ]
    return rows
