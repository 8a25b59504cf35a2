"""The editor refuses what the API and the admin refuse, with the limits of `teamorg.limits`:
a clear 400 with the reason and nothing written, and inputs that carry the limit (`max`,
`maxlength`) so the browser says it before the user saves."""

from roles.models import HeadcountTarget, Role
from roles.services import roles
from teamorg import limits
from tests.snapshots import database_snapshot
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


def test_a_head_count_cell_of_3000000000_is_a_400_with_the_reason(htmx, design):
    phase = design["organization"].phases.order_by("order").first()
    before = database_snapshot()
    response = htmx.post(
        "/orgs/acme/edit/headcount/",
        {
            "role": design["cs_lead"].pk,
            "phase": phase.pk,
            "min_count": "1",
            "max_count": "3000000000",
            "revision": revision_of(design["organization"]),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "At most: Ensure this value is less than or equal to 100000." in body
    assert f'max="{limits.HEADCOUNT_LIMIT}"' in body
    assert database_snapshot() == before
    assert not HeadcountTarget.objects.filter(role=design["cs_lead"]).exists()


def test_an_800000_character_summary_is_a_400_with_the_reason(htmx, design):
    role = Role.objects.get(pk=design["cs_lead"].pk)
    before = database_snapshot()
    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, revision_of(design["organization"]), summary_en="x" * 800_000),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 10000 characters (it has 800000)." in (
        response.content.decode()
    )
    assert database_snapshot() == before


def test_a_too_long_line_is_a_400_naming_the_line_and_the_limit(htmx, design):
    role = Role.objects.get(pk=design["cs_lead"].pk)
    before = database_snapshot()
    data = role_post(role, revision_of(design["organization"]))
    data.update({"duties-id": [""], "duties-text_zh": ["长" * 2_001], "duties-text_en": [""]})
    response = htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 1: Text (Chinese): at most 2000 characters are allowed" in body
    assert database_snapshot() == before


def test_the_role_form_carries_the_limits(htmx, design):
    role = design["cs_lead"]
    role.duties.create(text_zh="回复咨询", order=1)
    body = htmx.get(f"/orgs/acme/edit/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    body = body.decode()
    assert 'maxlength="10000"' in body  # the summaries
    assert 'name="title_en"' in body and 'maxlength="200"' in body
    assert 'rows="2" maxlength="2000"' in body


def test_adding_a_role_past_the_organization_limit_is_a_400(htmx, design, monkeypatch):
    organization = design["organization"]
    monkeypatch.setattr(
        roles, "ROLES_PER_ORGANIZATION", Role.objects.filter(organization=organization).count()
    )
    before = database_snapshot()
    response = htmx.post(
        "/orgs/acme/edit/roles/add/",
        {
            "name": "售后专员",
            "manager": design["cs_lead"].pk,
            "department": design["service"].pk,
            "revision": revision_of(organization),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "An organization can have at most 4 roles." in response.content.decode()
    assert database_snapshot() == before
