"""Query budgets for the admin lists of the tables that grow without bound: the same number of
queries for 3 rows as for 30. Each expected query is named, so a new one is a visible diff here."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.paging import ESTIMATE_FROM_ROWS, LargeTablePaginator, estimated_rows
from clinic.roles import Role
from patients.models import AccessLog
from scheduling.models import Appointment
from tests.factories import PatientFactory, UserFactory
from tests.scheduling.factories import AppointmentFactory, RoomFactory
from tests.treatments.factories import TreatmentSessionFactory, cross, subcision

pytestmark = pytest.mark.django_db

# Every admin page starts with these:
# 1. django_session: load the session
# 2. auth_user: the signed-in user, with a column folding the user's own permissions
#    (auth_user_user_permissions), the role's (auth_group_permissions) and the role badge's group
#    names (auth_group) out of one UNION ALL subquery (clinic/auth_backend.py)
# 3. otp_totp_totpdevice: the device that verified this session (two-factor sign-in)

# A list's count rides in its page's query (clinic.paging.LargeTablePaginator): an unfiltered
# list's as a subquery of the table's rows (PostgreSQL: its estimate when large), a search of
# the patients' as a window count over the capped matches.

SESSIONS_QUERIES = 6
# 4. auth_user: the clinician filter's choices
# 5. treatments_treatmentsession JOIN patients_patient, auth_user: the page's rows, with the
#    table's rows (PostgreSQL: the estimate when large) and each row's modalities from the six
#    procedure tables (a correlated subquery): the "Modalities" column
# 6. clinic_accesslog: one INSERT of a row per patient shown (the access trail)

APPOINTMENTS_QUERIES = 6
# 4. auth_user: the dermatologist filter's choices
# 5. scheduling_room: the room filter's choices
# 6. scheduling_appointment JOIN patient, dermatologist, room, booked_by: the page's rows, with
#    the table's rows

PATIENTS_QUERIES = 5
# 4. patients_patient: the page's rows, with the table's rows (unfiltered) or COUNT(*) OVER ()
#    of the search's first matches (clinic.paging.read_capped_page)
# 5. clinic_accesslog: one INSERT of a row per patient shown (the access trail)

ACCESS_LOG_QUERIES = 5
# 4. auth_user: the user filter's choices (staff accounts, not a scan of the trail)
# 5. clinic_accesslog: the page's rows, with the trail's rows (the record filter's choices are
#    fixed: no DISTINCT over the trail)


def _fill(count: int) -> None:
    clinician = UserFactory(role=Role.DERMATOLOGIST)
    room = RoomFactory(name="Room 1")
    start = dt.datetime(2026, 6, 8, 8, 0, tzinfo=dt.UTC)
    for n in range(count):
        patient = PatientFactory(last_name="Smith")
        procedures = [cross(), subcision()] if n % 2 else [cross()]
        TreatmentSessionFactory(patient=patient, clinician=clinician, procedures=procedures)
        begins = start + dt.timedelta(minutes=30 * n)
        AppointmentFactory(
            patient=patient, dermatologist=clinician, room=room, starts_at=begins,
            ends_at=begins + dt.timedelta(minutes=30),
        )  # fmt: skip
        AccessLog.objects.create(username="alice", action="view", patient=patient)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/admin/treatments/treatmentsession/", SESSIONS_QUERIES),
        ("/admin/scheduling/appointment/", APPOINTMENTS_QUERIES),
        ("/admin/patients/patient/", PATIENTS_QUERIES),
        ("/admin/patients/patient/?q=smith", PATIENTS_QUERIES),
        ("/admin/patients/accesslog/", ACCESS_LOG_QUERIES),
    ],
)
def test_admin_lists_cost_the_same_for_3_and_30_rows(
    admin_client_, django_assert_num_queries, rows, url, budget
):
    _fill(rows)
    with django_assert_num_queries(budget):
        response = admin_client_.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


def test_big_lists_have_no_date_drill_down_or_second_count(admin_client_):
    _fill(1)
    for url in ["/admin/treatments/treatmentsession/", "/admin/scheduling/appointment/"]:
        cl = admin_client_.get(url).context["cl"]
        assert cl.date_hierarchy is None
        assert cl.show_full_result_count is False


@pytest.mark.parametrize(
    ("query", "reads"),
    [
        pytest.param("", (1, 0), id="the page's query"),
        pytest.param("?q=smith", (1, 0), id="a search: the page's query, not its count"),
        # DISTINCT would compute the subquery for every row compared: one UNION afterwards.
        pytest.param("?modality=cross", (0, 1), id="the modality filter"),
        # The count comes with a first page, then ChangeList reads every row.
        pytest.param("?all=", (1, 1), id="all rows, unpaged"),
    ],
)
def test_the_sessions_list_names_each_sessions_modalities(admin_client_, query, reads):
    _fill(30)
    with CaptureQueriesContext(connection) as queries:
        cl = admin_client_.get(f"/admin/treatments/treatmentsession/{query}").context["cl"]
    for session in cl.result_list:
        own = ", ".join(modality.label for modality in session.modalities())
        assert cl.model_admin.modality_list(session) == own
    assert {cl.model_admin.modality_list(s) for s in cl.result_list} == {
        "CROSS (TCA)",
        "CROSS (TCA), Subcision",
    }
    sqls = [q["sql"] for q in queries.captured_queries]
    in_page = [sql for sql in sqls if "AS modalities" in sql]
    union = [sql for sql in sqls if "UNION ALL" in sql and "crossprocedure" in sql]
    union = [sql for sql in union if sql not in in_page]
    assert (len(in_page), len(union)) == reads
    assert not any(sql.startswith("SELECT COUNT(") for sql in in_page)


def test_the_access_log_filters_by_kind_of_record(admin_client_):
    _fill(1)
    AccessLog.objects.create(username="bob", action="view", object_type="scheduling.Appointment")
    chart = admin_client_.get("/admin/patients/accesslog/", {"record": "chart"})
    visits = admin_client_.get("/admin/patients/accesslog/", {"record": "scheduling.Appointment"})
    assert [row.username for row in chart.context["cl"].result_list] == ["alice"]
    assert [row.username for row in visits.context["cl"].result_list] == ["bob"]


def test_the_paginator_counts_small_and_filtered_tables_exactly(db):
    _fill(3)
    assert LargeTablePaginator(Appointment.objects.all(), 100).count == 3
    assert LargeTablePaginator(Appointment.objects.filter(pk=0), 100).count == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_on_postgresql_a_large_unfiltered_table_is_estimated_not_counted(db):
    _fill(3)
    with connection.cursor() as cursor:
        # What ANALYZE would record for a large table, without making one.
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = 'scheduling_appointment'::regclass",
            [ESTIMATE_FROM_ROWS * 2],
        )
    assert estimated_rows(Appointment.objects.all()) == ESTIMATE_FROM_ROWS * 2
    assert estimated_rows(Appointment.objects.filter(status="booked")) is None


SCARS_QUERIES = 5
# 4. treatments_scar JOIN patients_patient: the page's rows, with the table's rows
# 5. clinic_accesslog: one INSERT of a row per patient shown (the access trail)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_scar_register_admin_costs_the_same_for_3_and_30_scars(
    admin_client_, django_assert_num_queries, rows
):
    from tests.treatments.scar_factories import place_scar

    clinician = UserFactory(role=Role.DERMATOLOGIST)
    for _ in range(rows):
        place_scar(PatientFactory(), clinician, x=0.3, y=0.5)
    with django_assert_num_queries(SCARS_QUERIES):
        response = admin_client_.get("/admin/treatments/scar/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
