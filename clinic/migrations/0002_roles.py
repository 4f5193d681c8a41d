"""Creates the three role groups with their permissions (clinic/roles.py). Safe to re-run; the same
sync also runs after every migrate so later models join the table without another migration."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from clinic.roles import sync_roles

    sync_roles(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("patients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
