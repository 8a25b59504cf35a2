"""Helpers for the document tests: a fully described sample design, and reading real PDFs with
pypdf and poppler (pdftotext, pdffonts) — no mocks of WeasyPrint."""

import io
import re
import subprocess
from dataclasses import dataclass

from pypdf import PdfReader

from departments import services as department_services
from departments.models import Department, Organization
from roles import services as role_services
from roles.models import Role


def squash(text: str) -> str:
    """Text without any whitespace: CJK lines wrap anywhere, so compare without line breaks."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, as poppler's pdftotext extracts it."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of every page, in order (pypdf)."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pdf_fonts(pdf: bytes) -> list[dict]:
    """pdffonts' table as dicts: name, type, embedded, subset."""
    output = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    fonts = []
    for line in output.splitlines()[2:]:
        # Columns from the right: object ID (2), uni, sub, emb; the name has no spaces.
        parts = line.split()
        if len(parts) < 7:
            continue
        fonts.append(
            {"name": parts[0], "embedded": parts[-5], "subset": parts[-4], "unicode": parts[-3]}
        )
    return fonts


@dataclass
class Sample:
    organization: Organization
    operations: Department
    service: Department
    promotion: Department
    finance: Department
    ceo: Role
    director: Role
    supervisor: Role
    agent: Role
    promoter: Role


def sample_design(organization: Organization) -> Sample:
    """运营中心 > 客服部 / 推广部, and 财务部; five roles, one of them with every field set."""
    launch, growth, mature = organization.phases.order_by("order")

    def department(name_zh, name_en, parent=None, **fields):
        return department_services.department_create(
            organization=organization, parent=parent, name_zh=name_zh, name_en=name_en, **fields
        )

    operations = department(
        "运营中心",
        "Operations Centre",
        summary_zh="负责店铺的整体运营。",
        summary_en="Runs the shops.",
        functions_zh="制定运营计划\n管理各部门的日常工作",
        functions_en="Plan operations\nManage the departments' daily work",
        function_group="management",
    )
    service = department(
        "客服部",
        "Customer Service",
        operations,
        summary_zh="售前导购与售后服务，提升咨询转化率。",
        summary_en="Pre-sales advice and after-sales service; raises the inquiry conversion rate.",
        functions_zh="在线接待顾客咨询\n处理退换货与纠纷\n建立会员档案",
        functions_en="Answer customers online\nHandle returns and disputes\nKeep member records",
        function_group="front-line",
    )
    promotion = department("推广部", "Promotion", operations)
    finance = department("财务部", "Finance")

    def role(title_zh, title_en, dept, manager=None, **fields):
        return role_services.role_create(
            organization=organization,
            department=dept,
            reports_to=manager,
            title_zh=title_zh,
            title_en=title_en,
            **fields,
        )

    ceo = role("总经理", "General Manager", operations, level="executive", hiring_priority=1)
    director = role("运营总监", "Operations Director", operations, ceo, level="director")
    promoter = role("推广专员", "Promotion Specialist", promotion, director)
    supervisor = role(
        "客服主管",
        "Customer Service Supervisor",
        service,
        director,
        level="supervisor",
        hiring_priority=3,
        summary_zh="带领客服团队，保证顾客满意。",
        summary_en="Leads the service team and keeps customers satisfied.",
        pay_structure="base-bonus",
        salary_min=6000,
        salary_max=9000,
        pay_note_zh="季度奖金按满意度发放",
        pay_note_en="Quarterly bonus by satisfaction score",
        duties=[
            {"text_zh": "制定客服管理制度和工作规划", "text_en": "Set service rules and plans"},
            {"text_zh": "培训和指导客服人员", "text_en": "Train and coach the agents"},
            {"text_zh": "处理商品纠纷与退换货", "text_en": "Resolve disputes and returns"},
        ],
        requirements=[
            {"kind": "education", "text_zh": "大专及以上学历", "text_en": "College degree"},
            {"kind": "experience", "text_zh": "两年以上客服经验", "text_en": "2+ years in service"},
            {"kind": "skill", "text_zh": "熟练使用千牛工作台", "text_en": "Fluent with Qianniu"},
        ],
        kpis=[
            {"text_zh": "咨询转化率", "text_en": "Inquiry conversion rate"},
            {"text_zh": "顾客满意度", "text_en": "Customer satisfaction"},
        ],
        headcount=[
            {"phase": launch.pk, "min": 1, "max": 1},
            {"phase": growth.pk, "min": 1, "max": 2},
        ],
        combinable_with=[promoter],
    )
    agent = role(
        "售前客服",
        "Pre-sales Agent",
        service,
        supervisor,
        duties=[{"text_zh": "通过旺旺在线接待顾客", "text_en": "Chat with customers online"}],
        headcount=[
            {"phase": launch.pk, "min": 2, "max": 3},
            {"phase": growth.pk, "min": 8, "max": 10},
        ],
    )
    role_services.collaboration_create(
        organization=organization,
        from_department=service,
        to_department=promotion,
        description_zh="反馈顾客评价",
        description_en="Pass on customer reviews",
    )
    organization.refresh_from_db()
    return Sample(
        organization=organization,
        operations=operations,
        service=service,
        promotion=promotion,
        finance=finance,
        ceo=ceo,
        director=director,
        supervisor=supervisor,
        agent=agent,
        promoter=promoter,
    )
