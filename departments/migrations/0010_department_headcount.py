# Released empty: it was reserved for the department head count (issue 20) and shipped before that
# work landed, so installations have it recorded as applied. It stays a no-op; the head count is
# created by 0011_department_headcount, which such installations will still run.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("departments", "0009_organization_profile")]

    operations = []
