"""Writes that span a whole design: clone, delete an organization, delete a department
(which moves its roles), delete a whole role or department subtree."""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    CASCADE,
    SET_NULL,
    Count,
    IntegerField,
    Model,
    OuterRef,
    Q,
    Subquery,
    Value,
    signals,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from departments.history import recording
from departments.history.recording import design_write
from departments.models import Department, HeadcountPhase, Organization
from departments.services import begin_write, organization_create, unique_slug
from roles.models import Role
from roles.services.cloning import copy_design
from teamorg.errors import StaleRevision
from teamorg.limits import (
    DEPARTMENTS_PER_ORGANIZATION,
    PHASES_PER_ORGANIZATION,
    ROLES_PER_ORGANIZATION,
    size_limit_error,
)
from teamorg.locking import tree_write
from teamorg.tree_actions import DELETE_SUBTREE, DeleteNode, delete_node_set


def organization_clone(
    *,
    source: Organization,
    owner: AbstractBaseUser,
    name_zh: str = "",
    name_en: str = "",
    slug: str | None = None,
    expected_revision: int | None = None,
) -> Organization:
    """A new, independent organization owned by `owner` with a copy of everything in `source`
    (a template or an organization the owner may read — the caller checks that): phases,
    departments, roles, reporting lines, duties, requirements, KPIs, head count, combinable
    roles and collaboration lines. A constant number of queries whatever the size, under one
    tree lock. `expected_revision` is the source's revision the caller read: a copy of a design
    that changed since is refused with `StaleRevision`."""
    name_zh, name_en = name_zh.strip(), name_en.strip()
    with tree_write(Department, Role):
        source = _with_sizes(source)
        if expected_revision is not None and expected_revision != source.revision:
            raise StaleRevision(expected=expected_revision, current=source.revision)
        _check_copy_size(source)
        if not name_zh and not name_en:
            name_zh = f"{source.name_zh}（副本）" if source.name_zh else ""
            name_en = f"{source.name_en} (copy)" if source.name_en else ""
        clone = organization_create(
            name_zh=name_zh,
            name_en=name_en,
            slug=slug or unique_slug(f"{source.slug}-copy" if source.is_template else source.slug),
            business_model=source.business_model,
            description_zh=source.description_zh,
            description_en=source.description_en,
            owner=owner,
            source_note=source.source_note,
            with_default_phases=False,
            start_history=False,
        )
        Organization.objects.filter(pk=clone.pk).update(
            cloned_from=source,
            span_of_control_limit=source.span_of_control_limit,
            layer_limit=source.layer_limit,
        )
        copy_design(source_id=source.pk, new_id=clone.pk)
        clone = Organization.objects.get(pk=clone.pk)
        recording.record_start(clone, copied_from=source)
        return clone


def _count_in(model) -> Coalesce:
    rows = model.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
    return Coalesce(
        Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
        Value(0),
    )


def _with_sizes(source: Organization) -> Organization:
    """The source re-read with its size (`n_roles`, `n_departments`, `n_phases`) in the same
    query, so a clone still costs the same number of queries whatever its size."""
    return Organization.objects.annotate(
        n_roles=_count_in(Role),
        n_departments=_count_in(Department),
        n_phases=_count_in(HeadcountPhase),
    ).get(pk=source.pk)


def _check_copy_size(source: Organization) -> None:
    """A copy is as large as its source: refuse one over the organization-size limits (a source
    can be only if it was made before the limits were lowered)."""
    for size, limit, message in (
        (
            source.n_roles,
            ROLES_PER_ORGANIZATION,
            _("An organization can have at most %(limit)s roles."),
        ),
        (
            source.n_departments,
            DEPARTMENTS_PER_ORGANIZATION,
            _("An organization can have at most %(limit)s departments."),
        ),
        (
            source.n_phases,
            PHASES_PER_ORGANIZATION,
            _("An organization can have at most %(limit)s growth phases."),
        ),
    ):
        if size > limit:
            raise size_limit_error("source", message, limit)


