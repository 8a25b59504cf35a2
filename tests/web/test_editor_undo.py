"""Undo and redo in the editor: the toolbar says what they would take back, the endpoints take
back the user's own last change (and bring it back), and refuse what they must without changing
anything."""

import json

from django.test import Client

from departments import services
from departments.models import Department, MemberRole
from tests.factories import UserFactory
from tests.web.conftest import revision_of


def _rename(client: Client, design, name_zh: str):
    department = design["service"]
    return client.post(
        f"/orgs/acme/edit/departments/{department.pk}/rename/",
        {"name_zh": name_zh, "revision": revision_of(design["organization"])},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _post(client: Client, action: str, revision: int):
    return client.post(
        f"/orgs/acme/edit/{action}/", {"revision": revision}, HTTP_ACCEPT_LANGUAGE="en"
    )


def _name(design) -> str:
    return Department.objects.get(pk=design["service"].pk).name_zh


def test_undo_takes_back_the_users_rename_and_redo_brings_it_back(htmx, design):
    assert _rename(htmx, design, "客户服务部").status_code == 200

    bar = htmx.get("/orgs/acme/edit/undo/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'title="Undo: renamed 客服部 → 客户服务部"' in bar
    assert 'disabled title="Nothing to redo"' in bar

    response = _post(htmx, "undo", revision_of(design["organization"]))
    assert response.status_code == 200
    assert _name(design) == "客服部"
    now = revision_of(design["organization"])
    body = response.content.decode()
    assert f"Undid: renamed 客服部 → 客户服务部 (revision {now})." in body
    assert f'id="departments-{design["service"].pk}"' in body  # the outlines, redrawn
    assert json.loads(response["HX-Trigger"])["teamorg:design-changed"]["revision"] == now

    bar = htmx.get("/orgs/acme/edit/undo/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'title="Redo: renamed 客服部 → 客户服务部"' in bar

    response = _post(htmx, "redo", now)
    assert response.status_code == 200
    assert _name(design) == "客户服务部"
    assert "Redid: renamed 客服部 → 客户服务部" in response.content.decode()


def test_nothing_to_undo_says_so_and_changes_nothing(htmx, design):
    # The design was built by the tests' services, not by this user in the editor.
    before = revision_of(design["organization"])
    bar = htmx.get("/orgs/acme/edit/undo/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'disabled title="Nothing of yours to undo"' in bar

    response = _post(htmx, "undo", before)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#editor-alert"
    assert "There is nothing of yours to undo." in response.content.decode()
    assert revision_of(design["organization"]) == before

    response = _post(htmx, "redo", before)
    assert response.status_code == 400
    assert "There is nothing to redo." in response.content.decode()
    assert revision_of(design["organization"]) == before


def test_undo_takes_back_only_the_users_own_change(htmx, design, other_user):
    services.membership_set(
        organization=design["organization"], user=other_user, role=MemberRole.EDITOR
    )
    colleague = Client(headers={"HX-Request": "true"})
    colleague.force_login(other_user)
    assert _rename(htmx, design, "客户服务部").status_code == 200
    assert _rename(colleague, design, "售后服务部").status_code == 200

    # Undoing mine would take back a field the colleague changed since: nothing is overwritten.
    response = _post(htmx, "undo", revision_of(design["organization"]))
    assert response.status_code == 400
    assert _name(design) == "售后服务部"

    response = _post(colleague, "undo", revision_of(design["organization"]))
    assert response.status_code == 200
    assert _name(design) == "客户服务部"


def test_an_undo_from_a_stale_page_that_would_overwrite_a_newer_change_is_refused(htmx, design):
    assert _rename(htmx, design, "客户服务部").status_code == 200
    seen = revision_of(design["organization"])
    services.department_update(department=design["service"], name_zh="售后服务部")

    response = _post(htmx, "undo", seen)
    assert response.status_code in (400, 409)
    assert _name(design) == "售后服务部"


def test_a_viewer_has_no_buttons_and_may_not_undo(htmx, design):
    assert _rename(htmx, design, "客户服务部").status_code == 200
    viewer = UserFactory(username="viewer")
    services.membership_set(
        organization=design["organization"], user=viewer, role=MemberRole.VIEWER
    )
    client = Client(headers={"HX-Request": "true"})
    client.force_login(viewer)
    before = revision_of(design["organization"])

    page = client.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 403
    assert "data-undo" not in page.content.decode()
    assert _post(client, "undo", before).status_code == 403
    assert client.get("/orgs/acme/edit/undo/").status_code == 403
    assert revision_of(design["organization"]) == before
    assert _name(design) == "客户服务部"


def test_the_editor_page_offers_undo_after_a_change(signed_in, htmx, design):
    page = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="undo-bar"' in page and "data-undo" in page
    assert 'disabled title="Nothing of yours to undo"' in page
    assert _rename(htmx, design, "客户服务部").status_code == 200
    page = signed_in.get("/orgs/acme/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'title="Undo: renamed 客服部 → 客户服务部"' in page


def test_undo_without_htmx_redirects_to_the_editor_with_the_message(signed_in, htmx, design):
    assert _rename(htmx, design, "客户服务部").status_code == 200
    response = signed_in.post(
        "/orgs/acme/edit/undo/",
        {"revision": revision_of(design["organization"])},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Undid: renamed 客服部 → 客户服务部" in response.content.decode()
    assert _name(design) == "客服部"
