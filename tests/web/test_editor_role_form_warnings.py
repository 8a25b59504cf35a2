"""After saving, the role form says what deserves a second look: a text changed in one
language while the other kept its old wording, and a title a sibling role already has. And the
一人多职 choices: only the organization's other roles, saved with the form."""

from django.utils import translation

from roles.models import Role
from roles.services import role_update
from tests.factories import OrganizationFactory, RoleFactory
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


def _save(htmx, role, language="en", **overrides):
    role = Role.objects.get(pk=role.pk)
    data = role_post(role, revision_of(role.organization), **overrides)
    return htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE=language)


def _warnings(response) -> str:
    page = response.content.decode()
    assert response.status_code == 200, page
    if 'class="saved-warnings"' not in page:
        return ""
    return page.split('class="saved-warnings"', 1)[1].split("</ul>", 1)[0]


def test_renaming_in_english_only_saves_and_names_the_unchanged_chinese_title(htmx, design):
    response = _save(htmx, design["cs_lead"], title_en="Customer Support Agent")
    role = Role.objects.get(pk=design["cs_lead"].pk)
    assert (role.title_zh, role.title_en) == ("客服主管", "Customer Support Agent")
    warnings = _warnings(response)
    assert "Only the English title was changed" in warnings
    assert "客服主管" in warnings
    # Both languages stay visible in the form that comes back.
    page = response.content.decode()
    assert 'value="客服主管"' in page and 'value="Customer Support Agent"' in page


def test_a_line_changed_in_one_language_is_counted_in_the_warning(htmx, design):
    role = role_update(
        role=design["cs_lead"], kpis=[{"text_zh": "满意度", "text_en": "Satisfaction"}]
    )
    kpi = role.kpis.get()
    response = _save(
        htmx,
        role,
        language="zh-hans",
        **{"kpis-id": [kpi.pk], "kpis-text_zh": ["满意度 ≥ 95%"], "kpis-text_en": ["Satisfaction"]},
    )
    with translation.override("zh-hans"):
        expected = translation.ngettext(
            "%(kind)s: %(count)s line was changed in %(changed)s only; its %(unchanged)s text "
            "was left as it was.",
            "%(kind)s: %(count)s lines were changed in %(changed)s only; their %(unchanged)s "
            "text was left as it was.",
            1,
        ) % {
            "kind": translation.gettext("KPIs"),
            "count": 1,
            "changed": translation.gettext("Chinese"),
            "unchanged": translation.gettext("English"),
        }
    assert expected in _warnings(response).replace("&#x27;", "'")


def test_changing_both_languages_gives_no_warning(htmx, design):
    response = _save(
        htmx, design["cs_lead"], title_zh="客服经理", title_en="Customer Service Manager"
    )
    assert _warnings(response) == ""
    assert Role.objects.get(pk=design["cs_lead"].pk).title_zh == "客服经理"


def test_adding_a_missing_translation_gives_no_warning(htmx, design):
    Role.objects.filter(pk=design["cs_lead"].pk).update(title_en="", summary_zh="负责客服团队")
    response = _save(htmx, design["cs_lead"], title_en="Customer Service Lead", summary_en="Leads")
    assert _warnings(response) == ""
    role = Role.objects.get(pk=design["cs_lead"].pk)
    assert (role.title_en, role.summary_en) == ("Customer Service Lead", "Leads")


def test_a_title_a_sibling_already_has_is_saved_with_a_warning_naming_it(htmx, design):
    # The marketing director and the operations director both report to the CEO.
    response = _save(htmx, design["director"], title_zh="市场总监", title_en="Marketing Director")
    assert Role.objects.get(pk=design["director"].pk).title_en == "Marketing Director"
    warnings = _warnings(response)
    assert "Another role with the same manager has this title" in warnings
    assert "“Marketing Director” in" in warnings
    assert design["operations"].name_en in warnings or design["operations"].name_zh in warnings


def test_a_title_shared_with_a_role_under_another_manager_is_no_warning(htmx, design):
    response = _save(htmx, design["cs_lead"], title_zh="市场总监", title_en="Marketing Director")
    assert "same manager" not in _warnings(response)


def test_without_htmx_the_warning_comes_as_a_message(signed_in, design):
    role = Role.objects.get(pk=design["director"].pk)
    data = role_post(role, revision_of(role.organization), title_en="Marketing Director")
    response = signed_in.post(
        f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    texts = [str(message) for message in response.context["messages"]]
    assert any("same manager" in text for text in texts)


def test_the_combination_choices_offer_only_the_organizations_other_roles(htmx, design, user):
    foreign = RoleFactory(
        department__organization=OrganizationFactory(owner=user), title_zh="外部岗位"
    )
    page = htmx.get(
        f"/orgs/acme/edit/roles/{design['cs_lead'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    offered = page.count('name="combinable_with"')
    assert offered == 3  # CEO, director, marketing: not itself, not the other organization's
    assert f'name="combinable_with" value="{foreign.pk}"' not in page
    assert f'name="combinable_with" value="{design["cs_lead"].pk}"' not in page


def test_combinations_are_saved_and_both_sides_show_them(htmx, design):
    lead, marketing = design["cs_lead"], design["marketing"]
    response = _save(htmx, lead, combinable_with=[marketing.pk])
    assert response.status_code == 200
    assert list(Role.objects.get(pk=lead.pk).combinable_with.all()) == [marketing]
    assert list(Role.objects.get(pk=marketing.pk).combinable_with.all()) == [lead]  # symmetric
    page = htmx.get(f"/orgs/acme/edit/roles/{marketing.pk}/").content.decode()
    assert f'value="{lead.pk}" checked' in page
    # Unticking everything clears them.
    _save(htmx, lead, combinable_with=[])
    assert not Role.objects.get(pk=lead.pk).combinable_with.exists()


def test_another_organizations_role_posted_as_a_combination_is_refused(htmx, design, user):
    foreign_org = OrganizationFactory(owner=user)
    foreign = RoleFactory(department__organization=foreign_org)
    before = revision_of(design["organization"])
    response = _save(htmx, design["cs_lead"], combinable_with=[foreign.pk])
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before
    assert not Role.objects.get(pk=design["cs_lead"].pk).combinable_with.exists()
