"""No two active appointments overlap for one dermatologist, one room or one patient: enforced by
PostgreSQL itself, so that concurrent bookings cannot both get in.

An exclusion constraint on a half-open time range ('[)': 10:00-10:30 and 10:30-11:00 touch and are
allowed) per dermatologist, per room and per patient, only for statuses that hold their slot.
A violation fails with SQLSTATE 23P01, which scheduling.services turns into the clash message.

SQLite has no such constraint: the operations do nothing there, and the booking service's check
inside its transaction keeps the rule (SQLite lets one writer in at a time).
"""

from django.db import migrations

CONSTRAINTS = {
    "appointment_no_overlap_dermatologist": "dermatologist_id",
    "appointment_no_overlap_room": "room_id",
    "appointment_no_overlap_patient": "patient_id",
}
ACTIVE_ONLY = "status NOT IN ('cancelled', 'no_show')"


def add_exclusion_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # btree_gist lets a GiST index combine "=" on an id with "&&" on a range. It is a trusted
    # extension (PostgreSQL 13+): a database owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        where = ACTIVE_ONLY if column != "room_id" else f"{ACTIVE_ONLY} AND room_id IS NOT NULL"
        schema_editor.execute(
            f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE ({where})"
        )


def remove_exclusion_constraints(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(
            f"ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS {name}"
        )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        migrations.RunPython(
            add_exclusion_constraints, remove_exclusion_constraints, elidable=False
        )
    ]
