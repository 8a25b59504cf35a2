"""No sideways page scrolling at desktop (1280×800), tablet (820×1180) and phone (390×844) widths
on every page an HR manager uses: tables scroll inside their own box, nothing sticks out."""

import pytest
from playwright.sync_api import Page

from departments.models import Organization
from tests.browser.conftest import wait_for_chart

WIDTHS = ((1280, 800), (820, 1180), (390, 844))

# Visible elements whose right edge is beyond the viewport and that no scrolling or clipping box
# contains, named by a short CSS path; plus how far the page itself scrolls sideways.
OFFENDERS = """() => {
  const width = window.innerWidth;
  const name = el => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 4;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += '#' + node.id;
      else if (node.classList.length) part += '.' + [...node.classList].join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  // Inside a box that scrolls or clips it: walk up the containing blocks (an absolutely placed
  // element escapes every box up to its positioned ancestor; a fixed one escapes them all).
  const contained = el => {
    for (let node = el; node && node !== document.body;) {
      const position = getComputedStyle(node).position;
      if (position === 'fixed') return false;
      let block = node.parentElement;
      if (position === 'absolute') {
        while (block && block !== document.body && getComputedStyle(block).position === 'static') {
          block = block.parentElement;
        }
      }
      if (!block || block === document.body) return false;
      if (getComputedStyle(block).overflowX !== 'visible') return true;
      node = block;
    }
    return false;
  };
  const offenders = [];
  for (const el of document.querySelectorAll('body *')) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || !rect.height || rect.right <= width + 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || contained(el)) continue;
    offenders.push(`${name(el)} (right edge at ${Math.round(rect.right)}px)`);
  }
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    offenders: offenders.slice(0, 8),
  };
}"""


def pages(organization: Organization) -> dict[str, str]:
    role = organization.roles.order_by("hiring_priority", "pk").first()
    department = organization.departments.order_by("pk").first()
    slug = organization.slug
    return {
        "dashboard": "/",
        "overview": f"/orgs/{slug}/",
        "editor": f"/orgs/{slug}/edit/",
        "editor-wide": f"/orgs/{slug}/edit/?chart=wide",
        "plan": f"/orgs/{slug}/plan/",
        "health": f"/orgs/{slug}/health/",
        "compare": f"/orgs/{slug}/compare/",
        "role": f"/orgs/{slug}/roles/{role.pk}/",
        "department": f"/orgs/{slug}/departments/{department.pk}/",
        "settings": f"/orgs/{slug}/settings/",
    }


PAGE_NAMES = (
    "dashboard",
    "overview",
    "editor",
    "editor-wide",
    "plan",
    "health",
    "compare",
    "role",
    "department",
    "settings",
)


def check_widths(page: Page, path: str) -> list[str]:
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        if page.locator("[data-org-chart]").count():
            wait_for_chart(page)
        page.wait_for_timeout(200)
        found = page.evaluate(OFFENDERS)
        if found["overflow"] > 0 or found["offenders"]:
            problems.append(
                f"{path} at {width}px: page scrolls {found['overflow']}px sideways; "
                + "; ".join(found["offenders"])
            )
    return problems


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_fits_every_width(page: Page, live_server, sign_in, user, big_design, console, name):
    path = pages(big_design)[name]
    sign_in(user, "/")
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{path}: {response.status}"
    paths = [path]
    if name == "settings":
        # Every settings page linked from the first one (members, phases, …).
        links = page.eval_on_selector_all(
            f'a[href^="{path}"]', "links => links.map(link => link.getAttribute('href'))"
        )
        paths += sorted({link.split("#")[0] for link in links} - {path})[:6]
        assert len(paths) >= 3, paths  # members and phases at least
    problems = []
    for each in paths:
        if each != path:
            assert page.goto(f"{live_server.url}{each}").status == 200, each
        problems += check_widths(page, each)
    assert problems == []
