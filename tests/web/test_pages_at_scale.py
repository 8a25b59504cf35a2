"""The editor, the overview and the plan page show what is on screen (issue 21): the outlines the
levels that fit, a node's children on demand, a search that opens the path to a node, the
head-count grid and the plan's role table a page at a time with a department filter, each page
in a constant number of queries whatever the size of the design."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Department
from roles.editor.context import GRID_PAGE_SIZE
from roles.editor.outlines import OUTLINE_BUDGET
from roles.models import Role
from roles.planning.plan import ROLES_PER_PAGE
from tests.benchmarks.synthetic import bulk_design

HTMX = {"HX-Request": "true"}


def node_ids(page: str, kind: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'<li class="node" id="{kind}-(\d+)"', page)}


def test_pages_and_the_expand_endpoint_take_the_same_queries_at_every_size(signed_in, user):
    small = bulk_design(roles=30, owner=user, slug="small")
    large = bulk_design(roles=400, owner=user, slug="large")
    # Warm the per-process caches (content types, the session) before counting.
    signed_in.get(reverse("org-editor", args=["small"]))

    def urls(organization):
        root = Department.objects.filter(organization=organization, parent=None).first()
        top = Role.objects.filter(organization=organization, reports_to=None).first()
        slug = organization.slug
        return {
            "editor": (reverse("org-editor", args=[slug]), {}),
            "overview": (reverse("org-overview", args=[slug]), {}),
            "plan": (reverse("plan:plan", args=[slug]), {}),
            "expand a department": (
                reverse("editor-children", args=[slug, "departments", root.pk]),
                HTMX,
            ),
            "expand a role": (reverse("editor-children", args=[slug, "roles", top.pk]), HTMX),
            "expand in the overview": (reverse("overview-children", args=[slug, root.pk]), {}),
            "grid page": (reverse("editor-headcount-grid", args=[slug]) + "?hc_page=2", HTMX),
            "find": (reverse("editor-find", args=[slug]) + "?q=3", HTMX),
            "collaboration form": (reverse("editor-collaboration-add-form", args=[slug]), HTMX),
            "outlines down to a node": (
                reverse("editor-outlines", args=[slug]) + f"?show=roles-{top.pk}",
                HTMX,
            ),
        }

    small_urls, large_urls = urls(small), urls(large)
    for name in small_urls:
        counts = []
        for url, headers in (small_urls[name], large_urls[name]):
            with CaptureQueriesContext(connection) as queries:
                response = signed_in.get(url, headers=headers)
            assert response.status_code == 200, (name, url, response.status_code)
            counts.append(len(queries))
        assert counts[0] == counts[1], (name, counts)


def test_a_large_outline_shows_the_levels_that_fit_and_loads_the_rest(signed_in, user):
    bulk_design(roles=2000, owner=user, slug="big")
    page = signed_in.get("/orgs/big/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = node_ids(page, "roles")
    assert 9 <= len(shown) <= OUTLINE_BUDGET  # the top role and at least its reports
    # A shown role whose reports are not shown has a closed toggle naming where they are.
    role = next(
        role
        for role in Role.objects.filter(pk__in=shown).order_by("-depth")
        if role.get_children().exists() and not {c.pk for c in role.get_children()} <= shown
    )
    toggle = re.search(
        rf'data-children-url="([^"]+)"[^>]*aria-expanded="false" aria-controls="children-roles-'
        rf'{role.pk}"',
        page,
    )
    assert toggle, "a closed role has a toggle with its children's URL"
    children = signed_in.get(toggle.group(1), headers=HTMX, HTTP_ACCEPT_LANGUAGE="en")
    assert children.status_code == 200
    assert node_ids(children.content.decode(), "roles") == {c.pk for c in role.get_children()}
    # Each row's labels are translated once for the page, not lost on the way.
    assert f"Rename {role.get_children().first().title_en}" in children.content.decode()


def test_a_small_design_is_shown_whole(signed_in, design):
    page = signed_in.get("/orgs/acme/edit/").content.decode()
    assert node_ids(page, "roles") == {
        design[name].pk for name in ("ceo", "director", "cs_lead", "marketing")
    }
    assert 'aria-expanded="false"' not in page
    assert "grid-pager" not in page  # one page holds every role: no pager


def test_search_finds_a_deep_role_and_the_outlines_open_down_to_it(signed_in, user):
    organization = bulk_design(roles=2000, owner=user, slug="big")
    deep = Role.objects.filter(organization=organization).order_by("-depth").first()
    page = signed_in.get("/orgs/big/edit/").content.decode()
    assert deep.pk not in node_ids(page, "roles")

    found = signed_in.get(
        reverse("editor-find", args=["big"]), {"q": deep.title_en}, headers=HTMX,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()  # fmt: skip
    assert f"show=roles-{deep.pk}" in found

    outlines = signed_in.get(
        reverse("editor-outlines", args=["big"]), {"show": f"roles-{deep.pk}"}, headers=HTMX
    )
    assert deep.pk in node_ids(outlines.content.decode(), "roles")
    assert f"roles-{deep.pk}" in outlines["HX-Trigger-After-Settle"]
    # The collaboration form of so large a design (two selects of every node) comes on demand.
    assert 'name="from_node"' not in page
    form = signed_in.get(reverse("editor-collaboration-add-form", args=["big"]), headers=HTMX)
    assert form.content.decode().count("<option") > 2 * 2000
    # Without JavaScript the result is a link to the editor opened down to the role.
    page = signed_in.get("/orgs/big/edit/", {"show": f"roles-{deep.pk}"}).content.decode()
    assert deep.pk in node_ids(page, "roles")


def test_what_the_user_opened_survives_a_write(htmx, user):
    organization = bulk_design(roles=2000, owner=user, slug="big")
    deep = Role.objects.filter(organization=organization, depth=3).first()
    child = deep.get_children().first()
    organization.refresh_from_db()
    response = htmx.post(
        reverse("editor-rename", args=["big", "roles", child.pk]),
        {"title_zh": "改名的岗位", "revision": organization.revision},
        headers={"X-TeamOrg-View": f"expanded=roles-{deep.pk}"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert {c.pk for c in deep.get_children()} <= node_ids(page, "roles")
    assert "改名的岗位" in page


def test_the_grid_pages_and_filters_by_department(htmx, signed_in, user):
    organization = bulk_design(roles=250, owner=user, slug="grid")
    page = signed_in.get("/orgs/grid/edit/").content.decode()
    assert "grid-pager" in page
    assert len(re.findall(r'<tr><th scope="row" class="indent-', page)) == GRID_PAGE_SIZE

    url = reverse("editor-headcount-grid", args=["grid"])
    last = htmx.get(url, {"hc_page": "3"}).content.decode()
    assert len(re.findall(r'<tr><th scope="row" class="indent-', last)) == 250 - 2 * GRID_PAGE_SIZE
    # The totals are the whole organization's on every page.
    assert last.count('id="hc-total-') == organization.phases.count()

    department = Department.objects.filter(organization=organization, depth=1).first()
    inside = Role.objects.filter(
        organization=organization,
        department__tree_id=department.tree_id,
        department__lft__gte=department.lft,
        department__lft__lte=department.rght,
    )
    one = htmx.get(url, {"hc_department": department.pk}).content.decode()
    ids = {int(pk) for pk in re.findall(r'name="role" value="(\d+)"', one)}
    assert ids == set(inside.values_list("pk", flat=True))

    # Nonsense asks for the first page of everything, never an error.
    for query in ({"hc_page": "x"}, {"hc_page": "999"}, {"hc_department": "-1"}):
        assert htmx.get(url, query).status_code == 200


def test_the_overview_opens_a_department_on_demand(signed_in, user):
    bulk_design(roles=2000, owner=user, slug="big")
    page = signed_in.get("/orgs/big/").content.decode()
    closed = re.search(
        r'data-children-url="([^"]+)"[^>]*aria-expanded="false" aria-controls="children-'
        r'departments-(\d+)"',
        page,
    )
    assert closed
    department = Department.objects.get(pk=closed.group(2))
    children = signed_in.get(closed.group(1)).content.decode()
    for child in department.get_children():
        assert f'id="departments-{child.pk}"' in children
    assert signed_in.get(reverse("overview-children", args=["big", 0])).status_code == 404
    found = signed_in.get("/orgs/big/", {"q": department.name_zh}).content.decode()
    assert f"?show=departments-{department.pk}" in found


def test_the_plan_page_shows_a_page_of_roles_and_filters_by_department(signed_in, user):
    organization = bulk_design(roles=250, owner=user, slug="plan")
    url = reverse("plan:plan", args=["plan"])
    page = signed_in.get(url).content.decode()
    role_links = re.findall(r'<th scope="row"><a href="/orgs/plan/roles/(\d+)/', page)
    assert len(role_links) == ROLES_PER_PAGE
    assert 'id="role-pager"' in page
    department = Department.objects.filter(organization=organization, depth=1).first()
    page = signed_in.get(url, {"department": department.pk, "page": "9"}).content.decode()
    shown = {
        int(pk) for pk in re.findall(r'<th scope="row"><a href="/orgs/plan/roles/(\d+)/', page)
    }
    inside = Role.objects.filter(
        organization=organization,
        department__tree_id=department.tree_id,
        department__lft__gte=department.lft,
        department__lft__lte=department.rght,
    )
    assert shown == set(inside.values_list("pk", flat=True))
