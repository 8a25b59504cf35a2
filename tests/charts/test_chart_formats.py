"""Both views in every format: right content type, real file (magic bytes), Chinese text in the
SVG and extractable from the PDF, a sensible file name."""

import subprocess

import pytest

from departments.models import Organization
from tests.charts.helpers import parse_svg, text_of
from tests.conftest import TEMPLATE_SLUGS

MAGIC = {"svg": b"<?xml", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "chart.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def check_file(response, fmt, tmp_path, words):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == TYPES[fmt]
    assert response.content.startswith(MAGIC[fmt])
    if fmt == "svg":
        shown = "".join(text_of(parse_svg(response.content)).split())
        for word in words:
            assert word in shown
    if fmt == "pdf":
        extracted = "".join(pdf_text(response.content, tmp_path).split())
        for word in words:
            assert word in extracted


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
@pytest.mark.parametrize("view", ["departments", "reporting"])
def test_chart_file_of_a_chinese_design(signed_in, shop, view, fmt, tmp_path):
    response = signed_in.get(f"/orgs/acme/chart.{fmt}", {"view": view})
    words = ["客服部", "仓储部", "客服专员"] if view == "departments" else ["总经理", "仓储主管"]
    check_file(response, fmt, tmp_path, words)
    phase = shop.phases.order_by("order").first()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline")
    assert f'filename="acme-org-chart-{view}-phase{phase.order}.{fmt}"' in disposition


def test_download_is_an_attachment(signed_in, shop):
    response = signed_in.get("/orgs/acme/chart.png", {"view": "reporting", "download": "1"})
    assert response["Content-Disposition"].startswith("attachment")
    assert "acme-org-chart-reporting" in response["Content-Disposition"]


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
@pytest.mark.parametrize("view", ["departments", "reporting"])
@pytest.mark.parametrize("slug", TEMPLATE_SLUGS)
def test_chart_of_every_template(loaded_templates, signed_in, slug, view, fmt, tmp_path):
    template = Organization.objects.get(slug=slug, is_template=True)
    department = template.departments.order_by("tree_id", "lft").first()
    role = template.roles.order_by("tree_id", "lft").first()
    response = signed_in.get(f"/orgs/{slug}/chart.{fmt}", {"view": view})
    words = [department.name_zh] if view == "departments" else [role.title_zh]
    check_file(response, fmt, tmp_path, ["".join(w.split())[:4] for w in words])
