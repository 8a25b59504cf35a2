"""The editor's role form: fields, texts in both languages, ordered lines with a text per
language, one write per save."""

from roles.models import Role
from roles.services import role_update
from tests.factories import OrganizationFactory, RoleFactory
from tests.web.conftest import revision_of


def role_post(role, revision, **overrides):
    """What the role form posts for `role` unchanged (both languages of every text), with
    `overrides` on top."""
    data = {
        "title_zh": role.title_zh,
        "title_en": role.title_en,
        "summary_zh": role.summary_zh,
        "summary_en": role.summary_en,
        "pay_note_zh": role.pay_note_zh,
        "pay_note_en": role.pay_note_en,
        "department": role.department_id,
        "level": role.level,
        "employment_type": role.employment_type,
        "hiring_priority": role.hiring_priority or "",
        "pay_structure": role.pay_structure,
        "salary_min": "" if role.salary_min is None else role.salary_min,
        "salary_max": "" if role.salary_max is None else role.salary_max,
        "combinable_with": [other.pk for other in role.combinable_with.all()],
        "revision": revision,
    }
    if role.key_position:  # a checkbox posts only when ticked
        data["key_position"] = "on"
    for prefix in ("duties", "requirements", "kpis"):
        lines = list(getattr(role, prefix).order_by("order", "id"))
        data[f"{prefix}-id"] = [line.pk for line in lines]
        data[f"{prefix}-text_zh"] = [line.text_zh for line in lines]
        data[f"{prefix}-text_en"] = [line.text_en for line in lines]
        if prefix == "requirements":
            data["requirements-kind"] = [line.kind for line in lines]
            data["requirements-preferred"] = ["1" if line.preferred else "" for line in lines]
    data.update(overrides)
    return data


def _post(htmx, role, revision, language="zh-hans", **overrides):
    role = Role.objects.get(pk=role.pk)
    return htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, revision, **overrides),
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_saving_the_role_form_writes_fields_and_ordered_lines(htmx, design):
    role = design["cs_lead"]
    response = _post(
        htmx,
        role,
        revision_of(design["organization"]),
        level="supervisor",
        hiring_priority="2",
        pay_structure="base-bonus",
        salary_min="6000",
        salary_max="9000",
        summary_zh="带领客服团队",
        **{
            "duties-id": ["", ""],
            "duties-text_zh": ["处理投诉", "培训新人"],
            "duties-text_en": ["Handle complaints", ""],
            "requirements-id": [""],
            "requirements-kind": ["experience"],
            "requirements-preferred": [""],
            "requirements-text_zh": ["两年客服经验"],
            "requirements-text_en": [""],
            "kpis-id": [""],
            "kpis-text_zh": ["满意度 ≥ 95%"],
            "kpis-text_en": ["Satisfaction ≥ 95%"],
        },
    )
    assert response.status_code == 200
    role = Role.objects.get(pk=role.pk)
    assert (role.level, role.hiring_priority, role.salary_min, role.salary_max) == (
        "supervisor",
        2,
        6000,
        9000,
    )
    assert (role.summary_zh, role.summary_en) == ("带领客服团队", "")
    assert [(d.text_zh, d.text_en) for d in role.duties.order_by("order")] == [
        ("处理投诉", "Handle complaints"),
        ("培训新人", ""),
    ]
    requirements = [(r.kind, r.text_zh) for r in role.requirements.all()]
    assert requirements == [("experience", "两年客服经验")]
    assert [(k.text_zh, k.text_en) for k in role.kpis.all()] == [
        ("满意度 ≥ 95%", "Satisfaction ≥ 95%")
    ]
    page = response.content.decode()
    assert "处理投诉" in page and "Handle complaints" in page  # the form shows what was saved


