import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from departments.services import phase_update
from roles.planning.plan import organization_plan


def _body(response) -> bytes:
    """The downloads are streamed."""
    return b"".join(response.streaming_content)


def _numbers(row: list, phase_count: int) -> list:
    return [int(v) if v not in ("", None) else None for v in row[9 : 9 + 2 * phase_count]]


def test_csv_has_a_bom_keeps_chinese_and_round_trips_the_numbers(
    client, user, organization, make_role
):
    make_role("运营中心 > 客服部", "客服专员", [(2, 3), (4, 6), (8, 10)], salary_min=4000)
    make_role("运营中心", '=HYPERLINK("x")', [(1, 1), None, (1, 2)])
    client.force_login(user)
    response = client.get(reverse("plan:plan-csv", args=["acme"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="acme-plan.csv"' == response["Content-Disposition"]
    raw = _body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[9] == "启动期 下限" and header[14] == "成熟期 上限"
    plan = organization_plan(organization)
    roles = [r for r in body if r[0] == "岗位"]
    assert [r[4] for r in roles] == ['\'=HYPERLINK("x")', "客服专员"]  # formula quoted
    for row, plan_row in zip(roles, plan.roles, strict=True):
        expected = []
        for value in plan_row.counts:
            expected += [None, None] if value is None else [value.min, value.max]
        assert _numbers(row, 3) == expected
    departments = {r[2]: r for r in body if r[0] == "部门"}
    assert _numbers(departments["运营中心"], 3) == [3, 4, 4, 6, 9, 12]
    assert _numbers(departments["运营中心 > 客服部"], 3) == [2, 3, 4, 6, 8, 10]
    (total,) = [r for r in body if r[0] == "合计"]
    assert _numbers(total, 3) == [3, 4, 4, 6, 9, 12]


def test_xlsx_round_trips_plan_and_roadmap(client, user, organization, make_role):
    make_role("运营部", "店长/运营", [(1, 1), (1, 2), (2, 2)], hiring_priority=1)
    make_role("客服部", "客服", [(1, 2), (2, 3), (3, 4)], hiring_priority=2)
    client.force_login(user)
    response = client.get(reverse("plan:plan-xlsx", args=["acme"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(_body(response)))
    plan_sheet, roadmap_sheet = book.worksheets
    assert plan_sheet.title == "人员编制" and roadmap_sheet.title == "招聘路线图"
    rows = [list(r) for r in plan_sheet.iter_rows(values_only=True)]
    by_title = {r[4]: r for r in rows[1:] if r[0] == "岗位"}
    assert _numbers(by_title["店长/运营"], 3) == [1, 1, 1, 2, 2, 2]
    assert _numbers(by_title["客服"], 3) == [1, 2, 2, 3, 3, 4]
    (total,) = [r for r in rows if r[0] == "合计"]
    assert _numbers(total, 3) == [2, 3, 3, 5, 5, 6]
    steps = [list(r) for r in roadmap_sheet.iter_rows(values_only=True)][1:]
    # role, its head count before → after, the organization's planned head count after
    assert [(s[3], s[6], s[7], s[10], s[11]) for s in steps] == [
        ("店长/运营", "0", "1", 1, 1),
        ("客服", "0", "1–2", 2, 3),
        ("店长/运营", "1", "1–2", 2, 4),
        ("客服", "1–2", "2–3", 3, 5),
        ("店长/运营", "1–2", "2", 4, 5),
        ("客服", "2–3", "3–4", 5, 6),
    ]


def test_xlsx_keeps_formula_like_text_as_text(client, user, organization, make_role):
    make_role("运营部", "=1+1", [(1, 1), (1, 1), (1, 1)])
    client.force_login(user)
    book = load_workbook(io.BytesIO(_body(client.get(reverse("plan:plan-xlsx", args=["acme"])))))
    cell = next(r for r in book.worksheets[0].iter_rows() if r[0].value == "岗位")[4]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_csv_quotes_formulas_in_the_header_too(client, user, organization, make_role):
    """Phase names go into the header ("<phase> min"): a name a spreadsheet would run is
    quoted there as in the body, also behind spaces or a tab."""
    make_role("运营部", "运营", [(1, 1), (1, 1), (1, 1)])
    names = ['=HYPERLINK("http://x.invalid")', "  +1+1", "\t@SUM(1)"]
    for phase, name in zip(organization.phases.order_by("order"), names, strict=True):
        phase_update(phase=phase, name_zh=name)
    client.force_login(user)
    raw = _body(client.get(reverse("plan:plan-csv", args=["acme"])))
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    phase_cells = header[9:]
    assert len(phase_cells) == 6
    assert all(cell.startswith("'") for cell in phase_cells), phase_cells
    assert not any(cell.startswith("'") for cell in header[:9])  # our own words stay as they are
