"""Phase, root and depth options; malformed options and an unknown phase get a clear 400, a root
that is not a node of the organization a 404 (as a missing document does), never a 500."""

import pytest

from departments.models import Department
from roles.models import Role
from tests.charts.helpers import chinese, node_groups, parse_svg, text_of
from tests.factories import OrganizationFactory, department_path, role_chain


def svg(client, **params):
    response = client.get("/orgs/acme/chart.svg", params)
    assert response.status_code == 200, response.content
    return parse_svg(response.content)


def test_phase_changes_the_head_count(signed_in, shop):
    first, second = shop.phases.order_by("order")[:2]
    agent = Role.objects.get(organization=shop, title_zh="客服专员")
    now = node_groups(svg(signed_in, view="reporting", phase=first.pk))[f"r{agent.pk}"]
    assert "8–10" in text_of(now)
    assert not dashed(now)
    later = node_groups(svg(signed_in, view="reporting", phase=second.pk))[f"r{agent.pk}"]
    # No head count in the later phase: drawn as planned, with a dashed border.
    assert "8–10" not in text_of(later)
    assert chinese("planned") in text_of(later)
    assert dashed(later)


def dashed(group) -> bool:
    return any(element.get("stroke-dasharray") for element in group.iter())


def test_root_draws_a_subtree(signed_in, shop):
    service = Department.objects.get(organization=shop, name_zh="客服部")
    groups = node_groups(svg(signed_in, view="departments", root=service.pk))
    assert f"d{service.pk}" in groups
    assert not any(
        name.startswith("d") and name != f"d{service.pk}" and "->" not in name for name in groups
    )
    manager = Role.objects.get(organization=shop, title_zh="客服主管")
    groups = node_groups(svg(signed_in, view="reporting", root=manager.pk))
    shown = {name for name in groups if name.startswith("r") and "->" not in name}
    assert shown == {f"r{manager.pk}", f"r{Role.objects.get(title_zh='客服专员').pk}"}


def test_depth_limits_the_levels_and_links_the_rest(signed_in, shop):
    groups = node_groups(svg(signed_in, view="reporting", depth=1))
    top = Role.objects.get(organization=shop, title_zh="总经理")
    assert f"r{top.pk}" in groups
    assert f"more-r{top.pk}" in groups
    assert chinese("+%(count)s more", count=2) in text_of(groups[f"more-r{top.pk}"])
    links = [a.get("{http://www.w3.org/1999/xlink}href") for a in groups[f"more-r{top.pk}"].iter()]
    assert (
        f"/orgs/acme/chart.svg?view=reporting&phase={shop.phases.first().pk}&root={top.pk}" in links
    )


def test_english_chart(signed_in, shop):
    service = Department.objects.get(organization=shop, name_zh="客服部")
    signed_in.cookies["django_language"] = "en"
    root = svg(signed_in, view="departments")
    shown = text_of(root)
    assert "Head count" in shown and "Legend" in shown
    assert "Returns hand-over" in shown
    assert f"d{service.pk}" in node_groups(root)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"view": "pie"}, "view"),
        ({"phase": "abc"}, "phase"),
        ({"phase": "-1"}, "phase"),
        ({"phase": "99999999"}, "phase"),
        ({"root": "1;DROP"}, "root"),
        ({"depth": "0"}, "depth"),
        ({"depth": "51"}, "depth"),
        ({"depth": "１"}, "depth"),
        ({"depth": "9" * 40}, "depth"),
    ],
)
def test_bad_options_get_a_clear_400(signed_in, shop, params, field):
    response = signed_in.get("/orgs/acme/chart.svg", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith(f"{field}: ")


@pytest.mark.parametrize("view", ["departments", "reporting"])
def test_a_missing_root_is_not_found(signed_in, shop, view):
    for fmt in ("svg", "png", "pdf"):
        response = signed_in.get(f"/orgs/acme/chart.{fmt}", {"view": view, "root": "99999999"})
        assert response.status_code == 404, fmt
        assert not response["Content-Type"].startswith(("image/", "application/pdf"))


def test_phase_and_root_of_another_organization_are_refused(signed_in, shop, user):
    other = OrganizationFactory(owner=user, slug="other")
    department = department_path(other, "别的部门")
    role = role_chain(other, department, "别人的岗位")
    response = signed_in.get("/orgs/acme/chart.svg", {"phase": other.phases.first().pk})
    assert response.status_code == 400
    assert response.content.decode().startswith("phase: ")
    assert "别的部门" not in response.content.decode()
    # Another organization's node looks exactly like a missing one.
    for params in ({"root": department.pk}, {"view": "reporting", "root": role.pk}):
        response = signed_in.get("/orgs/acme/chart.svg", params)
        assert response.status_code == 404, params
        assert "别的部门" not in response.content.decode()
        assert "别人的岗位" not in response.content.decode()


def test_unknown_format_is_not_found(signed_in, shop):
    assert signed_in.get("/orgs/acme/chart.gif").status_code == 404
