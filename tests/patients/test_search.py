"""Finding a patient at the desk: Patient.objects.search and the patient list page."""

import datetime as dt

import pytest
from django.urls import reverse

from patients.identifiers import new_mrn
from patients.models import Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db) -> dict[str, Patient]:
    return {
        "ada": PatientFactory(
            first_name="Ada",
            last_name="Lovelace",
            preferred_name="Countess",
            mrn="SC-1001",
            date_of_birth=dt.date(1990, 3, 14),
            phone="07700 900123",
        ),
        "adam": PatientFactory(
            first_name="Adam",
            last_name="Smith",
            mrn="SC-1002",
            date_of_birth=dt.date(1985, 7, 1),
            phone="0161 555 0134",
        ),
        "grace": PatientFactory(
            first_name="Grace",
            last_name="Hopper",
            mrn="SC-1003",
            date_of_birth=dt.date(1990, 3, 15),
            phone="020 7946 0000",
        ),
        "courtney": PatientFactory(
            first_name="Courtney",
            last_name="Love",
            mrn="SC-1004",
            date_of_birth=dt.date(1964, 7, 9),
            phone="",
        ),
    }


def found(query: str) -> set[str]:
    return {f"{p.first_name} {p.last_name}" for p in Patient.objects.search(query)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Lovelace", {"Ada Lovelace"}, id="last name"),
        pytest.param("lovelace", {"Ada Lovelace"}, id="last name, lower case"),
        pytest.param("Grace", {"Grace Hopper"}, id="first name"),
        pytest.param("ada", {"Ada Lovelace", "Adam Smith"}, id="part of a first name"),
        pytest.param("love", {"Ada Lovelace", "Courtney Love"}, id="part of a last name"),
        pytest.param("ada love", {"Ada Lovelace"}, id="two words must both match"),
        pytest.param("LOVE ADA", {"Ada Lovelace"}, id="two words in any order"),
        pytest.param("countess", {"Ada Lovelace"}, id="preferred name"),
        pytest.param("SC-1002", {"Adam Smith"}, id="MRN"),
        pytest.param("sc-1002", {"Adam Smith"}, id="MRN in lower case"),
        pytest.param(" SC-1002 ", {"Adam Smith"}, id="MRN with spaces around"),
        pytest.param("1990-03-14", {"Ada Lovelace"}, id="date of birth, ISO"),
        pytest.param("14/03/1990", {"Ada Lovelace"}, id="date of birth, dd/mm/yyyy"),
        pytest.param("14.03.1990", {"Ada Lovelace"}, id="date of birth, dd.mm.yyyy"),
        pytest.param("15-03-1990", {"Grace Hopper"}, id="date of birth, dd-mm-yyyy"),
        pytest.param("07700 900123", {"Ada Lovelace"}, id="phone as stored"),
        pytest.param("07700900123", {"Ada Lovelace"}, id="phone without spaces"),
        pytest.param("(07700) 900-123", {"Ada Lovelace"}, id="phone with brackets and dash"),
        pytest.param("900123", {"Ada Lovelace"}, id="end of a phone number"),
        pytest.param("0161-555-0134", {"Adam Smith"}, id="landline with dashes"),
        pytest.param("Zebedee", set(), id="no match"),
        pytest.param("1990-03-16", set(), id="date of birth nobody has"),
        pytest.param("ada hopper", set(), id="words from two different patients"),
    ],
)
def test_search(people, query, expected):
    assert found(query) == expected


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_search_returns_everyone(people, query):
    assert found(query) == {
        "Ada Lovelace",
        "Adam Smith",
        "Grace Hopper",
        "Courtney Love",
    }


def test_list_search_shows_the_match_and_not_the_others(desk_client, people):
    response = desk_client.get(reverse("patients:list"), {"q": "lovelace"})

    content = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["page"]) == [people["ada"]]
    assert "Lovelace, Ada" in content
    assert "SC-1001" in content
    assert "1 patient matching “lovelace”" in content
    assert "Hopper" not in content
    assert "SC-1002" not in content


def test_list_search_with_no_match_says_so(desk_client, people):
    response = desk_client.get(reverse("patients:list"), {"q": "Zebedee"})

    content = response.content.decode()
    assert list(response.context["page"]) == []
    assert "0 patients matching “Zebedee”" in content
    assert "No patients found." in content


def test_list_search_leaves_out_archived_patients_unless_asked(desk_client, clinic_admin, people):
    people["ada"].archive(by=clinic_admin, reason="Duplicate registration")
    url = reverse("patients:list")

    assert list(desk_client.get(url, {"q": "ada"}).context["page"]) == [people["adam"]]
    assert list(desk_client.get(url, {"q": "ada", "archived": "on"}).context["page"]) == [
        people["ada"],
        people["adam"],
    ]


def test_list_is_in_surname_order(desk_client, people):
    response = desk_client.get(reverse("patients:list"))

    assert [p.last_name for p in response.context["page"]] == [
        "Hopper",
        "Love",
        "Lovelace",
        "Smith",
    ]


def test_list_shows_25_patients_a_page(desk_client):
    for n in range(30):
        PatientFactory(last_name=f"Patient{n:02d}")
    url = reverse("patients:list")

    first = desk_client.get(url)
    second = desk_client.get(url, {"page": 2})

    assert first.context["page"].paginator.num_pages == 2
    assert [p.last_name for p in first.context["page"]] == [f"Patient{n:02d}" for n in range(25)]
    assert [p.last_name for p in second.context["page"]] == [
        f"Patient{n:02d}" for n in range(25, 30)
    ]
    assert first.content.decode().count('<td class="mrn">') == 25
    assert second.content.decode().count('<td class="mrn">') == 5
    assert "30 patients" in first.content.decode()
    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()


def test_page_links_keep_the_search(desk_client):
    for n in range(26):
        PatientFactory(first_name="Ada", last_name=f"Byron{n:02d}")

    response = desk_client.get(reverse("patients:list"), {"q": "ada", "archived": "on"})

    assert 'href="?q=ada&archived=on&page=2"' in response.content.decode()


def test_page_number_past_the_end_shows_the_last_page(desk_client):
    for n in range(30):
        PatientFactory(last_name=f"Patient{n:02d}")

    response = desk_client.get(reverse("patients:list"), {"page": 9})

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_a_whole_generated_mrn_finds_that_patient_and_a_fragment_looks_within_mrns(db):
    whole = new_mrn()
    digits = whole.replace("-", "")
    patient = PatientFactory(first_name="Iris", last_name="Pike", mrn=whole, phone="")
    # An imported MRN that happens to contain it, and a phone number with its digits.
    imported = PatientFactory(first_name="Olu", last_name="Bank", mrn=f"X{whole}", phone="")
    caller = PatientFactory(first_name="Ann", last_name="Call", phone=f"0{digits}00")

    assert set(Patient.objects.search(whole)) == {patient, caller}
    assert set(Patient.objects.search(f" {digits} ")) == {patient, caller}  # hyphen left out
    assert set(Patient.objects.search(whole[:7])) == {patient, imported, caller}


def test_a_number_with_a_wrong_check_digit_is_looked_for_within_mrns(db):
    whole = new_mrn()
    wrong = whole[:-1] + str((int(whole[-1]) + 1) % 10)
    imported = PatientFactory(mrn=f"{wrong}7", phone="")
    assert set(Patient.objects.search(wrong)) == {imported}
