from roles.models import Role
from roles.services import role_update
from tests.web.conftest import revision_of


def _post(htmx, role, revision, **overrides):
    data = {
        "title": "客服主管",
        "department": role.department_id,
        "level": "supervisor",
        "employment_type": "full-time",
        "hiring_priority": "2",
        "pay_structure": "base-bonus",
        "salary_min": "6000",
        "salary_max": "9000",
        "pay_note": "",
        "summary": "带领客服团队",
        "duties-id": [],
        "duties-text": [],
        "requirements-id": [],
        "requirements-kind": [],
        "requirements-text": [],
        "kpis-id": [],
        "kpis-text": [],
        "revision": revision,
    }
    data.update(overrides)
    return htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_saving_the_role_form_writes_fields_and_ordered_lines(htmx, design):
    role = design["cs_lead"]
    response = _post(
        htmx,
        role,
        revision_of(design["organization"]),
        **{
            "duties-id": ["", ""],
            "duties-text": ["处理投诉", "培训新人"],
            "requirements-id": [""],
            "requirements-kind": ["experience"],
            "requirements-text": ["两年客服经验"],
            "kpis-id": [""],
            "kpis-text": ["满意度 ≥ 95%"],
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
    assert role.summary_zh == "带领客服团队"
    assert [d.text_zh for d in role.duties.order_by("order")] == ["处理投诉", "培训新人"]
    requirements = [(r.kind, r.text_zh) for r in role.requirements.all()]
    assert requirements == [("experience", "两年客服经验")]
    assert [k.text_zh for k in role.kpis.all()] == ["满意度 ≥ 95%"]
    assert "处理投诉" in response.content.decode()  # the form shows what was saved


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
            "duties-text": ["培训新人", "处理投诉", "排班"],
        },
    )
    assert response.status_code == 200
    duties = [(d.text_zh, d.text_en) for d in Role.objects.get(pk=role.pk).duties.all()]
    assert duties == [
        ("培训新人", "Train newcomers"),
        ("处理投诉", "Handle complaints"),
        ("排班", ""),
    ]


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
        **{"duties-id": ["", ""], "duties-text": ["only one"]},
    )
    assert response.status_code == 400
    assert revision_of(design["organization"]) == before


def test_the_role_form_shows_the_current_lines(htmx, design):
    role = design["cs_lead"]
    role_update(role=role, kpis=[{"text_zh": "首次响应 30 秒内", "text_en": ""}])
    page = htmx.get(
        f"/orgs/acme/edit/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "首次响应 30 秒内" in page
    assert f"/orgs/acme/roles/{role.pk}/jd.pdf" in page


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
        **{"duties-id": [first.pk, second.pk], "duties-text": ["处理投诉", "培训所有新人"]},
    )
    assert response.status_code == 200
    duties = [(d.text_zh, d.text_en, d.origin) for d in Role.objects.get(pk=role.pk).duties.all()]
    assert duties == [
        ("处理投诉", "Handle complaints", "seed"),
        ("培训所有新人", "Train newcomers", "user"),
    ]
