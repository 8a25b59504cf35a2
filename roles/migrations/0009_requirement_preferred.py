# A requirement may be a nice-to-have (优先, issue 20): the job description lists the required
# and the preferred ones apart. Existing requirements stay required.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("roles", "0008_role_key_position")]

    operations = [
        migrations.AddField(
            model_name="requirement",
            name="preferred",
            field=models.BooleanField(
                default=False,
                help_text="A nice-to-have (优先): listed apart from what a candidate must bring.",
                verbose_name="preferred",
            ),
        ),
    ]
