# Spreadsheet imports: the uploaded file, its preview and its job (issue 19).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("roles", "0006_role_candidate_fields")]

    operations = []