@design_write
def organization_delete(
    *,
    organization: Organization,
    expected_revision: int | None = None,
    allow_template: bool = False,
) -> None:
    """Delete a whole organization with everything in it. Its trees go as a whole, so the
    trees of other organizations stay valid; the lock keeps a concurrent tree_id shift out."""
    with tree_write(Department, Role):
        organization = begin_write(
            organization, expected_revision=expected_revision, allow_template=allow_template
        )
        if expected_revision is not None and expected_revision != organization.revision - 1:
            # Deleting everything changes everything anyone changed since.
            raise StaleRevision(expected=expected_revision, current=organization.revision - 1)
        recording.stop_recording()  # its history goes with it
        _delete_everything_under(Organization, organization.pk)


# Deleting an organization with Django's collector cost a query per hundred rows of every table
# (it deletes in batches of 100 primary keys, and on SQLite reads related rows in batches of
# 999): 31 queries for a small design, 150 at 5,000 roles. Instead every table that cascades
# from the organization loses its rows in one DELETE whose subquery follows the foreign keys
# back to the organization, in an order where every subquery still finds the rows it joins
# through: the same rows Django would delete, in a constant number of queries.


@cache
def _cascade_plan(root: type[Model]) -> tuple[list[tuple[type[Model], tuple[str, ...]]], list]:
    """What deleting a `root` row deletes, from the models' own relations: (model, lookups
    from that model to the root's primary key), dependents before what they point at; and the
    SET_NULL relations `(model, field)` to clear first. Refuses relations this cannot honour
    (PROTECT or RESTRICT from outside the deleted set, custom handlers, delete signals), so a
    model added later cannot be deleted wrongly in silence."""
    paths: dict[type[Model], list[str]] = {root: ["pk"]}
    order: list[type[Model]] = []
    set_null: list[tuple[type[Model], str]] = []
    restricted: list[tuple[type[Model], type[Model]]] = []

    def visit(model: type[Model], path: str, seen: tuple) -> None:
        # Hidden relations too (`related_name="+"`, and the foreign keys of a many-to-many
        # field's `through` table): Django's collector follows them as well.
        for relation in model._meta.get_fields(include_hidden=True):
            if not relation.auto_created or relation.concrete or not relation.is_relation:
                continue  # only the reverse side of a foreign key pointing at `model`
            if relation.many_to_many:
                continue  # reached through its `through` model's foreign keys
            child, field = relation.related_model, relation.field
            handler = relation.on_delete
            lookup = f"{field.name}__{path}" if path != "pk" else field.name
            if handler is CASCADE:
                if child in seen:
                    continue  # a tree's own parent link: the rows go with their tree
                paths.setdefault(child, []).append(lookup)
                visit(child, lookup, (*seen, child))
            elif handler is SET_NULL:
                set_null.append((child, field.name))
            else:
                restricted.append((child, model))
        if model not in order:
            order.append(model)

    visit(root, "pk", (root,))
    for child, model in restricted:
        if child not in paths:
            raise TypeError(f"{child.__name__} restricts deleting {model.__name__}")
    for model in paths:
        if any(s.has_listeners(model) for s in (signals.pre_delete, signals.post_delete)):
            raise TypeError(f"{model.__name__} has delete signals a bulk delete would skip")
    # Post-order: a model comes after everything that cascades from it, so its rows are still
    # there while the subqueries of those tables join through them.
    return [(model, tuple(paths[model])) for model in order], list(dict.fromkeys(set_null))


