"""Job descriptions, department charters and the handbook: what they show
(`roles.documents.content`), their PDFs (`roles.documents.pdf`), their pages and URLs."""

from roles.documents.chart_print import chart_print_pdf
from roles.documents.content import (
    DepartmentDocument,
    DocumentNotFound,
    Handbook,
    RoleDocument,
    department_page,
    handbook,
    role_page,
)
from roles.documents.handbook import handbook_pdf
from roles.documents.pdf import (
    BASE_URL,
    PDF,
    department_pdf,
    fetch_local,
    html_to_pdf,
    role_pdf,
)

__all__ = [
    "BASE_URL",
    "PDF",
    "DepartmentDocument",
    "DocumentNotFound",
    "Handbook",
    "RoleDocument",
    "chart_print_pdf",
    "department_page",
    "department_pdf",
    "fetch_local",
    "handbook",
    "handbook_pdf",
    "html_to_pdf",
    "role_page",
    "role_pdf",
]
