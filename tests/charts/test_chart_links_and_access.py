"""Every box links to its page (links built by the app); who may see a chart."""

from departments.models import Department
from departments.services import department_create
from roles.models import EmploymentType, Role
from roles.services import role_create
from tests.charts.helpers import XLINK, chinese, node_groups, parse_svg, text_of
from tests.factories import OrganizationFactory


def links_of(group) -> set[str]:
    return {a.get(f"{XLINK}href") for a in group.iter() if a.get(f"{XLINK}href")}


def test_every_box_links_to_its_page(signed_in, shop):
    departments = node_groups(
        parse_svg(signed_in.get("/orgs/acme/chart.svg", {"view": "departments"}).content)
    )
    for department in Department.objects.filter(organization=shop):
        group = departments[f"d{department.pk}"]
        assert f"/orgs/acme/departments/{department.pk}/" in links_of(group)
        for role in department.roles.all():
            assert f"/orgs/acme/roles/{role.pk}/" in links_of(group)
    reporting = node_groups(
        parse_svg(signed_in.get("/orgs/acme/chart.svg", {"view": "reporting"}).content)
    )
    for role in Role.objects.filter(organization=shop):
        assert links_of(reporting[f"r{role.pk}"]) == {f"/orgs/acme/roles/{role.pk}/"}


def test_collaboration_is_a_numbered_dotted_line(signed_in, shop):
    root = parse_svg(signed_in.get("/orgs/acme/chart.svg", {"view": "departments"}).content)
    groups = node_groups(root)
    service = Department.objects.get(organization=shop, name_zh="客服部")
    warehouse = Department.objects.get(organization=shop, name_zh="仓储部")
    # Two dotted lines from the departments meet at a circle numbered 1 ...
    assert text_of(groups["c1"]) == "1"
    for department in (service, warehouse):
        edge = groups[f"d{department.pk}->c1"]
        assert edge.find("{http://www.w3.org/2000/svg}path").get("stroke-dasharray") == "1,5"
        assert text_of(edge) == ""
    # ... and the legend says what number 1 is.
    assert "客服部 ↔ 仓储部" in text_of(root)
    assert "退货交接" in text_of(root)


def test_outsourced_role_looks_different(signed_in, shop):
    groups = node_groups(
        parse_svg(signed_in.get("/orgs/acme/chart.svg", {"view": "reporting"}).content)
    )
    keeper = Role.objects.get(organization=shop, title_zh="仓储主管")
    agent = Role.objects.get(organization=shop, title_zh="客服专员")
    # Double border (two outlines) and a tag for the outsourced role; one outline otherwise.
    assert len(groups[f"r{keeper.pk}"].findall("{http://www.w3.org/2000/svg}path")) == 2
    assert len(groups[f"r{agent.pk}"].findall("{http://www.w3.org/2000/svg}path")) == 1
    assert chinese("Priority %(n)s", n=2) in text_of(groups[f"r{keeper.pk}"])
    assert chinese(str(EmploymentType.OUTSOURCED.label)) in text_of(groups[f"r{keeper.pk}"])


def test_anonymous_users_are_sent_to_sign_in(client, shop):
    response = client.get("/orgs/acme/chart.svg")
    assert response.status_code == 302
    assert "next=/orgs/acme/chart.svg" in response["Location"]


def test_other_users_do_not_learn_the_organization_exists(client, shop, other_user):
    client.force_login(other_user)
    assert client.get("/orgs/acme/chart.svg").status_code == 404
    assert client.get("/orgs/nothing-here/chart.svg").status_code == 404


def test_templates_are_readable_by_every_signed_in_user(client, other_user, user):
    template = OrganizationFactory(owner=user, slug="tpl", is_template=True)
    # Templates are written only by their loader, which may write them.
    department = department_create(organization=template, name_zh="管理层", allow_template=True)
    role_create(
        organization=template, department=department, title_zh="总经理", allow_template=True
    )
    client.force_login(other_user)
    response = client.get("/orgs/tpl/chart.svg", {"view": "reporting"})
    assert response.status_code == 200
    assert "总经理" in response.content.decode()
