"""Issue 17, item 3: one sanitiser (`teamorg.cells`) for every cell of every CSV and XLSX
export, headers included. Hostile text in phase names (which become headers), department names,
role titles and duties: no CSV cell is left that a spreadsheet would run as a formula, and no
XLSX cell is a formula (its text is kept as typed)."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from departments.services import department_create, phase_update
from roles.imports.export import design_csv, design_xlsx
from roles.planning.exports import plan_download
from roles.services import role_create
from teamorg.cells import csv_cell, formula_like

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://x.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "   =1",
]


@pytest.fixture
def hostile_design(organization):
    for phase, name in zip(organization.phases.order_by("order"), HOSTILE, strict=False):
        phase_update(phase=phase, name_zh=name, name_en=name)
    department = department_create(organization=organization, name_zh=HOSTILE[3], name_en="x")
    role_create(
        organization=organization,
        department=department,
        title_zh=HOSTILE[0],
        title_en=HOSTILE[1],
        duties=[{"text_zh": text, "text_en": text} for text in HOSTILE[2:]],
    )
    organization.refresh_from_db()
    return organization


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_rule():
    for text in HOSTILE:
        assert formula_like(text)
        assert csv_cell(text) == "'" + text
    for harmless in ("客服专员", "1-2 人", "", "a=b"):
        assert not formula_like(harmless)
        assert csv_cell(harmless) == harmless
    assert csv_cell(3) == 3 and csv_cell(None) is None


def test_no_csv_cell_is_a_formula_headers_included(hostile_design):
    plan = plan_download(hostile_design, "csv")
    for name, content in (
        ("plan", b"".join(plan.chunks)),
        ("design sheet", design_csv(hostile_design)),
    ):
        header, *rows = csv_rows(content)
        cells = [cell for row in [header, *rows] for cell in row]
        assert [cell for cell in cells if formula_like(cell)] == [], name
        # The hostile texts made it into the file, quoted; phase names are in the header (the
        # plan's header starts with them, the design sheet's puts a word first).
        assert "'" + HOSTILE[0] in cells, name
        assert any(HOSTILE[1] in cell for cell in header), (name, header)


def test_no_xlsx_cell_is_a_formula_and_the_text_is_kept(hostile_design):
    plan = plan_download(hostile_design, "xlsx")
    for name, content in (
        ("plan", b"".join(plan.chunks)),
        ("design sheet", design_xlsx(hostile_design)),
    ):
        book = load_workbook(io.BytesIO(content))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == [], name
        texts = {cell.value for cell in cells if isinstance(cell.value, str)}
        assert HOSTILE[0] in texts, name


def test_every_export_module_uses_the_one_sanitiser():
    """No exporter keeps its own copy of the rule (the plan and the design sheet each had one)."""
    root = Path(__file__).resolve().parents[2]
    for path in ["roles/planning/exports.py", "roles/imports/export.py"]:
        source = (root / path).read_text()
        assert "teamorg.cells" in source, path
        assert '("=", "+", "-", "@"' not in source, path
