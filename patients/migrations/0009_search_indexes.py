"""Indexes for the patient search (trigram, PostgreSQL only) and the dashboard's recent patients.

Patient.objects.search() and the admin's search match names with `icontains`, which PostgreSQL
runs as UPPER(column::text) LIKE UPPER('%word%'): no B-tree index can serve a pattern with a
leading wildcard, so every search read all 100k rows. A GIN index of the trigrams of exactly that
expression can (pg_trgm), for each name column; phone digits and the MRN (for digit fragments)
get plain trigram indexes. The planner ORs them together (BitmapOr).

pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it. SQLite has no
such index and needs none for a clinic's data; there the operations do nothing.
"""

from django.db import migrations, models

INDEXES = {
    "patient_first_name_trgm": "UPPER((first_name)::text) gin_trgm_ops",
    "patient_last_name_trgm": "UPPER((last_name)::text) gin_trgm_ops",
    "patient_preferred_name_trgm": "UPPER((preferred_name)::text) gin_trgm_ops",
    "patient_phone_digits_trgm": "phone_digits gin_trgm_ops",
    "patient_mrn_trgm": "mrn gin_trgm_ops",
}


def add_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON patients_patient USING gin ({expression})"
        )


def remove_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_patient_archive_reason")]

    operations = [
        migrations.RunPython(add_trigram_indexes, remove_trigram_indexes, elidable=False),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                condition=models.Q(("is_archived", False)),
                fields=["-updated_at"],
                name="patient_active_updated_idx",
            ),
        ),
    ]
