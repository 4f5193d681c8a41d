from django.db import migrations


class Migration(migrations.Migration):
    """The access log now lives in patients (patients 0010); its table is kept, so only Django's
    state forgets the model here."""

    dependencies = [
        ("clinic", "0003_access_log_label_and_refusals"),
        ("patients", "0010_access_log_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="AccessLog")],
        )
    ]
