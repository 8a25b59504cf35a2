"""Bad input to any editor endpoint is a message (400) or a 404, never a 500, and changes
nothing."""

import pytest

from tests.web.conftest import revision_of


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/orgs/acme/edit/departments/add/", {"name": "x", "parent": "abc"}),
        ("/orgs/acme/edit/departments/add/", {"name": "x" * 201}),
        ("/orgs/acme/edit/roles/add/", {"name": "x", "department": "abc"}),
        ("/orgs/acme/edit/roles/add/", {"name": "x", "department": ""}),
        ("/orgs/acme/edit/roles/add/", {"name": "x", "department": "999999"}),
        ("/orgs/acme/edit/departments/999999/rename/", {"name": "x"}),
        ("/orgs/acme/edit/roles/999999/delete/", {"children": "lift"}),
        ("/orgs/acme/edit/departments/999999/delete/", {"children": "maybe"}),
        ("/orgs/acme/edit/headcount/", {"role": "1", "phase": "abc", "min_count": "1"}),
        ("/orgs/acme/edit/headcount/", {"role": "999999", "phase": "1", "min_count": "1"}),
        ("/orgs/acme/edit/roles/999999/", {"title": "x"}),
    ],
)
def test_bad_input_is_refused_with_a_message(htmx, design, path, data):
    before = revision_of(design["organization"])
    response = htmx.post(path, {**data, "revision": before})
    assert response.status_code == 400, response.content[:500]
    assert response.content  # a message to show
    assert revision_of(design["organization"]) == before


def test_unknown_kinds_and_fragments_are_not_found(htmx, design):
    assert htmx.get("/orgs/acme/edit/people/1/rename/").status_code == 404
    assert htmx.get("/orgs/acme/edit/departments/add/?parent=abc").status_code == 400
    assert htmx.post("/orgs/nope/edit/move/", {"revision": "1"}).status_code == 404
