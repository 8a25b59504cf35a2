from roles.models import HEADCOUNT_LIMIT, HeadcountTarget
from tests.web.conftest import revision_of


def _cell(htmx, design, low, high, revision=None):
    phase = design["organization"].phases.order_by("order").first()
    return phase, htmx.post(
        "/orgs/acme/edit/headcount/",
        {
            "role": design["cs_lead"].pk,
            "phase": phase.pk,
            "min_count": low,
            "max_count": high,
            "revision": revision or revision_of(design["organization"]),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_setting_a_head_count_range(htmx, design):
    phase, response = _cell(htmx, design, "8", "10")
    assert response.status_code == 200
    target = HeadcountTarget.objects.get(role=design["cs_lead"], phase=phase)
    assert (target.min_count, target.max_count) == (8, 10)
    body = response.content.decode()
    assert 'value="8"' in body and 'value="10"' in body
    assert f'id="hc-total-{phase.pk}" hx-swap-oob="true">8–10<' in body
    assert "teamorg:design-changed" in response["HX-Trigger"]


def test_min_above_max_is_refused(htmx, design):
    before = revision_of(design["organization"])
    phase, response = _cell(htmx, design, "5", "2")
    assert response.status_code == 400
    assert "above the maximum" in response.content.decode()
    assert not HeadcountTarget.objects.filter(role=design["cs_lead"], phase=phase).exists()
    assert revision_of(design["organization"]) == before


def test_negative_counts_are_refused(htmx, design):
    phase, response = _cell(htmx, design, "-1", "2")
    assert response.status_code == 400
    assert not HeadcountTarget.objects.filter(role=design["cs_lead"], phase=phase).exists()


def test_emptying_a_cell_removes_the_target_and_keeps_the_others(htmx, design):
    phases = list(design["organization"].phases.order_by("order"))
    _cell(htmx, design, "3", "4")
    htmx.post(
        "/orgs/acme/edit/headcount/",
        {
            "role": design["cs_lead"].pk,
            "phase": phases[1].pk,
            "min_count": "5",
            "max_count": "",
            "revision": revision_of(design["organization"]),
        },
    )
    phase, response = _cell(htmx, design, "", "")
    assert response.status_code == 200
    remaining = HeadcountTarget.objects.filter(role=design["cs_lead"])
    assert [(t.phase_id, t.min_count, t.max_count) for t in remaining] == [(phases[1].pk, 5, 5)]


def test_the_saved_cell_carries_the_revision_the_save_left(htmx, design):
    before = revision_of(design["organization"])
    _phase, response = _cell(htmx, design, "2", "3", revision=before)
    after = revision_of(design["organization"])
    assert after == before + 1
    assert f'name="revision" value="{after}"' in response.content.decode()
    assert response["X-TeamOrg-Revision"] == str(after)


def test_a_refused_cell_answers_with_the_saved_value_and_the_reason(htmx, design):
    _cell(htmx, design, "3", "3")
    phase, response = _cell(htmx, design, "3", "1")
    assert response.status_code == 400
    body = response.content.decode()
    cell_id = f'id="hc-cell-{design["cs_lead"].pk}-{phase.pk}" hx-swap-oob="true"'
    assert cell_id in body
    assert 'data-saved-min="3" data-saved-max="3"' in body
    assert 'name="max_count" value="3"' in body  # the saved value, not the typed 1
    assert 'aria-invalid="true"' in body and "above the maximum" in body
    target = HeadcountTarget.objects.get(role=design["cs_lead"], phase=phase)
    assert (target.min_count, target.max_count) == (3, 3)


def test_a_malformed_number_answers_with_the_saved_cell(htmx, design):
    phase, response = _cell(htmx, design, "-1", "2")
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="hc-cell-{design["cs_lead"].pk}-{phase.pk}"' in body
    assert 'data-saved-min="" data-saved-max=""' in body


def test_a_save_never_fills_the_other_bound_in_the_inputs_sent_back(htmx, design):
    """Only "at least" typed means exactly that many; the answer shows the saved 2–2, and the
    grid's script swaps it in only if the user has not typed into the cell since."""
    phase, response = _cell(htmx, design, "2", "")
    body = response.content.decode()
    assert 'data-saved-min="2" data-saved-max="2"' in body
    assert 'hx-swap="none"' in body and 'hx-trigger="hc-commit, submit"' in body


def test_a_count_above_the_shared_limit_is_refused(htmx, design):
    phase, response = _cell(htmx, design, "1", str(HEADCOUNT_LIMIT + 1))
    assert response.status_code == 400
    assert f'max="{HEADCOUNT_LIMIT}"' in response.content.decode()
    assert not HeadcountTarget.objects.filter(role=design["cs_lead"], phase=phase).exists()
