"""Every write that can change a calendar page leaves a CalendarChange row, written by the
database: an appointment added, changed or removed (its day in UTC, before and after), a patient,
user or room renamed (no day: any day can show them). Triggers, not signals, so that a bulk update,
the admin or a script cannot change a day without it.

On PostgreSQL the appointment's triggers are per statement and write one row per day touched
(seed_scale adds a million appointments in a few statements); the renames' are per row, only when
a name really changes (not on every save, nor on each sign-in's last_login). On SQLite, per row.
"""

from django.db import migrations, models


PG_FORWARD = [
    """
    CREATE FUNCTION scheduling_calendar_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO scheduling_calendarchange (day)
            SELECT DISTINCT (starts_at AT TIME ZONE 'UTC')::date FROM new_rows;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO scheduling_calendarchange (day)
            SELECT DISTINCT (starts_at AT TIME ZONE 'UTC')::date FROM old_rows;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION scheduling_calendar_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO scheduling_calendarchange (day) VALUES (NULL);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER calendar_change_on_insert AFTER INSERT ON scheduling_appointment
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scheduling_calendar_days_changed()
    """,
    """
    CREATE TRIGGER calendar_change_on_update AFTER UPDATE ON scheduling_appointment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scheduling_calendar_days_changed()
    """,
    """
    CREATE TRIGGER calendar_change_on_delete AFTER DELETE ON scheduling_appointment
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION scheduling_calendar_days_changed()
    """,
    """
    CREATE TRIGGER calendar_change_on_patient_names AFTER UPDATE ON patients_patient
    FOR EACH ROW WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name
                       OR OLD.last_name IS DISTINCT FROM NEW.last_name)
    EXECUTE FUNCTION scheduling_calendar_names_changed()
    """,
    """
    CREATE TRIGGER calendar_change_on_user_names AFTER UPDATE ON auth_user
    FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username
                       OR OLD.first_name IS DISTINCT FROM NEW.first_name
                       OR OLD.last_name IS DISTINCT FROM NEW.last_name)
    EXECUTE FUNCTION scheduling_calendar_names_changed()
    """,
    """
    CREATE TRIGGER calendar_change_on_room_names AFTER UPDATE ON scheduling_room
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION scheduling_calendar_names_changed()
    """,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS calendar_change_on_insert ON scheduling_appointment",
    "DROP TRIGGER IF EXISTS calendar_change_on_update ON scheduling_appointment",
    "DROP TRIGGER IF EXISTS calendar_change_on_delete ON scheduling_appointment",
    "DROP TRIGGER IF EXISTS calendar_change_on_patient_names ON patients_patient",
    "DROP TRIGGER IF EXISTS calendar_change_on_user_names ON auth_user",
    "DROP TRIGGER IF EXISTS calendar_change_on_room_names ON scheduling_room",
    "DROP FUNCTION IF EXISTS scheduling_calendar_days_changed()",
    "DROP FUNCTION IF EXISTS scheduling_calendar_names_changed()",
]

# SQLite keeps date-times as UTC text ("2026-06-08 08:00:00"): date() reads the day.
_NAMES_ROW = "BEGIN INSERT INTO scheduling_calendarchange (day) VALUES (NULL); END"
SQLITE_FORWARD = [
    """
    CREATE TRIGGER calendar_change_on_insert AFTER INSERT ON scheduling_appointment
    BEGIN INSERT INTO scheduling_calendarchange (day) VALUES (date(NEW.starts_at)); END
    """,
    """
    CREATE TRIGGER calendar_change_on_update AFTER UPDATE ON scheduling_appointment
    BEGIN
        INSERT INTO scheduling_calendarchange (day) VALUES (date(OLD.starts_at));
        INSERT INTO scheduling_calendarchange (day) VALUES (date(NEW.starts_at));
    END
    """,
    """
    CREATE TRIGGER calendar_change_on_delete AFTER DELETE ON scheduling_appointment
    BEGIN INSERT INTO scheduling_calendarchange (day) VALUES (date(OLD.starts_at)); END
    """,
    f"""
    CREATE TRIGGER calendar_change_on_patient_names AFTER UPDATE ON patients_patient
    WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name
    {_NAMES_ROW}
    """,
    f"""
    CREATE TRIGGER calendar_change_on_user_names AFTER UPDATE ON auth_user
    WHEN OLD.username IS NOT NEW.username OR OLD.first_name IS NOT NEW.first_name
        OR OLD.last_name IS NOT NEW.last_name
    {_NAMES_ROW}
    """,
    f"""
    CREATE TRIGGER calendar_change_on_room_names AFTER UPDATE ON scheduling_room
    WHEN OLD.name IS NOT NEW.name
    {_NAMES_ROW}
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "calendar_change_on_insert",
        "calendar_change_on_update",
        "calendar_change_on_delete",
        "calendar_change_on_patient_names",
        "calendar_change_on_user_names",
        "calendar_change_on_room_names",
    )
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


add_triggers = _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD})
remove_triggers = _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_calendar_feed"),
        # The triggers are on their tables too.
        ("patients", "0012_accesslog_patient_one_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="CalendarChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("day", models.DateField(blank=True, null=True)),
            ],
            options={
                "indexes": [models.Index(fields=["day", "id"], name="calendar_change_day_idx")],
            },
        ),
        migrations.RunPython(add_triggers, remove_triggers, elidable=False),
    ]
