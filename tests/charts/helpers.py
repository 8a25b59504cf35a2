"""Helpers for chart tests: an in-memory design (no database, so hypothesis can run hundreds of
examples quickly) and readers for rendered SVG."""

import re
import xml.etree.ElementTree as ET

from django.utils import translation

from departments.models import Department, HeadcountPhase, Organization
from roles.models import Collaboration, HeadcountTarget, Role
from roles.selectors import Design
from roles.selectors.department_headcount import DepartmentHeadcounts

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
APP_LINK = re.compile(
    r"^/orgs/acme/(roles|departments)/\d+/$"
    r"|^/orgs/acme/chart\.svg\?view=(departments|reporting)(&phase=\d+)?&root=\d+$"
)


def memory_design(
    *,
    department_name="客服部",
    role_title="客服主管",
    report_title="客服专员",
    collaboration="退货交接",
    organization_name="测试电商",
    phase_name="启动期",
    employment_type="full-time",
) -> Design:
    """Two departments (客服部 under 运营中心), a manager and a report, a department and a role
    collaboration line; every user text is a parameter."""
    organization = Organization(pk=1, slug="acme", name_zh=organization_name, name_en="")
    phase = HeadcountPhase(pk=1, organization=organization, order=1, name_zh=phase_name)
    top = Department(
        pk=1, organization=organization, name_zh="运营中心", function_group="management"
    )
    department = Department(
        pk=2,
        organization=organization,
        parent_id=1,
        name_zh=department_name,
        function_group="front-line",
    )
    top._cached_children, department._cached_children = [department], []
    manager = Role(
        pk=1,
        organization=organization,
        department_id=2,
        title_zh=role_title,
        hiring_priority=1,
        employment_type=employment_type,
    )
    report = Role(
        pk=2, organization=organization, department_id=2, reports_to_id=1, title_zh=report_title
    )
    manager._cached_children, report._cached_children = [report], []
    for role in (manager, report):
        Role.department.field.set_cached_value(role, department)
    lines = [
        Collaboration(
            pk=1,
            organization=organization,
            from_department_id=1,
            to_department_id=2,
            description_zh=collaboration,
        ),
        Collaboration(
            pk=2,
            organization=organization,
            from_role_id=1,
            to_role_id=2,
            description_zh=collaboration,
        ),
    ]
    return Design(
        organization=organization,
        phases=[phase],
        departments=[top, department],
        department_roots=[top],
        roles=[manager, report],
        role_roots=[manager],
        collaborations=lines,
        roles_by_department={2: [manager, report]},
        headcount={(1, 1): HeadcountTarget(role=manager, phase=phase, min_count=1, max_count=2)},
        # Read already (no database): no department has a head count of its own (部门定编).
        department_counts=DepartmentHeadcounts({}, {}),
    )


def chinese(message: str, **values) -> str:
    """A chart word as a Chinese chart shows it: whatever the catalogue says (the English source
    until a translation is added), so a test checks the word is there, not its wording."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % values if values else text


def parse_svg(content: bytes) -> ET.Element:
    root = ET.fromstring(content)
    assert root.tag == f"{SVG}svg"
    return root


def node_groups(root: ET.Element) -> dict[str, ET.Element]:
    """Graphviz node and edge groups by their internal id (`<title>d2</title>`)."""
    groups = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is not None and group.get("class") in ("node", "edge"):
            groups[title.text] = group
    return groups


def text_of(element: ET.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{SVG}text"))


def squash(text: str) -> str:
    return "".join(text.split())


def unsafe_parts(root: ET.Element) -> list[str]:
    """Anything active or foreign in an SVG: scripts, embedded HTML, event handlers, links that
    the app did not build."""
    problems = []
    for element in root.iter():
        tag = element.tag.split("}")[-1].lower()
        if tag in ("script", "foreignobject", "iframe", "object", "embed", "style", "image"):
            problems.append(f"element {tag}")
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            if local.startswith("on"):
                problems.append(f"attribute {name}")
            if local == "href" and not APP_LINK.match(value):
                problems.append(f"link {value!r}")
    return problems
