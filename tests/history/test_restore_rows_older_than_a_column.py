"""A restore to a revision recorded before a column existed (issue 20 added a phase's origin, a
department's function-line origins and a requirement's preferred mark): the rows of that time
have no value for it, and take the column's default, as the migration that added it gave them,
instead of failing on a NULL."""

import pytest

from departments import services as department_services
from departments.history import restore
from departments.models import Department, HeadcountPhase, Organization, RowChange
from roles import services as role_services
from roles.models import Requirement

pytestmark = pytest.mark.django_db

ADDED = {"origin", "source_note", "functions_origin", "preferred"}


def forget_added_columns() -> None:
    """Make every recorded row look as it was recorded before issue 20's columns."""
    for change in RowChange.objects.all():
        for side in ("old", "new"):
            row = getattr(change, side)
            if row and ADDED & row.keys():
                for column in ("functions_origin", "preferred"):
                    row.pop(column, None)
                if change.table == HeadcountPhase._meta.db_table:
                    row.pop("origin", None)
                    row.pop("source_note", None)
        change.save(update_fields=["old", "new"])


def test_restoring_rows_recorded_before_the_columns(organization):
    unit = department_services.department_create(
        organization=organization, name_zh="客服部", functions_zh="售前咨询"
    )
    agent = role_services.role_create(
        organization=organization,
        department=unit,
        title_zh="客服",
        requirements=[{"kind": "skill", "text_zh": "打字快"}],
    )
    phase = organization.phases.order_by("order").first()
    mark = Organization.objects.get(pk=organization.pk).revision
    department_services.phase_update(phase=phase, name_zh="起步期", origin="seed")
    department_services.department_update(department=unit, functions_zh="售前咨询\n售后服务")
    role_services.role_update(
        role=agent, requirements=[{"kind": "skill", "text_zh": "打字快", "preferred": True}]
    )
    forget_added_columns()

    restore.design_restore(organization=organization, number=mark)

    phase.refresh_from_db()
    assert (phase.origin, phase.source_note) == ("user", "")
    unit = Department.objects.get(pk=unit.pk)
    assert unit.functions_zh == "售前咨询"
    # no line origins recorded: the lines read as the department's origin
    assert unit.functions_origin == [] and unit.function_sources == [
        {"origin": "user", "source_note": ""}
    ]
    assert list(Requirement.objects.filter(role=agent).values_list("preferred", flat=True)) == [
        False
    ]
