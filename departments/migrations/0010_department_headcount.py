# A department's own head count per phase, 部门定编 (issue 20).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("departments", "0009_organization_profile")]

    operations = []
