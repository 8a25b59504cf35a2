# A role's own location and offers for the candidate job description (issue 18).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("roles", "0005_input_limits")]

    operations = []
