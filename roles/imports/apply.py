"""Writing an import: one design write (one transaction, both tree locks, one revision recorded
in the design history, so the editor's undo takes the whole import back).

The sheet is matched against the organization again under the lock (`resolve`): what is written
is what the preview would show at that moment, and any problem refuses the whole import before
a row is written. A preview made at an older revision is refused (`stale_preview`): the user
looks at the new preview first.

New departments and roles of an organization that has none yet (an import into a new
organization, the common case and the large one) are inserted in bulk with their tree columns
computed here, a few queries per tree level (5,000 roles in well under the ten seconds the
issue allows); into an existing tree, each new node is inserted and each moved node moved
through django-mptt as every other service does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _

from departments.history.recording import design_write
from departments.models import Department, HeadcountPhase, Organization
from departments.services import (
    begin_write,
    changed_function_origins,
    department_set_headcount,
    function_origins,
)
from roles.imports.resolve import LINE_MODELS, Node, Resolution, resolve
from roles.imports.sheet import Sheet
from roles.models import Collaboration, HeadcountTarget, Role
from teamorg import trees
from teamorg.content import Origin
from teamorg.locking import tree_write
from teamorg.signals import tree_reshaped
from teamorg.tree_actions import MoveNode

Progress = Callable[[str, int, int], None]
# Every value is checked by the model's fields and validators. References, codes and the
# constraints were checked for the whole sheet at once by `resolve` under the same lock (the
# database enforces them again): checked per row, they would cost a query each, 30,000 for a
# 5,000-role sheet.
FIELDS_ONLY = {"validate_unique": False, "validate_constraints": False}


def _quiet(step: str, done: int, total: int) -> None:
    pass


_MISSING = object()  # a column a row leaves out


def insert_rows(model, rows: list[dict]) -> None:
    """Insert `rows` (attribute name → value; every other column takes its field's default) as
    multi-row INSERTs in the batches the database allows: no model instance per row, which at
    30,000 lines is most of the time a bulk_create takes, and one statement per batch rather
    than per row (an `executemany` of 50,000 rows took 10 s on PostgreSQL). The values were
    checked against the fields by `resolve` and the sheet reader; the triggers record every row
    in the history as for any insert."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    plain = (str, int, bool, type(None))  # what both databases take as they are

    def prepared(field, value):
        return value if type(value) in plain else field.get_db_prep_save(value, connection)

    # Each column: its field and its default, prepared once for the rows that leave it out.
    columns = [(field, prepared(field, field.get_default())) for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, connection.ops.bulk_batch_size(fields, rows))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = []
            for row in chunk:
                for field, default in columns:
                    value = row.get(field.attname, _MISSING)
                    values.append(default if value is _MISSING else prepared(field, value))
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one_row] * len(chunk))}",
                values,
            )


def problems_error(resolution: Resolution) -> ValidationError:
    return ValidationError(
        _("The sheet has %(count)s problems; nothing was imported.")
        % {"count": len(resolution.problems)},
        code="import_problems",
    )


@design_write
def import_apply(
    *,
    organization: Organization,
    sheet: Sheet,
    expected_revision: int | None = None,
    progress: Progress = _quiet,
) -> Resolution:
    """Apply `sheet` to `organization` as one recorded revision, or refuse and write nothing.
    `expected_revision` is the revision the preview was made at."""
    with tree_write(Department, Role):
        current = Organization.objects.get(pk=organization.pk)
        if expected_revision is not None and current.revision != expected_revision:
            raise ValidationError(
                _(
                    "The design changed since this preview (revision %(then)s, now %(now)s): "
                    "look at the new preview before importing."
                )
                % {"then": expected_revision, "now": current.revision},
                code="stale_preview",
            )
        resolution = resolve(current, sheet)
        if not resolution.ok:
            raise problems_error(resolution)
        if not resolution.changes_anything:
            return resolution  # a sheet that matches the design: no revision
        organization = begin_write(current, expected_revision=None, note=_("Spreadsheet import"))
        _Writer(organization, resolution, progress).write()
        resolution.revision = organization.revision
        return resolution


