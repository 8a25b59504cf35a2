"""Links from planning results to the pages of the nodes they name (shared by the pages and the
API's JSON)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_PLACEHOLDER_PK = 987654321


def node_url(slug: str, kind: str, pk: int | None) -> str:
    """The page of a role or a department; the plan page for the organization as a whole."""
    if kind == "role" and pk is not None:
        return reverse("roles:role-detail", args=[slug, pk])
    if kind == "department" and pk is not None:
        return reverse("roles:department-detail", args=[slug, pk])
    return reverse("plan:plan", args=[slug])


def url_maker(name: str, slug: str) -> Callable[[int], str]:
    """pk → URL of a per-node page, reversing once instead of once per row (a `{% url %}` per
    row is most of the time of a 5,000-role page)."""
    head, _, tail = reverse(name, args=[slug, _PLACEHOLDER_PK]).partition(str(_PLACEHOLDER_PK))
    return lambda pk: f"{head}{pk}{tail}"
