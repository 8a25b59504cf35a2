"""Issue 20's marks in the design sheet: a preferred requirement (优先) is written as
"学历（优先）：…" / "Education (preferred): …" and read back in either language, so an export
imported again keeps every mark; a phase row carries its origin and source note like a
department's; a department whose functions an import rewrites keeps the origin of each line it
left unchanged."""

import csv
import io

from django.utils import translation

from departments.models import Department, HeadcountPhase
from departments.services import department_update, organization_create
from roles.imports.apply import import_apply
from roles.imports.export import design_csv
from roles.imports.services import import_preview
from roles.models import Role
from roles.services import role_update
from tests.factories import RoleFactory


def preview(organization, content: bytes, name: str = "sheet.csv"):
    return import_preview(organization=organization, name=name, content=content, mapping={})


def apply(organization, content: bytes):
    organization.refresh_from_db()
    sheet, resolution = preview(organization, content)
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    return resolution


def rows_of(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def marks(organization, code="agent"):
    role = Role.objects.get(organization=organization, code=code)
    return [(line.kind, line.text_zh, line.preferred) for line in role.requirements.all()]


REQUIREMENTS = [
    {"kind": "education", "text_zh": "中专以上学历", "text_en": "Secondary vocational diploma"},
    {
        "kind": "education",
        "text_zh": "营销相关专业优先",
        "text_en": "Marketing majors preferred",
        "preferred": True,
    },
]


def test_the_export_marks_preferred_requirements_and_reads_them_back(organization, user):
    role = RoleFactory(department__organization=organization, code="agent", title_zh="客服代表")
    role_update(role=role, requirements=REQUIREMENTS)
    for language, cell in (
        ("zh-hans", "学历：中专以上学历\n学历（优先）：营销相关专业优先"),
        ("en", "Education：中专以上学历\nEducation (preferred)：营销相关专业优先"),
    ):
        with translation.override(language):
            content = design_csv(organization)
        (agent,) = [row for row in rows_of(content) if row[next(iter(row))] in ("岗位", "role")]
        assert cell in agent.values()
        target = organization_create(name_zh=f"导入 {language}", owner=user)
        apply(target, content)
        assert marks(target) == [
            ("education", "中专以上学历", False),
            ("education", "营销相关专业优先", True),
        ]


def test_only_the_mark_changed_is_a_change(organization, user):
    role = RoleFactory(department__organization=organization, code="agent", title_zh="客服代表")
    role_update(role=role, requirements=REQUIREMENTS)
    sheet = (
        "部门,岗位名称,岗位代码,任职要求\n"
        f"{role.department.name_zh},客服代表,agent,"
        '"学历（优先）：中专以上学历\n学历：营销相关专业优先"\n'
    ).encode()
    resolution = apply(organization, sheet)
    assert resolution.counts()["roles"]["change"] == 1
    assert marks(organization) == [
        ("education", "中专以上学历", True),
        ("education", "营销相关专业优先", False),
    ]


def test_phase_rows_carry_their_origin(organization, user):
    phase = organization.phases.order_by("order").first()
    HeadcountPhase.objects.filter(pk=phase.pk).update(origin="seed", source_note="000 前6个月")
    content = design_csv(organization)
    target = organization_create(name_zh="导入", owner=user)
    apply(target, content)
    copied = target.phases.order_by("order").first()
    assert (copied.name_zh, copied.origin, copied.source_note) == (
        phase.name_zh,
        "seed",
        "000 前6个月",
    )


def test_an_import_rewriting_functions_keeps_the_unchanged_lines_origin(organization):
    department = RoleFactory(department__organization=organization).department
    department_update(department=department, functions_zh="售前咨询\n售后服务")
    Department.objects.filter(pk=department.pk).update(
        functions_origin=[
            {"origin": "seed", "source_note": "000"},
            {"origin": "fill", "source_note": "fill"},
        ]
    )
    sheet = (
        f"类型,部门,部门代码,工作职能\n部门,{department.name_zh},{department.code},"
        '"售后服务\n回访"\n'
    ).encode()
    apply(organization, sheet)
    department.refresh_from_db()
    assert department.functions_origin == [
        {"origin": "fill", "source_note": "fill"},
        {"origin": "user", "source_note": ""},
    ]
