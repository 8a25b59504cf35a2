"""The role form's requirement lines say whether each is required or preferred (优先): shown as
saved, saved as posted, kept with the line when it moves, and a post that lacks the marks (a
page older than them) refused with nothing changed."""

import re

from roles.models import Role
from roles.services import role_update
from tests.snapshots import database_snapshot
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


def with_requirements(role):
    return role_update(
        role=role,
        requirements=[
            {"kind": "education", "text_zh": "大专以上学历", "text_en": "Associate degree"},
            {
                "kind": "experience",
                "text_zh": "有淘宝经验者优先",
                "text_en": "Taobao experience preferred",
                "preferred": True,
                "origin": "seed",
                "source_note": "000 客服代表",
            },
        ],
    )


def post(htmx, role, **overrides):
    role = Role.objects.get(pk=role.pk)
    return htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, revision_of(role.organization), **overrides),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def marks(role):
    return [
        (line.text_zh, line.preferred, line.origin)
        for line in Role.objects.get(pk=role.pk).requirements.all()
    ]


def selected_needs(page: str) -> list[str]:
    """The option chosen in each line's required-or-preferred select, in order."""
    selects = re.findall(r'<select name="requirements-preferred".*?</select>', page, re.S)
    return [re.search(r"<option value=\"1?\" selected>(.*?)</option>", s)[1] for s in selects]


def test_the_form_shows_each_line_as_saved(htmx, design):
    role = with_requirements(design["cs_lead"])
    page = htmx.get(f"/orgs/acme/edit/roles/{role.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # the two saved lines (the blank line's template is last and required)
    assert selected_needs(page) == ["Required", "Preferred", "Required"]
    assert 'aria-label="Required or preferred: Requirement 2"' in page


def test_a_mark_is_saved_as_posted_and_moves_with_its_line(htmx, design):
    role = with_requirements(design["cs_lead"])
    degree, taobao = role.requirements.order_by("order")
    response = post(
        htmx,
        role,
        **{
            "requirements-id": [taobao.pk, degree.pk],
            "requirements-kind": ["experience", "education"],
            "requirements-preferred": ["", "1"],
            "requirements-text_zh": [taobao.text_zh, degree.text_zh],
            "requirements-text_en": [taobao.text_en, degree.text_en],
        },
    )
    assert response.status_code == 200
    # the seed line made required keeps its origin: its text is still the article's
    assert marks(role) == [("有淘宝经验者优先", False, "seed"), ("大专以上学历", True, "user")]
    assert selected_needs(response.content.decode())[:2] == ["Required", "Preferred"]


def test_a_new_line_can_be_preferred(htmx, design):
    role = design["cs_lead"]
    response = post(
        htmx,
        role,
        **{
            "requirements-id": [""],
            "requirements-kind": ["skill"],
            "requirements-preferred": ["1"],
            "requirements-text_zh": ["会用千牛者优先"],
            "requirements-text_en": ["Qianniu preferred"],
        },
    )
    assert response.status_code == 200
    assert marks(role) == [("会用千牛者优先", True, "user")]


def test_a_post_without_the_marks_is_refused_with_nothing_changed(htmx, design):
    role = with_requirements(design["cs_lead"])
    before = database_snapshot()
    data = role_post(Role.objects.get(pk=role.pk), revision_of(role.organization))
    del data["requirements-preferred"]
    response = htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert database_snapshot() == before


def test_a_mark_that_is_neither_is_refused(htmx, design):
    role = with_requirements(design["cs_lead"])
    before = database_snapshot()
    response = post(htmx, role, **{"requirements-preferred": ["", "yes"]})
    assert response.status_code == 400
    assert database_snapshot() == before
