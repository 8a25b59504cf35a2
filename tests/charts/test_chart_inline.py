"""The inline chart include for the organization page: chart URL, options, downloads, zoom."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def test_include_renders_the_chart_with_options_and_downloads(shop, rf):
    request = rf.get("/orgs/acme/")
    html = render_to_string("departments/_chart.html", {"organization": shop}, request=request)
    assert 'data-src="/orgs/acme/chart.svg"' in html
    for fmt in ("svg", "png", "pdf"):
        assert f'href="/orgs/acme/chart.{fmt}?download=1"' in html
    for phase in shop.phases.all():
        assert f'<option value="{phase.pk}">{phase.name}</option>' in html
    assert 'data-chart-zoom="in"' in html and 'data-chart-zoom="out"' in html
    assert "charts/chart.js" in html


def test_chart_script_inlines_the_svg_with_zoom_pan_and_refresh():
    script = open(finders.find("charts/chart.js"), encoding="utf-8").read()
    assert "teamorg:design-changed" in script  # the editor's refresh hook
    assert "viewBox" in script and "pointermove" in script and "wheel" in script
    assert finders.find("charts/chart.css")


def test_in_the_editor_the_boxes_open_forms_and_the_chart_can_be_wide(shop, rf):
    request = rf.get("/orgs/acme/edit/")
    html = render_to_string(
        "departments/_chart.html", {"organization": shop, "editing": True}, request=request
    )
    # URLs of the forms for node 0, which chart.js fills in with the box's id.
    assert "data-node-forms" in html
    assert 'data-role-form="/orgs/acme/edit/roles/0/"' in html
    assert 'data-department-form="/orgs/acme/edit/departments/0/"' in html
    assert "data-chart-wide" in html and 'aria-pressed="false"' in html


def test_on_the_overview_the_boxes_stay_links(shop, rf):
    request = rf.get("/orgs/acme/")
    html = render_to_string("departments/_chart.html", {"organization": shop}, request=request)
    assert "data-node-forms" not in html and "data-chart-wide" not in html
