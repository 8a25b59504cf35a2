"""What the history records of this app's tables, and the signals that keep its triggers in
place. Imported once by `DepartmentsConfig.ready()`, when the models are loaded."""

from django.db.models.signals import post_migrate, pre_migrate

from departments.history import recording, tracking
from departments.models import (
    Department,
    DepartmentHeadcount,
    HeadcountPhase,
    Membership,
    Organization,
)
from teamorg.signals import tree_reshaped

tracking.track(
    Organization,
    organization_sql="id = %s",
    exclude=(
        "revision",
        "updated_at",
        "created_at",
        "is_template",
        "cloned_from_id",
        "created_by_id",
    ),
)
tracking.track(Membership, organization_sql="organization_id = %s", restorable=False)
tracking.track(HeadcountPhase, organization_sql="organization_id = %s", order=10)
tracking.track(
    Department, organization_sql="organization_id = %s", tree_parent="parent_id", order=20
)
# A department's head count per phase (部门定编): after the departments and phases it names.
tracking.track(
    DepartmentHeadcount,
    organization_sql=(
        "department_id IN (SELECT id FROM departments_department WHERE organization_id = %s)"
    ),
    order=25,
)


def drop_triggers(using="default", **kwargs):
    # Before migrating: PostgreSQL refuses to drop a column a trigger names.
    tracking.drop_triggers(using)


def install_triggers(using="default", **kwargs):
    tracking.install_triggers(using)


def mark_reshaped(sender, node=None, **kwargs):
    if node is None:
        recording.mark_reshaped(sender._meta.db_table)
    else:
        recording.mark_placed(node)


def connect(app_config) -> None:
    pre_migrate.connect(drop_triggers, sender=app_config, dispatch_uid="history-drop-triggers")
    post_migrate.connect(
        install_triggers, sender=app_config, dispatch_uid="history-install-triggers"
    )
    tree_reshaped.connect(mark_reshaped, dispatch_uid="history-tree-reshaped")
