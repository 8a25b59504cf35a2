"""Roles that share a title with their siblings. Role titles may repeat (two 客服专员 under one
manager is a normal design), so the editor warns instead of refusing; department names are
unique per parent and the service refuses those (`departments.services`)."""

from __future__ import annotations

from django.db.models import Q

from roles.models import Role


def roles_sharing_title(role: Role) -> list[Role]:
    """Other roles that report to the same manager (or are top-level in the same organization)
    and have the same title in either language as `role` has in that language."""
    names = Q()
    for column in ("title_zh", "title_en"):
        value = (getattr(role, column) or "").strip()
        if value:
            names |= Q(**{f"{column}__iexact": value})
    if not names:
        return []
    siblings = Role.objects.filter(
        organization_id=role.organization_id, reports_to_id=role.reports_to_id
    ).exclude(pk=role.pk)
    return list(siblings.filter(names).select_related("department").order_by("tree_id", "lft"))
