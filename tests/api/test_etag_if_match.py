"""The organization revision is the ETag of the organization and its tree; an object in it
carries its own version (`test_object_etags.py`), and either works as If-Match. A write with a
stale If-Match goes through when nothing it changes was changed since; when it changes a field
someone else changed, it answers 412 `edit_conflict` and changes nothing."""

from departments.models import Organization
from roles.models import Role


def revision():
    return Organization.objects.get(slug="acme").revision


def test_every_get_carries_an_etag_the_organization_its_revision(api, design):
    current = f'"{revision()}"'
    for url in ("/api/v1/organizations/acme/", "/api/v1/organizations/acme/tree/"):
        assert api.get(url)["ETag"] == current, url
    for url in (
        f"/api/v1/departments/{design['service'].pk}/",
        f"/api/v1/roles/{design['clerk'].pk}/",
        f"/api/v1/phases/{design['organization'].phases.first().pk}/",
    ):
        tag = api.get(url)["ETag"]
        assert tag.strip('"').isdigit() and int(tag.strip('"')) <= revision(), url


def test_a_write_with_the_current_revision_succeeds_and_answers_the_new_one(api, design):
    etag = api.get(f"/api/v1/roles/{design['clerk'].pk}/")["ETag"]
    response = api.patch(
        f"/api/v1/roles/{design['clerk'].pk}/", {"title": "客服专员A"}, format="json",
        HTTP_IF_MATCH=etag,
    )  # fmt: skip
    assert response.status_code == 200
    assert response["ETag"] == f'"{revision()}"' != etag
    assert response.json()["title"] == "客服专员A"


def test_two_tools_cannot_silently_overwrite_each_other(api, design):
    url = f"/api/v1/roles/{design['clerk'].pk}/"
    etag = api.get(url)["ETag"]  # both tools read the same revision
    first = api.patch(url, {"title": "工具一"}, format="json", HTTP_IF_MATCH=etag)
    second = api.patch(url, {"title": "工具二"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert second.status_code == 412
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert body["current_revision"] == revision()
    assert [(c["kind"], c["field"], c["theirs"], c["yours"]) for c in body["conflicts"]] == [
        ("role", "title_zh", "工具一", "工具二")
    ]
    assert body["detail"]
    assert Role.objects.get(pk=design["clerk"].pk).title_zh == "工具一"


def test_if_match_guards_every_kind_of_write_on_what_changed_since(api, design):
    stale = f'"{revision()}"'
    # Someone else changes each thing the writes below change.
    clerk, service = design["clerk"], design["service"]
    renamed = api.patch("/api/v1/organizations/acme/", {"name_en": "Acme"}, format="json")
    assert renamed.status_code == 200
    moved = api.post(f"/api/v1/departments/{service.pk}/move/", {"parent": None}, format="json")
    assert moved.status_code == 200
    moved = api.post(
        f"/api/v1/roles/{clerk.pk}/move/", {"reports_to": design["ceo"].pk}, format="json"
    )
    assert moved.status_code == 200
    before = revision()
    writes = [
        ("patch", "/api/v1/organizations/acme/", {"name_en": "x"}),
        ("delete", "/api/v1/organizations/acme/", None),
        ("post", f"/api/v1/departments/{service.pk}/move/", {"parent": design["center"].pk}),
        ("delete", f"/api/v1/roles/{clerk.pk}/", None),
        ("post", f"/api/v1/roles/{clerk.pk}/move/", {"reports_to": None}),
    ]
    for method, url, body in writes:
        kwargs = {"format": "json"} if body is not None else {}
        response = getattr(api, method)(url, body, HTTP_IF_MATCH=stale, **kwargs)
        assert response.status_code == 412, (method, url, response.content)
        # Deleting the whole organization conflicts with any change since: no field list.
        assert response.json()["code"] in ("edit_conflict", "stale_revision")
    assert revision() == before


def test_a_stale_if_match_on_something_nobody_changed_goes_through(api, design):
    stale = f'"{revision()}"'
    renamed = api.patch("/api/v1/organizations/acme/", {"name_en": "Acme"}, format="json")
    assert renamed.status_code == 200
    writes = [
        ("post", "/api/v1/departments/", {"organization": "acme", "name": "x"}),
        ("post", "/api/v1/phases/", {"organization": "acme", "name": "x"}),
        ("patch", f"/api/v1/roles/{design['clerk'].pk}/", {"title": "客服专员A"}),
        ("post", f"/api/v1/departments/{design['service'].pk}/move/", {"parent": None}),
    ]
    for method, url, body in writes:
        response = getattr(api, method)(url, body, HTTP_IF_MATCH=stale, format="json")
        assert response.status_code in (200, 201), (method, url, response.content)
    assert Role.objects.get(pk=design["clerk"].pk).title_zh == "客服专员A"


def test_an_if_match_that_is_no_revision_is_412_and_star_matches_any(api, design):
    url = f"/api/v1/departments/{design['service'].pk}/"
    assert api.patch(url, {"name": "x"}, format="json", HTTP_IF_MATCH='"abc"').status_code == 412
    assert api.patch(url, {"name": "y"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    weak = f'W/"{revision()}"'
    assert api.patch(url, {"name": "z"}, format="json", HTTP_IF_MATCH=weak).status_code == 200


def test_if_none_match_answers_304_until_the_design_changes(api, design):
    etag = api.get("/api/v1/organizations/acme/tree/")["ETag"]
    unchanged = api.get("/api/v1/organizations/acme/tree/", HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    api.patch(f"/api/v1/roles/{design['clerk'].pk}/", {"title": "改名"}, format="json")
    changed = api.get("/api/v1/organizations/acme/tree/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "改名" in changed.content.decode()
