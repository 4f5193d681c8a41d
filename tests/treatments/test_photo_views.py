"""Clinical photo pages and files: who may reach them, what is stored, and how it is served."""

import io
import os
import stat
from datetime import date, timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from patients.models import AccessLog, ConsentUse, ScarAssessment
from tests.conftest import client_for
from tests.factories import PhotoConsentFactory, ScarAssessmentFactory
from treatments.models import ClinicalPhoto
from treatments.panels import PHOTOS_PER_SERIES
from treatments.photos import DayScores, assessments_of, photo_store


def jpeg(colour=(200, 120, 100), size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(data: bytes | None = None, name: str = "face.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg(), "image/jpeg")


@pytest.fixture
def consented(patient):
    PhotoConsentFactory(patient=patient, use=ConsentUse.CLINICAL)
    return patient


@pytest.fixture
def photo(consented, dermatologist):
    return photo_store(
        patient=consented,
        upload=upload(),
        view="frontal",
        lighting="diffuse",
        taken_on=date(2026, 1, 10),
        by=dermatologist,
    )


def upload_data(**rows) -> dict:
    """POST data for the upload page: six standard rows, files given as {index: file}."""
    views = [
        "frontal",
        "left_oblique",
        "right_oblique",
        "left_lateral",
        "right_lateral",
        "close_up",
    ]
    data = {"photo-TOTAL_FORMS": "6", "photo-INITIAL_FORMS": "6", "taken_on": "2026-02-01"}
    for index, view in enumerate(views):
        data[f"photo-{index}-view"] = view
        data[f"photo-{index}-lighting"] = "diffuse"
    for index, file in rows.items():
        data[f"photo-{index[1:]}-file"] = file
    return data


def photo_urls(patient, photo):
    return [
        f"/treatments/patients/{patient.pk}/photos/new/",
        f"/treatments/patients/{patient.pk}/photos/compare/",
        f"/treatments/photos/{photo.pk}/",
        f"/treatments/photos/{photo.pk}/file/full.jpg",
        f"/treatments/photos/{photo.pk}/file/display.jpg",
        f"/treatments/photos/{photo.pk}/file/thumb.jpg",
    ]


def test_anonymous_is_sent_to_sign_in_from_every_photo_page_and_file(client, consented, photo):
    for url in photo_urls(consented, photo):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_front_desk_is_refused_every_photo_page_and_file(desk_client, consented, photo):
    for url in photo_urls(consented, photo):
        assert desk_client.get(url).status_code == 403, url
    assert "Photos" not in desk_client.get(f"/patients/{consented.pk}/").content.decode()


@pytest.mark.parametrize("role", ["dermatologist", "clinic_admin"])
def test_clinical_roles_reach_every_photo_page_and_file(request, role, consented, photo):
    client = client_for(request.getfixturevalue(role))
    for url in photo_urls(consented, photo):
        assert client.get(url).status_code == 200, url


def test_files_are_served_privately_and_every_view_is_logged(derm_client, photo):
    before = AccessLog.objects.filter(object_type="treatments.ClinicalPhoto").count()
    response = derm_client.get(f"/treatments/photos/{photo.pk}/file/display.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    rows = AccessLog.objects.filter(object_type="treatments.ClinicalPhoto")
    assert rows.count() == before + 1
    assert rows.first().object_id == str(photo.pk)


def test_no_other_url_returns_a_stored_file(derm_client, photo):
    for name in (photo.image.name, photo.display.name, photo.thumbnail.name):
        for url in (f"/media-not-served/{name}", f"/photos-not-served/{name}", f"/{name}",
                    f"/media/{name}", f"/static/{name}", f"/media/photos/{name}"):  # fmt: skip
            assert derm_client.get(url).status_code == 404, url


def test_upload_stores_photos_under_generated_private_names(derm_client, consented, settings):
    response = derm_client.post(
        f"/treatments/patients/{consented.pk}/photos/new/",
        upload_data(r0=upload(name="../../x.jpg"), r1=upload(jpeg((10, 200, 10)), "left.jpg")),
    )
    assert response.status_code == 302
    stored = list(ClinicalPhoto.objects.order_by("view"))
    assert [p.view for p in stored] == ["frontal", "left_oblique"]
    storage = storages["clinical_photos"]
    for photo in stored:
        assert photo.taken_on == date(2026, 2, 1)
        for field in (photo.image, photo.display, photo.thumbnail):
            assert "x.jpg" not in field.name and ".." not in field.name
            assert field.name.startswith(f"{consented.pk}/")
            mode = stat.S_IMODE(os.stat(storage.path(field.name)).st_mode)
            assert mode & 0o007 == 0, oct(mode)  # nothing for other users


def test_a_refused_file_is_explained_and_nothing_of_it_is_kept(derm_client, consented):
    storage_root = storages["clinical_photos"].location
    files_before = sum(len(f) for _, _, f in os.walk(storage_root))
    response = derm_client.post(
        f"/treatments/patients/{consented.pk}/photos/new/",
        upload_data(r0=upload(b"%PDF-1.7 not a photo", "scan.jpg")),
    )
    assert response.status_code == 200
    row = response.context["rows"].forms[0]
    assert row.errors["file"][0].startswith("scan.jpg: ")
    assert ClinicalPhoto.objects.count() == 0
    assert sum(len(f) for _, _, f in os.walk(storage_root)) == files_before


def test_the_same_photo_twice_is_refused_with_a_pointer_to_the_first(derm_client, photo):
    response = derm_client.post(
        f"/treatments/patients/{photo.patient_id}/photos/new/", upload_data(r2=upload())
    )
    assert response.context["rows"].forms[2].errors["file"] == [
        "face.jpg is already stored (Frontal, 10 Jan 2026); it was not stored again."
    ]
    assert ClinicalPhoto.objects.count() == 1


def test_without_photo_consent_the_page_says_so_and_refuses(derm_client, patient):
    page = derm_client.get(f"/treatments/patients/{patient.pk}/photos/new/")
    assert "No photo consent." in page.content.decode()
    derm_client.post(f"/treatments/patients/{patient.pk}/photos/new/", upload_data(r0=upload()))
    assert ClinicalPhoto.objects.count() == 0


def test_withdrawn_consent_stops_uploads(derm_client, consented, dermatologist):
    from patients.services import consent_withdraw

    consent = consented.photo_consents.get()
    consent_withdraw(consent=consent, withdrawn_on=timezone.localdate(), by=dermatologist)
    derm_client.post(f"/treatments/patients/{consented.pk}/photos/new/", upload_data(r0=upload()))
    assert ClinicalPhoto.objects.count() == 0


def test_close_up_needs_a_region(derm_client, consented):
    response = derm_client.post(
        f"/treatments/patients/{consented.pk}/photos/new/", upload_data(r5=upload())
    )
    assert response.context["rows"].forms[5].errors["close_up_region"] == [
        "Choose the region of the close-up."
    ]
    assert ClinicalPhoto.objects.count() == 0


def test_export_needs_the_consent_for_that_use(derm_client, consented, photo):
    url = f"/treatments/photos/{photo.pk}/export/teaching/"
    assert derm_client.get(url).status_code == 403
    PhotoConsentFactory(patient=consented, use=ConsentUse.TEACHING)
    response = derm_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1


def test_compare_defaults_to_baseline_and_latest_of_the_same_view(
    derm_client, consented, dermatologist
):
    def store(colour, day, view="frontal", lighting="diffuse"):
        return photo_store(
            patient=consented, upload=upload(jpeg(colour)), view=view, lighting=lighting,
            taken_on=day, by=dermatologist,
        )  # fmt: skip

    first = store((1, 1, 1), date(2026, 1, 1))
    store((2, 2, 2), date(2026, 2, 1))
    last = store((3, 3, 3), date(2026, 3, 1))
    store((4, 4, 4), date(2026, 4, 1), lighting="side_lit")  # another series
    response = derm_client.get(f"/treatments/patients/{consented.pk}/photos/compare/")
    assert (response.context["before"], response.context["after"]) == (first, last)
    assert len(response.context["candidates"]) == 3
    # Each picker lists the series by date, its own photo selected.
    pickers = response.content.decode().split('name="before"')[1].split('name="after"')
    assert f'<option value="{first.pk}" selected>1 Jan 2026</option>' in pickers[0]
    assert f'<option value="{last.pk}">1 Mar 2026</option>' in pickers[0]
    assert f'<option value="{first.pk}">1 Jan 2026</option>' in pickers[1]
    assert f'<option value="{last.pk}" selected>1 Mar 2026</option>' in pickers[1]


def test_archived_photo_leaves_the_timeline(derm_client, photo):
    derm_client.post(f"/treatments/photos/{photo.pk}/archive/", {"reason": "Blurred"})
    photo.refresh_from_db()
    assert photo.archive_reason == "Blurred"
    response = derm_client.get(f"/patients/{photo.patient_id}/?tab=photos")
    panel = next(p for p in response.context["panels"] if p.name == "photos").context
    assert panel["series"] == []


def store_two_series(patient, by, count: int) -> None:
    """`count` photos a fortnight apart, frontal and left oblique in turn (distinct files)."""
    for n in range(count):
        photo_store(
            patient=patient,
            upload=upload(jpeg((100, 100, 100), size=(64 + n, 48))),
            view=["frontal", "left_oblique"][n % 2],
            lighting="diffuse",
            taken_on=date(2025, 1, 1) + timedelta(days=14 * n),
            by=by,
        )


@pytest.mark.parametrize("count", [2, 40])
def test_photo_timeline_query_count_is_flat(derm_client, consented, dermatologist, count):
    store_two_series(consented, dermatologist, count)
    with CaptureQueriesContext(connection) as captured:
        response = derm_client.get(f"/patients/{consented.pk}/?tab=photos")
    panel = next(p for p in response.context["panels"] if p.name == "photos").context
    # Two series; the chart shows the newest PHOTOS_PER_SERIES of each.
    assert sum(len(items) for _, items in panel["series"]) == 2 * min(count // 2, PHOTOS_PER_SERIES)
    photo_queries = [q for q in captured.captured_queries if "treatments_clinicalphoto" in q["sql"]]
    # Photos with their sessions, in one query.
    assert len(photo_queries) == 1
    assert '"treatments_clinicalphoto"."lighting"' in photo_queries[0]["sql"]
    assert len(captured) == CHART_WITH_PHOTOS_QUERIES


# The chart's photos tab: session, user with permissions and role, patient, photo consents,
# access-log insert (see tests/patients/test_query_budget.py), and the photos with their sessions.
CHART_WITH_PHOTOS_QUERIES = 6


@pytest.mark.parametrize("count", [4, 30])
def test_compare_reads_the_same_queries_however_many_photos(
    derm_client, consented, dermatologist, count, django_assert_num_queries
):
    """The pickers read five columns of every photo; only the two compared are read whole."""
    store_two_series(consented, dermatologist, count)
    # Session, user with permissions and role, patient, the photos' picker columns, the two compared
    # photos whole, an access-log insert for each, and the assessments' scores.
    with django_assert_num_queries(COMPARE_QUERIES):
        response = derm_client.get(f"/treatments/patients/{consented.pk}/photos/compare/")
    assert len(response.context["candidates"]) == count // 2
    shown = (response.context["before"], response.context["after"])
    assert [p.taken_on for p in shown] == [
        date(2025, 1, 1),
        date(2025, 1, 1) + timedelta(days=14 * (count - 2)),
    ]


COMPARE_QUERIES = 8


def test_compare_scores_are_those_that_count_as_the_trend_counts_them(patient):
    """Of several assessments on one day the last recorded counts (creation time, then id), and
    archived ones do not: the same rows as ScarAssessment.objects.latest_of_each_day()."""

    def assess(day, ice_picks):
        return ScarAssessmentFactory(
            patient=patient, assessed_on=day, grid={("left_cheek", "ice_pick"): ice_picks}
        )

    assess(date(2026, 1, 5), 2)
    assess(date(2026, 2, 5), 3)
    assess(date(2026, 2, 5), 12)
    tied = [assess(date(2026, 3, 5), n) for n in (8, 25)]
    ScarAssessment.objects.filter(pk__in=[a.pk for a in tied]).update(created_at=tied[0].created_at)
    archived = assess(date(2026, 4, 5), 1)
    ScarAssessment.objects.filter(pk=archived.pk).update(archived_at=archived.created_at)

    expected = ScarAssessment.objects.latest_of_each_day().filter(patient=patient)
    found = assessments_of(patient)
    assert found == [
        DayScores(a.assessed_on, a.ecca_score, a.gb_quantitative_score)
        for a in expected.order_by("assessed_on")
    ]
    # The later of each day, the higher id of a tie; each day's scores differ, so this is checked.
    assert [s.assessed_on.month for s in found] == [1, 2, 3]
    assert len({s.ecca_score for s in found}) == 3
