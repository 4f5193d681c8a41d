from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("treatments", "0007_fhir_export_permission")]

    operations = [
        migrations.AddIndex(
            model_name="treatmentsession",
            index=models.Index(fields=["-performed_at", "-id"], name="session_performed_idx"),
        ),
    ]
