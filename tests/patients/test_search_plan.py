"""On PostgreSQL the patient search can use its trigram indexes (patients migration 0004) instead
of reading every patient: with sequential scans switched off, the plan names them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clinic.paging import read_capped_page
from patients.models import Patient
from patients.views import LIST_FIELDS
from tests.factories import PatientFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="trigram indexes exist only on PostgreSQL"
    ),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's transaction only
    return queryset.explain()


@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("lovelace", {"patient_first_name_trgm", "patient_last_name_trgm"}),
        ("ada love", {"patient_last_name_trgm", "patient_preferred_name_trgm"}),
        ("07700 900123", {"patient_phone_digits_trgm", "patient_mrn_trgm"}),
        ("SC-1001", {"patient_mrn_unique"}),
    ],
)
def test_the_search_uses_the_trigram_indexes(query, indexes):
    PatientFactory.create_batch(3)
    # Unordered and unfiltered otherwise, so only the search's own conditions can pick an index.
    used = plan(Patient.objects.search(query).order_by())
    for index in indexes:
        assert index in used, used


def test_a_whole_generated_mrn_is_looked_up_not_searched_for_within_mrns():
    PatientFactory.create_batch(3)
    # 4967-4195: a generated MRN, its check digit right. MRNs' digits share their trigrams with
    # thousands of others: the trigram index is left for fragments.
    used = plan(Patient.objects.search("4967-4195").order_by())
    assert "patient_mrn_unique" in used, used
    assert "patient_phone_digits_trgm" in used, used
    assert "patient_mrn_trgm" not in used, used
    fragment = plan(Patient.objects.search("4967-419").order_by())
    assert "patient_mrn_trgm" in fragment, fragment


def test_the_patient_list_reads_its_page_and_count_with_the_indexes_too():
    PatientFactory(first_name="Ada", last_name="Lovelace")
    # As the list with archived patients included: on one row, the partial indexes of active
    # patients would win over any search index, whatever the search.
    queryset = Patient.objects.only(*LIST_FIELDS).search("lovelace")
    with CaptureQueriesContext(connection) as queries:
        rows, count = read_capped_page(queryset, offset=0, limit=25, cap=1000)
    assert ([p.last_name for p in rows], count) == (["Lovelace"], 1)
    (page_query,) = queries.captured_queries
    with connection.cursor() as cursor:
        # A table of one row is read in name order by the name index: leave only bitmap scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {page_query['sql']}")
        used = "\n".join(row[0] for row in cursor.fetchall())
    assert "patient_last_name_trgm" in used, used
    assert "WindowAgg" in used, used
