"""The access trail (who opened which chart) and the admin pages that guard it and the accounts."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from clinic.roles import Role
from patients.models import AccessLog
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    return client_for(superuser)


@pytest.fixture
def log_row(dermatologist, patient):
    return AccessLog.objects.create(
        user=dermatologist,
        username="alice",
        action=AccessLog.Action.VIEW,
        patient=patient,
        patient_mrn=patient.mrn,
        path=f"/patients/{patient.pk}/",
    )


# Writing the trail


def test_viewing_a_chart_writes_one_access_log_row(derm_client, dermatologist, patient):
    url = f"/patients/{patient.pk}/?from=list"

    response = derm_client.get(url)

    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert log.user == dermatologist
    assert log.username == "alice"
    assert log.action == "view"
    assert log.patient == patient
    assert log.patient_mrn == patient.mrn
    assert log.path == url
    assert log.object_type == ""
    assert log.object_id == ""
    assert log.ip_address == "127.0.0.1"


def test_each_chart_view_is_a_new_row(derm_client, desk_client, patient):
    derm_client.get(f"/patients/{patient.pk}/")
    desk_client.get(f"/patients/{patient.pk}/")
    derm_client.get(f"/patients/{patient.pk}/")

    assert list(AccessLog.objects.order_by("pk").values_list("username", flat=True)) == [
        "alice",
        "bob",
        "alice",
    ]


def test_anonymous_or_missing_chart_writes_no_row(derm_client, patient):
    assert Client().get(f"/patients/{patient.pk}/").status_code == 302
    assert derm_client.get(f"/patients/{patient.pk + 1000}/").status_code == 404

    assert AccessLog.objects.count() == 0


def test_the_trail_keeps_the_username_when_the_account_is_deleted(log_row, dermatologist):
    dermatologist.delete()

    log_row.refresh_from_db()
    assert log_row.user is None
    assert log_row.username == "alice"


def test_viewing_a_chart_history_writes_an_access_log_row(derm_client, patient):
    response = derm_client.get(f"/patients/{patient.pk}/history/")

    assert response.status_code == 200
    assert AccessLog.objects.filter(patient=patient, username="alice").count() == 1


# The access log in the admin: read by clinic admins, edited by nobody


def test_clinic_admin_can_read_the_access_log(admin_client_, log_row):
    response = admin_client_.get(reverse("admin:patients_accesslog_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [log_row]


@pytest.mark.parametrize("role_client", ["derm_client", "desk_client"])
def test_dermatologist_and_front_desk_are_sent_to_the_admin_sign_in(role_client, request):
    client = request.getfixturevalue(role_client)
    url = reverse("admin:patients_accesslog_changelist")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={url}"


def test_access_log_change_page_is_read_only_for_clinic_admin(admin_client_, log_row):
    url = reverse("admin:patients_accesslog_change", args=[log_row.pk])

    page = admin_client_.get(url)
    post = admin_client_.post(url, {"username": "mallory", "action": "view"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'name="username"' not in page.content.decode()
    assert post.status_code == 403
    log_row.refresh_from_db()
    assert log_row.username == "alice"


@pytest.mark.parametrize("client_fixture", ["admin_client_", "superuser_client"])
def test_nobody_can_add_to_the_access_log_in_the_admin(client_fixture, request):
    client = request.getfixturevalue(client_fixture)

    response = client.get(reverse("admin:patients_accesslog_add"))

    assert response.status_code == 403


@pytest.mark.parametrize("client_fixture", ["admin_client_", "superuser_client"])
def test_nobody_can_delete_from_the_access_log_in_the_admin(client_fixture, request, log_row):
    client = request.getfixturevalue(client_fixture)
    url = reverse("admin:patients_accesslog_delete", args=[log_row.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log_row.pk).exists()


@pytest.mark.parametrize("client_fixture", ["admin_client_", "superuser_client"])
def test_access_log_list_offers_no_bulk_delete(client_fixture, request, log_row):
    client = request.getfixturevalue(client_fixture)
    url = reverse("admin:patients_accesslog_changelist")

    page = client.get(url)
    client.post(url, {"action": "delete_selected", "_selected_action": [log_row.pk], "post": "yes"})

    assert "delete_selected" not in page.content.decode()
    assert AccessLog.objects.filter(pk=log_row.pk).exists()


# Accounts: a clinic admin manages staff but cannot touch superuser powers


def test_clinic_admin_sees_a_superuser_read_only(admin_client_, superuser):
    response = admin_client_.get(reverse("admin:auth_user_change", args=[superuser.pk]))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_clinic_admin_cannot_edit_a_superuser(admin_client_, superuser):
    url = reverse("admin:auth_user_change", args=[superuser.pk])

    response = admin_client_.post(
        url,
        {"username": "root", "is_active": "", "is_staff": "", "is_superuser": ""},
    )

    assert response.status_code == 403
    superuser.refresh_from_db()
    assert (superuser.is_active, superuser.is_staff, superuser.is_superuser) == (True, True, True)


def test_clinic_admin_cannot_set_a_superusers_password(admin_client_, superuser):
    url = reverse("admin:auth_user_password_change", args=[superuser.pk])

    response = admin_client_.post(
        url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )

    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("correct horse battery staple")


def test_clinic_admin_cannot_delete_an_account(admin_client_, front_desk):
    url = reverse("admin:auth_user_delete", args=[front_desk.pk])

    assert admin_client_.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=front_desk.pk).exists()


def test_clinic_admin_edits_a_normal_user_without_an_is_superuser_checkbox(
    admin_client_, front_desk
):
    response = admin_client_.get(reverse("admin:auth_user_change", args=[front_desk.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' in content
    assert 'name="is_staff"' in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content
    assert "Superuser status" in content  # shown, read-only


def test_clinic_admin_cannot_make_someone_superuser_by_posting_the_field(admin_client_, front_desk):
    url = reverse("admin:auth_user_change", args=[front_desk.pk])
    desk_group = Group.objects.get(name=Role.FRONT_DESK.value)

    response = admin_client_.post(
        url,
        {
            "username": "bob",
            "first_name": "Bob",
            "last_name": "Desk",
            "email": "bob@example.com",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [desk_group.pk],
        },
    )

    assert response.status_code == 302
    front_desk.refresh_from_db()
    assert front_desk.last_name == "Desk"
    assert front_desk.is_staff is True
    assert front_desk.is_superuser is False


def test_superuser_sees_is_superuser_as_an_editable_checkbox(superuser_client, front_desk):
    response = superuser_client.get(reverse("admin:auth_user_change", args=[front_desk.pk]))

    assert response.status_code == 200
    assert '<input type="checkbox" name="is_superuser"' in response.content.decode()


def test_superuser_can_edit_another_superuser(superuser_client):
    other = UserFactory(username="root2", is_staff=True, is_superuser=True)
    url = reverse("admin:auth_user_change", args=[other.pk])

    response = superuser_client.post(
        url,
        {
            "username": "root2",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_superuser is False
