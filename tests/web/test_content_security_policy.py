"""Every kind of page answers with a Content-Security-Policy that allows no inline script and no
inline style, and its markup needs neither: no <script> body, no on…= handler, no style
attribute, no <style> block. (The print templates are WeasyPrint's, never served as pages.)"""

import re
import uuid

import pytest
from django.test import Client

from roles.models import ExportJob

pytestmark = pytest.mark.django_db

# Attributes inside tags only: text such as "style=" in a role's duties is not markup.
TAG = re.compile(r"<[a-zA-Z][^>]*>")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_page(response, path: str) -> None:
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("text/html"), path
    policy = policy_of(response)
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], (path, directive, policy[directive])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], path
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], path
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html), (path, INLINE_SCRIPT.findall(html))
    assert "<style" not in html.lower(), path
    tags = TAG.findall(html)
    assert not [tag for tag in tags if HANDLER.search(tag)], path
    assert not [tag for tag in tags if STYLE_ATTRIBUTE.search(tag)], path


@pytest.fixture
def pages(design, other_user) -> list[str]:
    organization, role, department = design["organization"], design["cs_lead"], design["service"]
    slug = organization.slug
    job = ExportJob.objects.create(
        id=uuid.uuid4(),
        organization=organization,
        kind="handbook",
        options={"lang": "en"},
        options_key="csp-test",
        revision=organization.revision,
        state="done",
        step="done",
        time_limit_seconds=900,
    )
    return [
        "/",
        "/orgs/new/",
        f"/orgs/{slug}/",
        f"/orgs/{slug}/edit/",
        f"/orgs/{slug}/edit/roles/{role.pk}/",
        f"/orgs/{slug}/edit/departments/{department.pk}/",
        f"/orgs/{slug}/roles/{role.pk}/",
        f"/orgs/{slug}/departments/{department.pk}/",
        f"/orgs/{slug}/plan/",
        f"/orgs/{slug}/health/",
        f"/orgs/{slug}/compare/?with={slug}",
        f"/orgs/{slug}/history/",
        f"/orgs/{slug}/history/compare/?a=1&b={organization.revision}",
        f"/orgs/{slug}/settings/",
        f"/orgs/{slug}/settings/members/",
        f"/orgs/{slug}/settings/phases/",
        f"/orgs/{slug}/exports/{job.pk}/",
        "/api/v1/docs/",
    ]


def test_every_page_type_has_a_strict_policy(signed_in, pages, user):
    for path in pages:
        assert_strict_page(signed_in.get(path, HTTP_ACCEPT_LANGUAGE="en"), path)


def test_admin_pages_have_the_policy_too(user):
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    for path in ("/admin/", "/admin/axes/accessattempt/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path


def test_sign_in_and_error_pages_have_a_strict_policy(client, user):
    assert_strict_page(client.get("/accounts/login/"), "/accounts/login/")
    client.force_login(user)
    missing = client.get("/orgs/no-such-organization/")
    assert missing.status_code == 404
    assert "'unsafe-inline'" not in missing["Content-Security-Policy"]
    assert not INLINE_SCRIPT.findall(missing.content.decode())


def test_a_chart_file_keeps_its_own_stricter_policy(signed_in, organization):
    response = signed_in.get(f"/orgs/{organization.slug}/chart.svg")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"


def test_inline_charts_carry_no_style_attribute(signed_in, design):
    """The overview inlines the SVG chart.js fetches; graphviz writes presentation attributes
    (fill=, stroke=), which no CSP governs, and no style attribute, which style-src would block."""
    slug = design["organization"].slug
    for view in ("departments", "reporting"):
        svg = signed_in.get(f"/orgs/{slug}/chart.svg?view={view}&full=1").content.decode()
        assert "fill=" in svg
        assert not STYLE_ATTRIBUTE.search(svg) and "<style" not in svg, view
