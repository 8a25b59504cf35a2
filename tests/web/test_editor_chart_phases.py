"""Every editor answer that redraws the chart names the design's phases in its
`teamorg:design-changed` event, so the chart's phase menu follows an edit that deletes or adds
phases (an import undone or redone, a phase deleted elsewhere) before the chart asks for itself
again: the same ids, names and order as the menu the page renders, read with the answer's own
design (no more queries of the phases table than before)."""

import io
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import HeadcountPhase
from departments.services import phase_create
from roles.models import Role
from tests.web.conftest import revision_of

SHEET = (
    "部门,岗位名称,汇报对象,职级,启动期编制,成长期编制\n"
    "运营中心,店长,,经理,1,1\n"
    ",运营专员,店长,专员,1,2～3\n"
)


def _sheet():
    handle = io.BytesIO(SHEET.encode())
    handle.name = "岗位表.csv"
    return handle


def _import(client, organization) -> None:
    """The sheet imported through the pages, by the signed-in user (one revision of theirs)."""
    start = reverse("imports:start", args=[organization.slug])
    job_page = client.post(start, {"file": _sheet()})["Location"]
    assert client.post(job_page + "apply/").status_code == 302


def _phases_in(response) -> list[dict]:
    return json.loads(response["HX-Trigger"])["teamorg:design-changed"]["phases"]


def _menu(client, slug: str, language: str) -> list[dict]:
    """The chart's phase menu as the editor page renders it."""
    page = client.get(reverse("org-editor", args=[slug]), HTTP_ACCEPT_LANGUAGE=language)
    select = re.search(r'<select name="phase">(.*?)</select>', page.content.decode(), re.S)
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', select.group(1))
    return [{"id": int(pk), "name": name} for pk, name in options]


def _undo_or_redo(htmx, organization, action: str, language: str = "en"):
    response = htmx.post(
        f"/orgs/{organization.slug}/edit/{action}/",
        {"revision": revision_of(organization)},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def test_undoing_an_import_names_the_phases_left_and_redoing_it_the_imported_ones(
    signed_in, htmx, organization
):
    defaults = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    _import(signed_in, organization)
    imported = list(HeadcountPhase.objects.filter(organization=organization).order_by("order"))
    # An empty organization takes the sheet's phases: the defaults are replaced.
    assert [p.name_zh for p in imported] == ["启动期", "成长期"]
    assert not {p.pk for p in imported} & {p.pk for p in defaults}

    response = _undo_or_redo(htmx, organization, "undo")
    assert not Role.objects.filter(organization=organization).exists()
    phases = _phases_in(response)
    assert phases == [{"id": p.pk, "name": p.name_en} for p in defaults]
    assert phases == _menu(signed_in, organization.slug, "en")
    assert not {p["id"] for p in phases} & {p.pk for p in imported}

    # Redo brings the imported phases back (named in the page's language) and the defaults go.
    response = _undo_or_redo(htmx, organization, "redo", language="zh-hans")
    phases = _phases_in(response)
    assert phases == [{"id": p.pk, "name": p.name_zh} for p in imported]
    assert phases == _menu(signed_in, organization.slug, "zh-hans")


def test_a_phase_deleted_elsewhere_is_gone_from_the_next_answer(signed_in, htmx, design):
    organization = design["organization"]
    phases = list(organization.phases.order_by("order"))
    response = signed_in.post(
        f"/orgs/acme/settings/phases/{phases[0].pk}/delete/",
        {"targets": "move", "move_to": phases[1].pk, "revision": revision_of(organization)},
    )
    assert response.status_code == 302
    # Any write in the editor afterwards: here a rename.
    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name_zh": "客户服务部", "revision": revision_of(organization)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert [p["id"] for p in _phases_in(response)] == [p.pk for p in phases[1:]]


def test_a_head_count_cell_answer_names_the_phases_without_another_query(htmx, design):
    organization = design["organization"]
    added = phase_create(organization=organization, name_zh="扩张期", name_en="Expansion")
    phases = list(organization.phases.order_by("order"))
    assert phases[-1] == added
    with CaptureQueriesContext(connection) as queries:
        response = htmx.post(
            "/orgs/acme/edit/headcount/",
            {
                "role": design["cs_lead"].pk,
                "phase": added.pk,
                "min_count": "1",
                "max_count": "2",
                "revision": revision_of(organization),
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200, response.content.decode()[:500]
    assert _phases_in(response) == [{"id": p.pk, "name": p.name_en} for p in phases]
    # The cell's phase, the service's check and the totals, as before: the event's list is the
    # totals' own.
    assert _phase_queries(queries) <= 3


def test_a_redrawing_answer_reads_the_phases_once(htmx, design):
    organization = design["organization"]
    with CaptureQueriesContext(connection) as queries:
        response = htmx.post(
            f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
            {"name_zh": "客户服务部", "revision": revision_of(organization)},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert [p["name"] for p in _phases_in(response)] == ["启动期", "成长期", "成熟期"]
    assert _phase_queries(queries) == 1  # the design's own read


def _phase_queries(queries) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if re.search(r'FROM "departments_headcountphase"', query["sql"])
    )
