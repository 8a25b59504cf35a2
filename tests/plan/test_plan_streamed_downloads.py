"""The plan's CSV and XLSX are streamed, and the XLSX written by `teamorg.xlsx` is the workbook
openpyxl's write-only mode wrote before: same sheets, headers, values, types, widths and frozen
header (the spreadsheet import reads this export back). A plan too large to build while the
request waits opens the page of a background export job instead."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import pgettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from roles.exports.kinds import KINDS
from roles.models import ExportJob
from roles.planning import exports
from roles.planning.plan import organization_plan
from teamorg import xlsx
from tests.benchmarks.synthetic import bulk_design

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def _roadmap_rows(plan) -> list[list]:
    return [
        [step.number, step.phase.name, step.role.code, step.role.title, step.department.name,
         step.role.hiring_priority or "", str(step.before), str(step.after), step.hires.min,
         step.hires.max, step.cumulative.min, step.cumulative.max]
        for step in plan.roadmap
    ]  # fmt: skip


def _openpyxl_reference(plan) -> bytes:
    """The workbook as the previous writer made it: openpyxl's write-only mode, width 16 per
    column, frozen header, formula-like text forced to text."""
    header, rows = exports.plan_table(plan)
    roadmap_header = [
        pgettext("plan", name)
        for name in ("step", "phase", "role code", "role", "department", "hiring priority",
                     "before", "after", "hires min", "hires max", "planned head count min",
                     "planned head count max")
    ]  # fmt: skip
    book = Workbook(write_only=True)
    for title, head, body in (
        (pgettext("plan", "Head count"), header, rows),
        (pgettext("plan", "Hiring roadmap"), roadmap_header, _roadmap_rows(plan)),
    ):
        sheet = book.create_sheet(title[:31])
        for index in range(1, len(head) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 16
        sheet.freeze_panes = "A2"

        def text(value, sheet=sheet):
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                return cell
            return value

        for row in [head, *body]:
            sheet.append([text(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _workbook_facts(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    facts = []
    for sheet in book.worksheets:
        facts.append(
            (
                sheet.title,
                sheet.freeze_panes,
                {k: v.width for k, v in sheet.column_dimensions.items() if v.width},
                [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()],
            )
        )
    return facts


@pytest.fixture
def planned(user, organization, make_role):
    make_role("运营中心 > 客服部", "客服专员", [(2, 3), (4, 6), (8, 10)], salary_min=4000)
    make_role("运营中心", '=HYPERLINK("x")', [(1, 1), None, (1, 2)], hiring_priority=1)
    make_role("运营中心", "  留空格的岗位 ", [(0, 1), (1, 1), None], salary_max=9000)
    make_role("研发部 & <测试>", "+1 工程师", [(1, 2), (2, 3), (3, 4)], hiring_priority=2)
    return organization


def test_the_xlsx_is_the_workbook_openpyxl_wrote(client, user, planned):
    client.force_login(user)
    response = client.get(reverse("plan:plan-xlsx", args=["acme"]))
    assert response.status_code == 200
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="acme-plan.xlsx"'
    streamed = _body(response)
    reference = _openpyxl_reference(organization_plan(planned))
    assert _workbook_facts(streamed) == _workbook_facts(reference)
    # And in English: the headers and sheet names follow the language.
    english = _body(client.get(reverse("plan:plan-xlsx", args=["acme"]), HTTP_ACCEPT_LANGUAGE="en"))
    titles = [sheet.title for sheet in load_workbook(io.BytesIO(english)).worksheets]
    assert titles == ["Head count", "Hiring roadmap"]


def test_the_csv_is_streamed_with_its_bom_and_the_same_rows(client, user, planned):
    client.force_login(user)
    with CaptureQueriesContext(connection) as during_view:
        response = client.get(reverse("plan:plan-csv", args=["acme"]))
    with CaptureQueriesContext(connection) as while_streaming:
        raw = _body(response)
    assert len(during_view) > 0 and len(while_streaming) == 0  # every query before the stream
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    header, rows = exports.plan_table(organization_plan(planned))
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert parsed[0] == header  # our own words, and phase names that are plain text
    assert len(parsed) == len(rows) + 1
    assert [row[4] for row in parsed[1:] if row[0] == "岗位"].count('\'=HYPERLINK("x")') == 1


def test_a_large_csv_comes_in_several_chunks_that_join_to_one_table(user):
    big = bulk_design(roles=1200, owner=user, slug="big-csv")
    download = exports.plan_download(big, exports.CSV)
    chunks = list(download.chunks)
    assert len(chunks) > 2
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert sum(1 for row in parsed if row[0] == "岗位") == 1200


def test_a_plan_too_large_to_wait_for_opens_the_job_page(client, user, planned, monkeypatch):
    # Four roles in three phases: twelve role-phases, over a limit of ten.
    monkeypatch.setattr(exports, "XLSX_ROLE_PHASES_WHILE_YOU_WAIT", 10)
    client.force_login(user)
    response = client.get(reverse("plan:plan-xlsx", args=["acme"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].startswith("/orgs/acme/exports/")
    job = ExportJob.objects.get(organization=planned, kind="plan_xlsx")
    assert job.options == {"lang": "en"}
    # The CSV has no job: it is always streamed.
    assert client.get(reverse("plan:plan-csv", args=["acme"])).status_code == 200
    monkeypatch.setattr(exports, "XLSX_ROLE_PHASES_WHILE_YOU_WAIT", 12)
    assert client.get(reverse("plan:plan-xlsx", args=["acme"])).status_code == 200


def test_the_background_job_builds_the_same_workbook(user, planned):
    progress = []
    built = KINDS["plan_xlsx"].build(planned, {"lang": "zh-hans"}, lambda *a: progress.append(a))
    assert built.filename == "acme-plan.xlsx" and built.content_type == xlsx.CONTENT_TYPE
    reference = _openpyxl_reference(organization_plan(planned))
    assert _workbook_facts(built.content) == _workbook_facts(reference)
    assert progress
