# A move records where it placed the moved node instead of the whole tree's order (5,000
# [id, parent] pairs at 5,000 roles, on every move: docs/architecture.md, "Writes at scale").
# The shapes recorded so far are whole ones.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("departments", "0012_phase_and_function_line_origins")]

    operations = [
        migrations.AddField(
            model_name="treeshape",
            name="whole",
            field=models.BooleanField(default=True),
        ),
    ]
