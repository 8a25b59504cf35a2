"""The role form's key position (关键岗位, issue 20): a checkbox labelled and explained as the
model field is, ticked as saved, saved exactly as posted (a checkbox left unticked posts
nothing and clears it)."""

from django.utils import translation

from roles.models import Role
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


def _form(htmx, role, language="en") -> str:
    response = htmx.get(f"/orgs/acme/edit/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _save(htmx, role, revision, **overrides):
    role = Role.objects.get(pk=role.pk)
    data = role_post(role, revision, **overrides)
    if overrides.get("key_position") is None:
        data.pop("key_position", None)
    return htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_form_offers_key_position_with_the_model_fields_help_text(htmx, design):
    role = design["cs_lead"]
    html = _form(htmx, role)
    with translation.override("en"):
        help_text = str(Role._meta.get_field("key_position").help_text)
    assert 'type="checkbox" name="key_position"' in html
    assert 'aria-describedby="id_key_position_helptext"' in html
    assert f'<small class="help" id="id_key_position_helptext">{help_text}</small>' in html
    assert 'id="id_key_position"> Key position</label>' in html
    assert 'name="key_position" id="id_key_position" checked' not in html


def test_ticking_and_unticking_saves_exactly_that(htmx, design):
    role = design["cs_lead"]
    organization = design["organization"]
    response = _save(htmx, role, revision_of(organization), key_position="on")
    assert response.status_code == 200, response.content
    assert Role.objects.get(pk=role.pk).key_position is True
    assert "checked" in _form(htmx, role).split('name="key_position"', 1)[1].split(">", 1)[0]
    # Saving the form again with the box still ticked changes nothing else and keeps it.
    before = Role.objects.filter(pk=role.pk).values().get()
    _save(htmx, role, revision_of(organization), key_position="on")
    after = Role.objects.filter(pk=role.pk).values().get()
    assert {k: v for k, v in after.items() if before[k] != v} == {}
    # Unticked: the browser posts no key_position at all.
    response = _save(htmx, role, revision_of(organization))
    assert response.status_code == 200
    assert Role.objects.get(pk=role.pk).key_position is False
    # Another role is left alone.
    assert not Role.objects.filter(organization=organization, key_position=True).exists()
