"""Issue 17, item 4: ids from user input are parsed strictly (ASCII digits, bounded) in the
editor's role form as in the API and the compare page: `duties-id=²` or a 5,000-digit id is a 400
with a message, and nothing changes (it was a 500, then silently a new line)."""

import pytest

from roles.models import Duty
from tests.snapshots import database_snapshot as snapshot
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


@pytest.mark.parametrize("bad", ["²", "١٢", "9" * 5000, "-1", "1.5"])
def test_a_malformed_line_id_in_the_role_form_is_a_400_and_changes_nothing(htmx, design, bad):
    role = design["cs_lead"]
    before = snapshot()
    data = role_post(
        role,
        revision_of(design["organization"]),
        **{"duties-id": [bad], "duties-text_zh": ["处理投诉"], "duties-text_en": [""]},
    )
    response = htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content[:300]
    assert b"line" in response.content.lower()
    assert snapshot() == before
    assert not Duty.objects.filter(role=role).exists()


def test_a_blank_line_id_is_still_a_new_line(htmx, design):
    role = design["cs_lead"]
    data = role_post(
        role,
        revision_of(design["organization"]),
        **{"duties-id": [""], "duties-text_zh": ["处理投诉"], "duties-text_en": [""]},
    )
    assert htmx.post(f"/orgs/acme/edit/roles/{role.pk}/", data).status_code == 200
    assert list(Duty.objects.filter(role=role).values_list("text_zh", flat=True)) == ["处理投诉"]
