"""A design downloaded as a sheet, edited and imported back onto its organization: a new role
under an existing manager, a role moved to another manager and department, a title changed;
what the sheet leaves as it was stays, and the trees stay valid."""

import csv
import io

from departments.models import Department
from roles.imports.apply import import_apply
from roles.imports.export import design_csv
from roles.imports.services import import_preview
from roles.models import Role
from teamorg.trees import tree_integrity_errors


def edited(content: bytes, edit) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = rows[0]
    rows = [header, *edit(header, rows[1:])]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_edits_in_the_sheet_come_back_as_changes(design, user):
    ceo = Role.objects.get(organization=design, title_zh="CEO")
    clerk = Role.objects.get(organization=design, title_zh="客服专员")
    untouched = Role.objects.get(organization=design, title_zh="客服主管")

    def edit(header, rows):
        column = {name: index for index, name in enumerate(header)}
        for row in rows:
            if row[column["岗位代码"]] == clerk.code:
                row[column["汇报对象"]] = ceo.code
                row[column["部门"]] = "运营中心"
                row[column["部门(英文)"]] = ""
                row[column["部门代码"]] = ""
                row[column["岗位名称"]] = "客服专家"
        new = list(rows[-1])
        new[column["岗位代码"]] = "cs-trainer"
        new[column["岗位名称"]] = "客服培训师"
        new[column["岗位名称(英文)"]] = "CS Trainer"
        new[column["汇报对象"]] = "客服主管"
        new[column["部门"]] = "运营中心 > 客服部"
        new[column["部门(英文)"]] = ""
        new[column["部门代码"]] = ""
        return [*rows, new]

    content = edited(design_csv(design), edit)
    sheet, resolution = import_preview(
        organization=design, name="edited.csv", content=content, mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    counts = resolution.counts()
    assert counts["roles"] == {"create": 1, "change": 1, "same": 2}
    revision = design.revision
    import_apply(organization=design, sheet=sheet, expected_revision=revision)
    design.refresh_from_db()
    assert design.revision == revision + 1
    clerk.refresh_from_db()
    assert (clerk.title_zh, clerk.reports_to_id, clerk.department.name_zh) == (
        "客服专家",
        ceo.pk,
        "运营中心",
    )
    trainer = Role.objects.get(organization=design, code="cs-trainer")
    assert (trainer.reports_to_id, trainer.department.name_zh) == (untouched.pk, "客服部")
    untouched.refresh_from_db()
    assert untouched.reports_to_id == ceo.pk
    assert tree_integrity_errors(Role, organization=design) == []
    assert tree_integrity_errors(Department, organization=design) == []