def test_the_form_shows_both_languages_of_each_text_and_line(htmx, design):
    role = design["cs_lead"]
    role_update(
        role=role,
        summary_en="Leads the service team",
        kpis=[{"text_zh": "首次响应 30 秒内", "text_en": ""}],
    )
    page = htmx.get(
        f"/orgs/acme/edit/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'name="title_zh"' in page and 'value="客服主管"' in page
    assert 'name="title_en"' in page and 'value="Customer Service Lead"' in page
    assert 'name="kpis-text_zh"' in page and 'name="kpis-text_en"' in page
    assert "首次响应 30 秒内" in page
    # The summary has only English, the KPI only Chinese: both missing halves are marked.
    assert page.count('class="untranslated-note"') == 2
    assert f"/orgs/acme/roles/{role.pk}/jd.pdf" in page


def test_reordering_keeps_each_lines_other_language(htmx, design):
    role = design["cs_lead"]
    role_update(
        role=role,
        duties=[
            {"text_zh": "处理投诉", "text_en": "Handle complaints"},
            {"text_zh": "培训新人", "text_en": "Train newcomers"},
        ],
    )
    first, second = role.duties.order_by("order")
    response = _post(
        htmx,
        role,
        revision_of(design["organization"]),
        **{
            "duties-id": [second.pk, first.pk, ""],
            "duties-text_zh": ["培训新人", "处理投诉", "排班"],
            "duties-text_en": ["Train newcomers", "Handle complaints", ""],
        },
    )
    assert response.status_code == 200
    duties = [(d.text_zh, d.text_en) for d in Role.objects.get(pk=role.pk).duties.all()]
    assert duties == [
        ("培训新人", "Train newcomers"),
        ("处理投诉", "Handle complaints"),
        ("排班", ""),
    ]


def test_a_line_emptied_in_both_languages_is_removed(htmx, design):
    role = design["cs_lead"]
    role_update(role=role, kpis=[{"text_zh": "满意度", "text_en": "Satisfaction"}])
    kpi = role.kpis.get()
    response = _post(
        htmx,
        role,
        revision_of(design["organization"]),
        **{"kpis-id": [kpi.pk], "kpis-text_zh": [""], "kpis-text_en": ["  "]},
    )
    assert response.status_code == 200
    assert not Role.objects.get(pk=role.pk).kpis.exists()


def test_a_title_in_neither_language_is_refused(htmx, design):
    role = design["cs_lead"]
    before = revision_of(design["organization"])
    response = _post(htmx, role, before, title_zh="", title_en=" ")
    assert response.status_code == 400
    assert "至少用一种语言填写" in response.content.decode() or "field-errors" in (
        response.content.decode()
    )
    assert revision_of(design["organization"]) == before
    assert Role.objects.get(pk=role.pk).title_zh == "客服主管"


def test_a_title_longer_than_the_column_is_refused_with_the_models_limit(htmx, design):
    role = design["cs_lead"]
    before = revision_of(design["organization"])
    limit = Role._meta.get_field("title_en").max_length
    response = _post(htmx, role, before, language="en", title_en="x" * (limit + 1))
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert revision_of(design["organization"]) == before


def test_an_inverted_salary_band_is_refused_and_nothing_changes(htmx, design):
    role = design["cs_lead"]
    before = revision_of(design["organization"])
    response = _post(htmx, role, before, salary_min="9000", salary_max="6000")
    assert response.status_code == 400
    assert "field-errors" in response.content.decode()
    assert 'hx-swap-oob="innerHTML"' in response.content.decode()  # summary in the alert
    assert revision_of(design["organization"]) == before
    assert Role.objects.get(pk=role.pk).salary_min is None


def test_garbled_line_lists_are_refused(htmx, design):
    before = revision_of(design["organization"])
    response = _post(
        htmx,
        design["cs_lead"],
        before,
        **{"duties-id": ["", ""], "duties-text_zh": ["only one", ""], "duties-text_en": ["x"]},
    )
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before


def test_the_saved_form_carries_the_revision_the_save_left(htmx, design):
    before = revision_of(design["organization"])
    response = _post(htmx, design["cs_lead"], before)
    assert response.status_code == 200
    after = revision_of(design["organization"])
    assert after == before + 1
    assert f'name="revision" value="{after}"' in response.content.decode()
    assert response["X-TeamOrg-Revision"] == str(after)


def test_an_unchanged_line_keeps_its_origin_and_an_edited_one_becomes_the_users(htmx, design):
    role = design["cs_lead"]
    role_update(
        role=role,
        duties=[
            {"text_zh": "处理投诉", "text_en": "Handle complaints", "origin": "seed"},
            {"text_zh": "培训新人", "text_en": "Train newcomers", "origin": "seed"},
        ],
    )
    first, second = role.duties.order_by("order")
    response = _post(
        htmx,
        role,
        revision_of(design["organization"]),
        **{
            "duties-id": [first.pk, second.pk],
            "duties-text_zh": ["处理投诉", "培训所有新人"],
            "duties-text_en": ["Handle complaints", "Train every newcomer"],
        },
    )
    assert response.status_code == 200
    duties = [(d.text_zh, d.text_en, d.origin) for d in Role.objects.get(pk=role.pk).duties.all()]
    assert duties == [
        ("处理投诉", "Handle complaints", "seed"),
        ("培训所有新人", "Train every newcomer", "user"),
    ]


def test_any_role_of_the_organization_opens_its_form_and_another_organizations_is_404(
    htmx, design, other_user
):
    for key in ("ceo", "director", "cs_lead", "marketing"):
        response = htmx.get(f"/orgs/acme/edit/roles/{design[key].pk}/")
        assert response.status_code == 200, key
        assert 'id="role-form"' in response.content.decode()
    foreign = RoleFactory(department__organization=OrganizationFactory(owner=other_user))
    assert htmx.get(f"/orgs/acme/edit/roles/{foreign.pk}/").status_code == 404


def test_the_form_works_without_javascript(signed_in, design):
    role = Role.objects.get(pk=design["cs_lead"].pk)
    page = signed_in.get(f"/orgs/acme/edit/roles/{role.pk}/").content.decode()
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    data = role_post(role, revision_of(design["organization"]), title_en="Support Lead")
    response = signed_in.post(f"/orgs/acme/edit/roles/{role.pk}/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/orgs/acme/edit/"
    assert Role.objects.get(pk=role.pk).title_en == "Support Lead"
    # The one-language warning comes as a message on the editor page.
    assert "客服主管" in " ".join(str(m) for m in response.context["messages"])
