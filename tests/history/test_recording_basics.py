import pytest

from departments.models import Revision, RowChange, TreeShape
from roles import services as role_services
from roles.models import Role
from tests.factories import DepartmentFactory, RoleFactory


@pytest.mark.django_db
def test_role_update_records_one_change(organization):
    role = RoleFactory(department=DepartmentFactory(organization=organization), title_zh="客服")
    organization.refresh_from_db()
    role_services.role_update(role=role, title_zh="客服专员")
    revision = Revision.objects.get(organization=organization, number=organization.revision + 1)
    changes = list(RowChange.objects.filter(revision=revision))
    assert [(c.table, c.op, c.changed_columns()) for c in changes] == [
        ("roles_role", "U", {"title_zh"})
    ]
    assert TreeShape.objects.filter(organization=organization).count() >= 2
    assert Role.objects.get(pk=role.pk).title_zh == "客服专员"