class _Writer:
    def __init__(self, organization: Organization, resolution: Resolution, progress: Progress):
        self.organization = organization
        self.resolution = resolution
        self.progress = progress
        self.phases: dict[str, HeadcountPhase] = {}
        self.departments: dict[str, int] = {}  # key → id
        self.roles: dict[str, int] = {}

    def write(self) -> None:
        resolution = self.resolution
        total = len(resolution.departments) + len(resolution.roles)
        self.progress(_("Phases"), 0, total)
        self.write_phases()
        self.progress(_("Departments"), 0, total)
        self.write_tree(Department, resolution.departments, resolution.department_order, "parent")
        self.progress(_("Roles"), len(resolution.departments), total)
        self.write_tree(Role, resolution.roles, resolution.role_order, "reports_to")
        self.progress(_("Duties, requirements, KPIs and head count"), total, total)
        self.write_lines()
        self.write_headcount()
        self.write_department_headcount()
        self.write_combinable()
        self.write_collaborations()

    # --- phases -------------------------------------------------------------------------------

    def write_phases(self) -> None:
        resolution = self.resolution
        if resolution.replace_phases:
            # An organization without roles: its phases hold no head count yet.
            HeadcountPhase.objects.filter(organization=self.organization).delete()
        for key, plan in resolution.phases.items():
            if plan.existing is None:
                phase = HeadcountPhase(organization=self.organization, **plan.fields)
                phase.full_clean()
                phase.save()
            else:
                phase = HeadcountPhase.objects.get(pk=plan.existing["id"])
                if plan.fields:
                    for name, value in plan.fields.items():
                        setattr(phase, name, value)
                    phase.full_clean()
                    phase.save(update_fields=list(plan.fields))
            self.phases[key] = phase

    # --- trees --------------------------------------------------------------------------------

    @staticmethod
    def references(model, parent_attr: str) -> list[str]:
        return [parent_attr, "organization"] + (["department"] if model is Role else [])

    def resolve_fields(self, model, node: Node) -> dict:
        fields = dict(node.fields)
        if model is Role:
            department = fields.pop("department", None) if node.existing else node.department
            if department is not None:
                fields["department_id"] = self.departments[department]
        if model is Department and node.existing is None:
            # The sheet carries no line's origin: a new department's function lines take its
            # own, as a template's do without their own.
            fields["functions_origin"] = function_origins(
                department=None,
                functions_zh=fields.get("functions_zh", ""),
                functions_en=fields.get("functions_en", ""),
                origin=fields.get("origin", Origin.USER),
            )
        return fields

    def write_tree(self, model, nodes: dict[str, Node], order: list[str], parent_attr: str):
        ids = self.departments if model is Department else self.roles
        for key, node in nodes.items():
            if node.existing is not None:
                ids[key] = node.existing["id"]
        if not any(node.existing for node in nodes.values()):
            self.bulk_insert(model, nodes, order, parent_attr, ids)
            return
        for key in order:
            node = nodes[key]
            if node.existing is None:
                fields = self.resolve_fields(model, node)
                instance = model(organization=self.organization, code=node.code)
                for name, value in fields.items():
                    setattr(instance, name, value)
                setattr(instance, f"{parent_attr}_id", ids.get(node.parent))
                instance.full_clean(exclude=self.references(model, parent_attr), **FIELDS_ONLY)
                instance.save()  # django-mptt: the last child of its parent
                ids[key] = instance.pk
                continue
            if node.moved:
                instance = model._default_manager.get(pk=node.existing["id"])
                target = model._default_manager.get(pk=ids[node.parent]) if node.parent else None
                MoveNode(instance, target, "last-child", field=parent_attr).execute()
            fields = self.resolve_fields(model, node)
            if fields:
                instance = trees.reload(model._default_manager.get(pk=node.existing["id"]))
                if model is Department:
                    # Lines whose text is unchanged keep their origin, as in the editor.
                    origins = changed_function_origins(instance, fields)
                    if origins is not None:
                        fields["functions_origin"] = origins
                for name, value in fields.items():
                    setattr(instance, name, value)
                instance.full_clean(exclude=self.references(model, parent_attr), **FIELDS_ONLY)
                instance.save(update_fields=[n.removesuffix("_id") for n in fields])

    def bulk_insert(self, model, nodes, order, parent_attr, ids) -> None:
        """Whole new trees: tree columns numbered here (depth first, as django-mptt would),
        one INSERT per tree level and batch, parents first so children know their ids."""
        if not nodes:
            return
        next_tree = (model._default_manager.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        children: dict[str | None, list[str]] = defaultdict(list)
        for key in order:
            children[nodes[key].parent].append(key)
        numbers: dict[str, tuple[int, int, int, int]] = {}  # tree, lft, rght, depth
        for root in children[None]:
            tree_id = next_tree
            next_tree += 1
            counter = 1
            lft_of: dict[str, int] = {}
            depth_of = {root: 0}
            stack: list[tuple[str, bool]] = [(root, False)]
            while stack:
                key, done = stack.pop()
                if done:
                    numbers[key] = (tree_id, lft_of[key], counter, depth_of[key])
                    counter += 1
                    continue
                lft_of[key] = counter
                counter += 1
                stack.append((key, True))
                for child in reversed(children[key]):
                    depth_of[child] = depth_of[key] + 1
                    stack.append((child, False))
        by_depth: dict[int, list[str]] = defaultdict(list)
        for key in order:
            by_depth[numbers[key][3]].append(key)
        for depth in sorted(by_depth):
            rows = []
            for key in by_depth[depth]:
                node = nodes[key]
                tree_id, lft, rght, level = numbers[key]
                row = self.resolve_fields(model, node)
                row.update(
                    organization_id=self.organization.pk,
                    code=node.code,
                    tree_id=tree_id,
                    lft=lft,
                    rght=rght,
                    depth=level,
                )
                row[f"{parent_attr}_id"] = ids.get(node.parent)
                rows.append(row)
            insert_rows(model, rows)
            codes = {nodes[key].code: key for key in by_depth[depth]}
            for code, pk in model._default_manager.filter(
                organization=self.organization, depth=depth
            ).values_list("code", "pk"):
                if code in codes:
                    ids[codes[code]] = pk
        tree_reshaped.send(sender=model)

    # --- lines, head count, links -------------------------------------------------------------

    def write_lines(self) -> None:
        by_kind: dict[str, dict[int, list[tuple]]] = defaultdict(dict)
        existing: dict[str, list[int]] = defaultdict(list)  # roles that may have lines already
        for key, kinds in self.resolution.lines.items():
            for kind, rows in kinds.items():
                by_kind[kind][self.roles[key]] = rows
                if self.resolution.roles[key].existing:
                    existing[kind].append(self.roles[key])
        for kind, by_role in by_kind.items():
            model = LINE_MODELS[kind]
            if existing[kind]:
                model.objects.filter(role_id__in=existing[kind]).delete()
            rows = []
            for role_id, lines in by_role.items():
                for order, line in enumerate(lines, start=1):
                    row = {"role_id": role_id, "order": order, "text_zh": line[0],
                           "text_en": line[1]}  # fmt: skip
                    if kind == "requirements":
                        row["kind"], row["preferred"] = line[2], line[3]
                    rows.append(row)
            insert_rows(model, rows)

    def write_headcount(self) -> None:
        removed: list[tuple[int, int]] = []
        instances = []
        for key, counts in self.resolution.headcount.items():
            role_id = self.roles[key]
            for phase_key, value in counts.items():
                phase_id = self.phases[phase_key].pk
                removed.append((role_id, phase_id))
                if value is not None:
                    instances.append(
                        {"role_id": role_id, "phase_id": phase_id, "min_count": value[0],
                         "max_count": value[1]}
                    )  # fmt: skip
        existing_roles = {
            role_id
            for key, role_id in self.roles.items()
            if key in self.resolution.headcount and self.resolution.roles[key].existing
        }
        if existing_roles:
            removed_pairs = set(removed)
            for target in HeadcountTarget.objects.filter(role_id__in=existing_roles).only(
                "id", "role_id", "phase_id"
            ):
                if (target.role_id, target.phase_id) in removed_pairs:
                    target.delete()
        insert_rows(HeadcountTarget, instances)

    def write_department_headcount(self) -> None:
        """The departments' own head count (部门定编) through their service, which joins this
        write: one call per department whose head count changes (a department has one row per
        phase; there are far fewer departments than roles)."""
        changed = self.resolution.department_headcount
        if not changed:
            return
        departments = Department.objects.select_related("organization").in_bulk(
            [self.departments[key] for key in changed]
        )
        for key, counts in changed.items():
            department_set_headcount(
                department=departments[self.departments[key]],
                headcount=[
                    {"phase": self.phases[phase].pk, "min": low, "max": high}
                    for phase, (low, high) in counts.items()
                ],
            )

    def write_combinable(self) -> None:
        if not self.resolution.combinable:
            return
        through = Role.combinable_with.through
        role_ids = {self.roles[key] for key in self.resolution.combinable}
        through.objects.filter(from_role_id__in=role_ids).delete()
        through.objects.filter(to_role_id__in=role_ids).delete()
        pairs = set()
        for key, links in self.resolution.combinable.items():
            for other in links:
                pairs.add((self.roles[key], self.roles[other]))
                pairs.add((self.roles[other], self.roles[key]))
        through.objects.bulk_create(
            [through(from_role_id=a, to_role_id=b) for a, b in sorted(pairs)], batch_size=500
        )

    def write_collaborations(self) -> None:
        instances = []
        for item in self.resolution.collaborations_new:
            ids = self.departments if item["kind"] == "d" else self.roles
            source, target = (ids[key] for key in item["ends"])
            ends = (
                {"from_department_id": source, "to_department_id": target}
                if item["kind"] == "d"
                else {"from_role_id": source, "to_role_id": target}
            )
            instance = Collaboration(
                organization=self.organization,
                order=item["order"],
                description_zh=item["description_zh"],
                description_en=item["description_en"],
                origin=item.get("origin", "user"),
                source_note=item.get("source_note", ""),
                **ends,
            )
            instance.full_clean(
                exclude=["organization", "from_department", "to_department", "from_role",
                         "to_role"],
                validate_constraints=False,
            )  # fmt: skip
            instances.append(instance)
        Collaboration.objects.bulk_create(instances)
        for pk, changes in self.resolution.collaborations_changed:
            collaboration = Collaboration.objects.get(pk=pk)
            for name, value in changes.items():
                setattr(collaboration, name, value)
            collaboration.full_clean(validate_constraints=False)
            collaboration.save(update_fields=list(changes))
