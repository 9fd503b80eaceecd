"""Indexes for the admin's name and e-mail search on PostgreSQL.

The admin searches pupils and users by the start of a name or address (`^` in
`search_fields`), which Django asks as `UPPER(column::text) LIKE UPPER('jans%')`. An expression
index with `text_pattern_ops` answers that whatever the database's collation. SQLite, used for
development only, gets none: its LIKE ignores such indexes anyway.
"""

from django.db import migrations

INDEXES = {
    "pupil_last_name_prefix": ("schools_pupil", "last_name"),
    "pupil_first_name_prefix": ("schools_pupil", "first_name"),
    "user_email_prefix": ("schools_user", "email"),
    "user_last_name_prefix": ("schools_user", "last_name"),
    "user_first_name_prefix": ("schools_user", "first_name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'(UPPER("{column}"::text) text_pattern_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_admin_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
