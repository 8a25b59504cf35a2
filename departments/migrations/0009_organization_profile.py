# The organization profile a candidate's job description shows (issue 18).
# Reserved in order so that work landing in parallel keeps one line of migrations; the operations
# are filled in by that work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("departments", "0008_invitations")]

    operations = []
