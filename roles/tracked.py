"""What the history records of this app's tables (see `departments.history.tracking`).
Imported once by `RolesConfig.ready()`, when the models are loaded."""

from departments.history.tracking import track
from roles.models import KPI, Collaboration, Duty, HeadcountTarget, Requirement, Role

OF_ORGANIZATION_ROLES = "role_id IN (SELECT id FROM roles_role WHERE organization_id = %s)"

track(Role, organization_sql="organization_id = %s", tree_parent="reports_to_id", order=30)
for model in (Duty, Requirement, KPI, HeadcountTarget):
    track(model, organization_sql=OF_ORGANIZATION_ROLES, order=40)
track(
    Role.combinable_with.through,
    organization_sql=OF_ORGANIZATION_ROLES.replace("role_id", "from_role_id"),
    order=40,
)
track(Collaboration, organization_sql="organization_id = %s", order=50)
