"""A hand-made HR sheet (tests/imports/fixtures/: Chinese headers, department cells merged down,
`3～5` ranges, salary bands, lines split by newline or `；`), as XLSX and as a GBK CSV, imports
into a new organization as the design it describes."""

from pathlib import Path

import pytest

from departments.models import Department, HeadcountPhase
from departments.services import organization_create
from roles.imports.apply import import_apply
from roles.imports.services import import_preview
from roles.models import Role
from teamorg.trees import tree_integrity_errors

FIXTURES = Path(__file__).parent / "fixtures"


def department_paths(organization):
    paths = {}
    for department in Department.objects.filter(organization=organization).order_by(
        "tree_id", "lft"
    ):
        parent = paths.get(department.parent_id, ())
        paths[department.pk] = (*parent, department.name_zh)
    return sorted(" > ".join(path) for path in paths.values())


def role_rows(organization):
    phases = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    rows = {}
    for role in Role.objects.filter(organization=organization).select_related(
        "department", "reports_to"
    ):
        counts = {t.phase_id: (t.min_count, t.max_count) for t in role.headcount.all()}
        rows[role.title_zh] = {
            "department": role.department.name_zh,
            "reports_to": role.reports_to.title_zh if role.reports_to else None,
            "level": role.level,
            "employment_type": role.employment_type,
            "salary": (role.salary_min, role.salary_max),
            "headcount": [counts.get(phase.pk) for phase in phases],
            "duties": [d.text_zh for d in role.duties.order_by("order")],
            "requirements": [(r.kind, r.text_zh) for r in role.requirements.order_by("order")],
            "kpis": [k.text_zh for k in role.kpis.order_by("order")],
        }
    return rows


EXPECTED_ROLES = {
    "运营总监": {
        "department": "运营中心",
        "reports_to": None,
        "level": "director",
        "employment_type": "full-time",
        "salary": (20000, 30000),
        "headcount": [(1, 1), (1, 1), (1, 1)],
        "duties": ["制定店铺运营策略", "管理运营团队"],
        "requirements": [("education", "本科及以上"), ("experience", "5年以上电商运营")],
        "kpis": ["GMV达成率"],
    },
    "运营专员": {
        "department": "运营中心",
        "reports_to": "运营总监",
        "level": "specialist",
        "employment_type": "full-time",
        "salary": (6000, 8000),
        "headcount": [(1, 1), (2, 3), (3, 5)],
        "duties": ["商品上架", "活动执行"],
        "requirements": [],
        "kpis": ["转化率", "活动ROI"],
    },
    "客服主管": {
        "department": "客服部",
        "reports_to": "运营总监",
        "level": "supervisor",
        "employment_type": "full-time",
        "salary": (8000, 10000),
        "headcount": [(1, 1), (1, 1), (1, 2)],
        "duties": ["管理客服团队", "制定话术"],
        "requirements": [("experience", "2年以上客服管理")],
        "kpis": ["满意度"],
    },
    "客服专员": {
        "department": "客服部",
        "reports_to": "客服主管",
        "level": "specialist",
        "employment_type": "part-time",
        "salary": (4000, 5000),
        "headcount": [(2, 2), (3, 5), (6, 8)],
        "duties": ["售前咨询", "售后处理"],
        "requirements": [],
        "kpis": ["响应时长"],
    },
    "仓储主管": {
        "department": "仓储物流部",
        "reports_to": None,
        "level": "supervisor",
        "employment_type": "full-time",
        "salary": (7000, 7000),
        "headcount": [(1, 1), (1, 1), (1, 1)],
        "duties": ["管理仓库"],
        "requirements": [],
        "kpis": ["发货准确率"],
    },
    "打包员": {
        "department": "仓储物流部",
        "reports_to": "仓储主管",
        "level": "assistant",
        "employment_type": "outsourced",
        "salary": (None, None),
        "headcount": [(2, 2), (4, 4), (6, 10)],
        "duties": ["打包发货"],
        "requirements": [],
        "kpis": [],
    },
}


@pytest.mark.parametrize("filename", ["hr_positions.xlsx", "hr_positions_gbk.csv"])
def test_a_hand_made_sheet_imports_as_the_design_it_describes(user, filename):
    organization = organization_create(name_zh="手工表导入", owner=user)
    content = (FIXTURES / filename).read_bytes()
    sheet, resolution = import_preview(
        organization=organization, name=filename, content=content, mapping={}
    )
    assert [p.as_dict() for p in resolution.problems] == []
    import_apply(organization=organization, sheet=sheet, expected_revision=organization.revision)
    assert department_paths(organization) == ["仓储物流部", "运营中心", "运营中心 > 客服部"]
    assert role_rows(organization) == EXPECTED_ROLES
    # The sheet's phase columns named the default phases: they keep their English and months.
    phases = HeadcountPhase.objects.filter(organization=organization).order_by("order")
    assert [(p.name_zh, p.name_en, p.start_month) for p in phases] == [
        ("启动期", "Launch", 0),
        ("成长期", "Growth", 6),
        ("成熟期", "Maturity", 12),
    ]
    assert tree_integrity_errors(Role, organization=organization) == []
    assert tree_integrity_errors(Department, organization=organization) == []
