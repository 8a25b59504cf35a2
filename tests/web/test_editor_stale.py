"""Stale writes in the editor. A write made on an older revision goes through unless it
changes a field that someone changed since; then nothing is saved, the message names the field
once, with both values and who changed it (the same user in another tab is told so), and a
refused role or department form comes back with what the user typed."""

import json

from departments import services
from departments.models import Department
from roles.models import Role
from roles.services import role_update
from tests.web.conftest import revision_of
from tests.web.test_editor_role_form import role_post


def test_a_rename_of_a_field_changed_since_is_refused_and_overwrites_nothing(htmx, design):
    org = design["organization"]
    seen = revision_of(org)
    # Someone else renames the department in between.
    services.department_update(department=design["service"], name_zh="售后服务部")

    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name_zh": "客户服务部", "revision": seen},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#editor-alert"
    body = response.content.decode()
    assert "Not saved: the same thing was changed since this page was loaded." in body
    assert "changed it to «售后服务部»" in body and "yours: «客户服务部»" in body
    assert body.count("Not saved") == 1  # said once
    assert 'href="/orgs/acme/edit/"' in body  # the reload button
    assert Department.objects.get(pk=design["service"].pk).name_zh == "售后服务部"


def test_a_stale_write_of_another_field_goes_through(htmx, design):
    org = design["organization"]
    seen = revision_of(org)
    services.organization_update(organization=org, description_en="changed elsewhere")
    response = htmx.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name_zh": "客户服务部", "revision": seen},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert Department.objects.get(pk=design["service"].pk).name_zh == "客户服务部"


def test_without_htmx_a_conflicting_write_redirects_with_the_message(signed_in, design):
    org = design["organization"]
    seen = revision_of(org)
    services.department_update(department=design["service"], name_zh="售后服务部")
    response = signed_in.post(
        f"/orgs/acme/edit/departments/{design['service'].pk}/rename/",
        {"name_zh": "客户服务部", "revision": seen},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "changed" in response.content.decode() and "revision" in response.content.decode()
    assert Department.objects.get(pk=design["service"].pk).name_zh == "售后服务部"


def test_a_role_form_in_conflict_comes_back_as_typed_and_saves_on_the_second_try(htmx, design):
    role = design["cs_lead"]
    seen = revision_of(design["organization"])
    # The same user, in another tab (the same client: the same person).
    tab = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, seen, title_zh="客服经理"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert tab.status_code == 200
    theirs = revision_of(design["organization"])

    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, seen, title_zh="客服组长", summary_zh="带领客服团队"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "data-conflict" in body
    assert (
        f"Title (Chinese): you, in another tab changed it to «客服经理» (revision {theirs}) — "
        "yours: «客服组长»" in body
    )
    assert "Someone else" not in body
    # What the user typed is still in the form, and the form is made on the current revision.
    assert 'value="客服组长"' in body and "带领客服团队" in body
    assert f'name="revision" value="{theirs}"' in body
    assert "Save mine (keep what I typed)" in body
    assert f'hx-get="/orgs/acme/edit/roles/{role.pk}/"' in body  # take theirs
    changed = json.loads(response["HX-Trigger"])["teamorg:design-changed"]
    assert changed["revision"] == theirs
    # The chart's phase menu follows the design as it is now (roles.editor.responses).
    phases = design["organization"].phases.order_by("order")
    assert [phase["id"] for phase in changed["phases"]] == [phase.pk for phase in phases]
    assert revision_of(design["organization"]) == theirs  # nothing saved

    again = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, theirs, title_zh="客服组长", summary_zh="带领客服团队"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 200
    role = Role.objects.get(pk=role.pk)
    assert (role.title_zh, role.summary_zh) == ("客服组长", "带领客服团队")


def test_a_role_form_conflict_names_the_colleague(htmx, design, other_user):
    role = design["cs_lead"]
    seen = revision_of(design["organization"])
    role_update(role=Role.objects.get(pk=role.pk), title_zh="客服经理")
    response = htmx.post(
        f"/orgs/acme/edit/roles/{role.pk}/",
        role_post(role, seen, title_zh="客服组长"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "someone else changed it to «客服经理»" in body
    assert "you, in another tab" not in body
    assert Role.objects.get(pk=role.pk).title_zh == "客服经理"


def test_a_department_form_in_conflict_comes_back_as_typed(htmx, design):
    department = design["service"]
    seen = revision_of(design["organization"])
    services.department_update(department=department, name_zh="售后服务部")
    now = revision_of(design["organization"])
    data = {
        "revision": seen,
        "name_zh": "客户服务部",
        "name_en": department.name_en,
        "summary_zh": "处理售后",
        "summary_en": "",
        "functions_zh": "",
        "functions_en": "",
        "function_group": "",
    }
    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/", data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "«售后服务部»" in body and "yours: «客户服务部»" in body
    assert 'value="客户服务部"' in body and "处理售后" in body
    assert f'name="revision" value="{now}"' in body
    assert Department.objects.get(pk=department.pk).name_zh == "售后服务部"

    response = htmx.post(
        f"/orgs/acme/edit/departments/{department.pk}/",
        {**data, "revision": now},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert Department.objects.get(pk=department.pk).name_zh == "客户服务部"
