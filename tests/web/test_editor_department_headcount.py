"""The editor's department form edits a department's head count per phase (部门定编): one
at-least / at-most pair per phase, saved together with the form as the user left them, shown
beside the sum of its roles (issue 20)."""

from departments.models import DepartmentHeadcount, Organization
from tests.web.conftest import revision_of

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def form_data(department, organization, **headcount):
    data = {
        "name_zh": department.name_zh,
        "name_en": department.name_en,
        "summary_zh": "",
        "summary_en": "",
        "functions_zh": "",
        "functions_en": "",
        "function_group": "",
        "revision": revision_of(organization),
    }
    data.update({key: str(value) for key, value in headcount.items()})
    return data


def counts(department) -> dict[int, tuple[int, int]]:
    return {
        t.phase.order: (t.min_count, t.max_count)
        for t in DepartmentHeadcount.objects.filter(department=department)
    }


def test_the_form_shows_a_pair_per_phase_beside_the_roles_sum(htmx, design):
    organization, service = design["organization"], design["service"]
    page = htmx.get(f"/orgs/acme/edit/departments/{service.pk}/", **EN).content.decode()
    for phase in organization.phases.all():
        assert f'name="headcount_min_{phase.pk}"' in page
        assert f'name="headcount_max_{phase.pk}"' in page
    assert "Department head count per phase" in page
    assert "Its roles" in page


def test_saving_writes_both_numbers_as_typed(htmx, design):
    organization, service = design["organization"], design["service"]
    launch, growth, mature = organization.phases.order_by("order")
    url = f"/orgs/acme/edit/departments/{service.pk}/"
    data = form_data(
        service,
        organization,
        **{
            f"headcount_min_{launch.pk}": 7,
            f"headcount_max_{launch.pk}": 7,
            f"headcount_min_{growth.pk}": 17,
            f"headcount_max_{growth.pk}": 20,
            f"headcount_min_{mature.pk}": "",
            f"headcount_max_{mature.pk}": "",
        },
    )
    response = htmx.post(url, data, **EN)
    assert response.status_code == 200
    assert counts(service) == {1: (7, 7), 2: (17, 20)}
    # The panel comes back with the saved values in the inputs.
    page = response.content.decode()
    assert f'name="headcount_max_{growth.pk}" id="id_headcount_max_{growth.pk}" value="20"' in page
    # Posting the form again unchanged writes nothing.
    before = revision_of(organization)
    rows = list(DepartmentHeadcount.objects.values_list("pk", "min_count", "max_count"))
    data["revision"] = before
    assert htmx.post(url, data, **EN).status_code == 200
    assert list(DepartmentHeadcount.objects.values_list("pk", "min_count", "max_count")) == rows
    # Only "at least": exactly that many; emptied: no head count in that phase.
    data.update({f"headcount_max_{growth.pk}": "", f"headcount_min_{launch.pk}": ""})
    data.update({f"headcount_max_{launch.pk}": "", "revision": revision_of(organization)})
    assert htmx.post(url, data, **EN).status_code == 200
    assert counts(service) == {2: (17, 17)}


def test_min_above_max_is_refused_and_nothing_changes(htmx, design):
    organization, service = design["organization"], design["service"]
    launch = organization.phases.order_by("order").first()
    url = f"/orgs/acme/edit/departments/{service.pk}/"
    before = revision_of(organization)
    data = form_data(
        service,
        organization,
        **{f"headcount_min_{launch.pk}": 5, f"headcount_max_{launch.pk}": 3},
    )
    response = htmx.post(url, data, **EN)
    assert response.status_code == 400
    assert "the minimum 5 is above the maximum 3" in response.content.decode()
    assert counts(service) == {}
    assert Organization.objects.get(pk=organization.pk).revision == before
    data[f"headcount_min_{launch.pk}"] = "-1"
    assert htmx.post(url, data, **EN).status_code == 400
    assert counts(service) == {}


def test_a_phase_not_on_the_saved_page_keeps_its_head_count(htmx, design):
    organization, service = design["organization"], design["service"]
    launch, growth, _mature = organization.phases.order_by("order")
    url = f"/orgs/acme/edit/departments/{service.pk}/"
    data = form_data(
        service,
        organization,
        **{f"headcount_min_{launch.pk}": 3, f"headcount_min_{growth.pk}": 8},
    )
    assert htmx.post(url, data, **EN).status_code == 200
    assert counts(service) == {1: (3, 3), 2: (8, 8)}
    # A form without the growth phase's inputs (opened before that phase existed) leaves it.
    data = form_data(service, organization, **{f"headcount_min_{launch.pk}": 4})
    assert htmx.post(url, data, **EN).status_code == 200
    assert counts(service) == {1: (4, 4), 2: (8, 8)}
    # A form without any head-count input changes none.
    assert htmx.post(url, form_data(service, organization), **EN).status_code == 200
    assert counts(service) == {1: (4, 4), 2: (8, 8)}