def _delete_everything_under(root: type[Model], pk: int) -> None:
    """Delete the `root` row `pk` and everything that cascades from it, one statement per table
    (the caller holds the transaction and the tree locks)."""
    plan, set_null = _cascade_plan(root)

    def rows(model: type[Model], lookups: tuple[str, ...]):
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: pk})
        return model._base_manager.filter(condition).order_by().values("pk")

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, field in set_null:
            lookups = dict(plan)[model._meta.get_field(field).related_model]
            model._base_manager.filter(
                **{f"{field}__in": rows(model._meta.get_field(field).related_model, lookups)}
            ).update(**{field: None})
        for model, lookups in plan:
            sql, params = rows(model, lookups).query.sql_with_params()
            table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({sql})", params)


@design_write
def department_delete(
    *, department: Department, children: str = "refuse", expected_revision: int | None = None
) -> None:
    """Delete a department. `children="lift"` moves its sub-departments up one level and its
    roles into the parent department; `"refuse"` refuses while it has either."""

    def hand_roles_to_parent(department: Department) -> None:
        role_count = Role.objects.filter(department=department).count()
        if not role_count:
            return
        if children == "refuse":
            raise ValidationError(
                _("“%(department)s” still has %(count)s roles; move them or lift them.")
                % {"department": department, "count": role_count},
                code="department_has_roles",
            )
        if department.parent_id is None:
            raise ValidationError(
                _(
                    "“%(department)s” is a top-level department with %(count)s roles and "
                    "no parent to take them; move the roles to another department first."
                )
                % {"department": department, "count": role_count},
                code="department_has_roles",
            )
        # `department` is not a tree field of the reporting tree: no role tree lock needed.
        Role.objects.filter(department_id=department.pk).update(department_id=department.parent_id)

    DeleteNode(department, children, what=_("sub-departments")).execute(
        before_write=lambda node: begin_write(
            node.organization, expected_revision=expected_revision
        ),
        before_delete=hand_roles_to_parent,
    )


@dataclass(frozen=True)
class SubtreeDeleted:
    """What a subtree delete removed (counts), and the roles it lifted to a surviving manager."""

    departments: int
    roles: int
    lifted_roles: list[int]


@design_write
def role_delete_subtree(*, role: Role, expected_revision: int | None = None) -> SubtreeDeleted:
    """Delete a role and every role that reports to it, directly or not, whatever their
    department, with their lines, head count, collaboration lines and 一人多职 combinations
    (those rows cascade with the role). One transaction under the reporting tree's lock; the
    revision goes up once."""
    counted: dict[str, int] = {}

    def count(node: Role) -> None:
        counted["roles"] = node.get_descendant_count() + 1

    DeleteNode(role, DELETE_SUBTREE).execute(
        before_write=lambda node: begin_write(
            node.organization, expected_revision=expected_revision
        ),
        before_delete=count,
    )
    return SubtreeDeleted(departments=0, roles=counted["roles"], lifted_roles=[])


@design_write
def department_delete_subtree(
    *, department: Department, expected_revision: int | None = None
) -> SubtreeDeleted:
    """Delete a department with all its sub-departments and every role in any of them, with
    those roles' lines, head count, collaboration lines and combinations, and the departments'
    collaboration lines.

    A role in another department that reports to a deleted role is not deleted: it is lifted
    to its nearest surviving manager (above the deleted ones), or becomes a top role when none
    survives, keeping its own reports. Both tree locks are held for the whole change, one
    transaction, the revision goes up once."""
    result: dict[str, object] = {}

    def delete_roles(node: Department) -> None:
        department_ids = list(node.get_descendants(include_self=True).values_list("pk", flat=True))
        role_ids = list(
            Role.objects.filter(department_id__in=department_ids).values_list("pk", flat=True)
        )
        result.update(
            departments=len(department_ids),
            roles=len(role_ids),
            lifted=delete_node_set(Role, role_ids),
        )

    DeleteNode(department, DELETE_SUBTREE, also_lock=(Role,)).execute(
        before_write=lambda node: begin_write(
            node.organization, expected_revision=expected_revision
        ),
        before_delete=delete_roles,
    )
    return SubtreeDeleted(
        departments=result["departments"], roles=result["roles"], lifted_roles=result["lifted"]
    )
