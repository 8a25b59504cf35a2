# A role move renumbers the rows between the role's old and new place (issue 21 item 5: across
# the whole tree, about every row of the design). On PostgreSQL each renumbered row is a new row
# version; when its page is full it goes to another page with an entry in every index of the
# table, and that was 70–80 % of a move's time at 5,000 roles (docs/architecture.md, "Writes at
# scale"). So:
#
# - roles_role at fillfactor 50 on PostgreSQL: pages are filled to half, a renumbered row's new
#   version fits on its own page and, as no index covers lft, rght or depth, it is a HOT update
#   (no index entries). Setting it rewrites nothing: rows written from then on follow it. SQLite
#   has no such setting; there it does nothing.
# - Two indexes dropped, each one write more per row update that is not HOT (the moved role
#   itself, any row whose page is full):
#   - organization_id: the unique (organization_id, code) starts with it, so every query by
#     organization (all of them: the services, selectors, the organization delete, the
#     foreign key's cascade) uses that one;
#   - code (and its varchar_pattern_ops twin on PostgreSQL): no query looks a code up across
#     organizations; within one (`next_free_code`'s prefix match, the copy's parent-by-code
#     joins) the unique index above serves it.
from django.db import migrations, models

FILLFACTOR = 50


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE roles_role SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE roles_role RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("roles", "0009_requirement_preferred")]

    operations = [
        migrations.AlterField(
            model_name="role",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="roles",
                to="departments.organization",
            ),
        ),
        migrations.AlterField(
            model_name="role",
            name="code",
            field=models.SlugField(db_index=False, max_length=80, verbose_name="code"),
        ),
        migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False),
    ]
