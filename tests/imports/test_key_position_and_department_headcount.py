"""Issue 20's fields in the design sheet (issue 19): a role's key position (关键岗位) as a yes/no
column, a department's own head count (部门定编) in its row's phase cells. Both are written by
the export, read back in Chinese and English, applied in the import's one revision, listed in
the preview, and a bad value is reported by sheet, row and column with nothing written."""

import csv
import io

from django.utils import translation

from departments.models import Department, DepartmentHeadcount, HeadcountPhase
from departments.services import department_set_headcount
from roles.imports.apply import import_apply
from roles.imports.export import design_csv, design_table
from roles.imports.services import import_preview, preview_data
from roles.models import Role
from tests.imports.conftest import design_snapshot, upload


def own_counts(department) -> dict[str, tuple[int, int]]:
    return {
        target.phase.name_zh: (target.min_count, target.max_count)
        for target in DepartmentHeadcount.objects.filter(department=department).select_related(
            "phase"
        )
    }


def preview(organization, text: str, name: str = "sheet.csv"):
    return import_preview(
        organization=organization, name=name, content=text.encode("utf-8"), mapping={}
    )


def test_key_position_is_read_from_yes_no_cells_in_both_languages(organization, user):
    sheet, resolution = preview(
        organization,
        "部门,岗位名称,岗位代码,汇报对象,关键岗位\n"
        "运营中心,店长,lead,,是\n"
        "运营中心,副店长,deputy,lead,否\n"
        "运营中心,店员,clerk,lead,\n"
        "运营中心,收银员,cashier,lead,√\n",
    )
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    flags = dict(Role.objects.filter(organization=organization).values_list("code", "key_position"))
    assert flags == {"lead": True, "deputy": False, "clerk": False, "cashier": True}
    organization.refresh_from_db()
    sheet, resolution = preview(
        organization,
        "Department,Title,Role code,Key position\n"
        "运营中心,Store manager,lead,no\n"
        "运营中心,Clerk,clerk,Yes\n",
    )
    assert [p.as_dict() for p in resolution.problems] == []
    assert resolution.counts()["roles"]["change"] == 2
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    assert not Role.objects.get(organization=organization, code="lead").key_position
    assert Role.objects.get(organization=organization, code="clerk").key_position


def test_the_export_writes_yes_and_no_in_the_sheets_language(organization, user):
    sheet, _resolution = preview(
        organization,
        "部门,岗位名称,岗位代码,关键岗位\n运营中心,店长,lead,是\n运营中心,店员,clerk,\n",
    )
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    for language, header, yes, no in (
        ("zh-hans", "关键岗位", "是", "否"),
        ("en", "key position", "yes", "no"),
    ):
        with translation.override(language):
            head, rows = design_table(organization)
        column = head.index(header)
        code = head.index("岗位代码" if language == "zh-hans" else "role code")
        assert {row[code]: row[column] for row in rows if row[code]} == {"lead": yes, "clerk": no}


def test_a_department_rows_phase_cells_are_its_own_head_count(design, user):
    service = Department.objects.get(organization=design, name_zh="客服部")
    growth = HeadcountPhase.objects.get(organization=design, name_zh="成长期")
    department_set_headcount(department=service, headcount=[{"phase": growth, "min": 7}])
    design.refresh_from_db()
    # The department rows carry 启动期 only: 成长期 (no column) is left as it is; 运营中心's
    # empty cell says it has none.
    sheet, resolution = preview(
        design, "部门,岗位名称,启动期编制\n运营中心,,\n运营中心 > 客服部,,3-5\n"
    )
    assert [p.as_dict() for p in resolution.problems] == []
    assert resolution.counts()["departments"] == {"create": 0, "change": 1, "same": 1}
    items = preview_data(sheet, resolution)["items"]
    with translation.override("en"):
        sheet_en, resolution_en = preview(
            design, "部门,岗位名称,启动期编制\n运营中心 > 客服部,,3-5\n"
        )
        changed = [
            i for i in preview_data(sheet_en, resolution_en)["items"] if i["action"] == "change"
        ]
    assert [(i["name"], i["changes"]) for i in changed] == [("客服部", ["department head count"])]
    assert [i["name"] for i in items if i["action"] == "change"] == ["客服部"]
    revision = design.revision
    import_apply(organization=design, sheet=sheet, expected_revision=revision)
    design.refresh_from_db()
    assert design.revision == revision + 1  # one revision for the whole import
    assert own_counts(service) == {"启动期": (3, 5), "成长期": (7, 7)}
    # An empty cell in the column clears that phase; the same sheet again changes nothing.
    sheet, resolution = preview(design, "部门,岗位名称,启动期编制\n运营中心 > 客服部,,\n")
    import_apply(organization=design, sheet=sheet, expected_revision=design.revision)
    assert own_counts(service) == {"成长期": (7, 7)}
    design.refresh_from_db()
    sheet, resolution = preview(design, "部门,岗位名称,启动期编制\n运营中心 > 客服部,,\n")
    assert not resolution.changes_anything


def test_a_department_may_count_more_than_a_role_may(organization, user):
    """A department's range goes to DEPARTMENT_HEADCOUNT_LIMIT (1,000,000), a role's to
    HEADCOUNT_LIMIT (100,000)."""
    sheet, resolution = preview(organization, "部门,岗位名称,启动期编制\n集团,,200000\n")
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    group = Department.objects.get(organization=organization, name_zh="集团")
    assert own_counts(group) == {"启动期": (200000, 200000)}


def test_the_design_sheet_carries_the_department_head_count_both_ways(design, user):
    service = Department.objects.get(organization=design, name_zh="客服部")
    launch = HeadcountPhase.objects.get(organization=design, name_zh="启动期")
    department_set_headcount(department=service, headcount=[{"phase": launch, "min": 2, "max": 4}])
    design.refresh_from_db()
    rows = list(csv.DictReader(io.StringIO(design_csv(design).decode("utf-8-sig"))))
    [row] = [r for r in rows if r["类型"] == "部门" and r["部门"].endswith("客服部")]
    assert row["编制：启动期"] == "2-4"
    # Onto itself: nothing changes.
    _sheet, resolution = import_preview(
        organization=design, name="design.csv", content=design_csv(design), mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    assert not resolution.changes_anything


BAD = {
    "key_position": (
        "部门,岗位名称,关键岗位\n运营中心,店长,也许\n",
        2,
        "C (关键岗位)",
        "bad_choice",
    ),
    "department_min_above_max": (
        "部门,岗位名称,启动期编制\n运营中心,,5-3\n",
        2,
        "C (启动期编制)",
        "min_above_max",
    ),
    "department_bad_number": (
        "部门,岗位名称,启动期编制\n运营中心,,三个\n",
        2,
        "C (启动期编制)",
        "bad_number",
    ),
    "department_over_limit": (
        "部门,岗位名称,启动期编制\n运营中心,,2000000\n",
        2,
        "C (启动期编制)",
        "bad_number",
    ),
}


def test_bad_values_are_reported_where_they_are_and_nothing_is_written(api, design):
    for name, (text, row, column, code) in BAD.items():
        before = design_snapshot()
        response = upload(api, design.slug, "bad.csv", text.encode("utf-8"), apply="1")
        assert response.status_code == 400, (name, response.content)
        problems = response.json()["import"]["problems"]
        assert {"row": row, "column": column, "code": code} in [
            {key: p[key] for key in ("row", "column", "code")} for p in problems
        ], (name, problems)
        assert all(p["sheet"] and p["message"] for p in problems)
        assert design_snapshot() == before, name
