"""Chinese renders with Noto Sans CJK SC in SVG, PNG and PDF, never as empty boxes."""

import io
import subprocess

from django.utils import translation
from PIL import Image, ImageChops

from roles import charts
from tests.charts.helpers import memory_design


def test_noto_sans_cjk_is_installed():
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto Sans CJK SC" in found, "install fonts-noto-cjk (make run does)"
    # fontconfig resolves the chart font to the real font, not a fallback.
    match = subprocess.run(
        ["fc-match", charts.FONT, "family"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto Sans CJK" in match


def source(title: str) -> str:
    with translation.override("zh-hans"):
        design = memory_design(role_title=title, organization_name="T", phase_name="P")
        return charts.build_chart(design, charts.ChartOptions(view="reporting")).source


def test_svg_names_the_cjk_font():
    svg = charts.render_dot(source("客服主管"), "svg").decode()
    assert f'font-family="{charts.FONT}"' in svg
    assert "客服主管" in svg


def test_pdf_embeds_the_cjk_font_and_keeps_the_text(tmp_path):
    path = tmp_path / "chart.pdf"
    path.write_bytes(charts.render_dot(source("客服主管"), "pdf"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    embedded = [line for line in fonts.splitlines() if "NotoSansCJK" in line]
    assert embedded and all(" yes " in line for line in embedded)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "客服主管" in text


def test_png_draws_real_glyphs_not_boxes():
    # Missing glyphs all render as the same empty box, so two different Chinese titles of the
    # same length would give identical pictures; real glyphs differ.
    first = Image.open(io.BytesIO(charts.render_dot(source("客服主管"), "png"))).convert("RGB")
    second = Image.open(io.BytesIO(charts.render_dot(source("仓储经理"), "png"))).convert("RGB")
    assert first.size == second.size
    assert ImageChops.difference(first, second).getbbox() is not None
