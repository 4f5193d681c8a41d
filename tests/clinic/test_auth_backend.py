"""The signed-in user's permissions and role come from one query (clinic/auth_backend.py) and are
never kept between requests: a role change or a deactivation counts from the next request."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from clinic.auth_backend import ClinicBackend, load_access
from clinic.roles import Role, assign_role, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_query_reads_the_users_own_and_the_roles_permissions_and_the_role(
    django_assert_num_queries,
):
    user = UserFactory(role=Role.FRONT_DESK)
    user.user_permissions.add(Permission.objects.get(codename="view_clinicalphoto"))
    backend = ClinicBackend()

    with django_assert_num_queries(1):
        assert backend.has_perm(user, "patients.view_patient")
        assert backend.has_perm(user, "treatments.view_clinicalphoto")
        assert not backend.has_perm(user, "treatments.view_treatmentsession")
        assert role_of(user) is Role.FRONT_DESK
    assert backend.get_user_permissions(user) == {"treatments.view_clinicalphoto"}
    assert "scheduling.check_in_appointment" in backend.get_group_permissions(user)


def test_a_superuser_holds_every_permission_and_an_inactive_user_none():
    superuser = UserFactory(is_superuser=True, role=Role.FRONT_DESK)
    inactive = UserFactory(is_active=False, role=Role.CLINIC_ADMIN)
    backend = ClinicBackend()

    load_access(superuser)
    assert backend.has_perm(superuser, "treatments.view_treatmentsession")
    assert role_of(superuser) is Role.FRONT_DESK
    assert not backend.has_perm(inactive, "patients.view_patient")


def test_a_role_change_takes_effect_on_the_next_request(desk_client, front_desk):
    assert desk_client.get(reverse("patients:list")).status_code == 200
    assert "Front desk</span>" in desk_client.get(reverse("patients:list")).content.decode()

    front_desk.groups.clear()
    assert desk_client.get(reverse("patients:list")).status_code == 403

    assign_role(front_desk, Role.DERMATOLOGIST)
    page = desk_client.get(reverse("patients:list")).content.decode()
    assert "Dermatologist</span>" in page


def test_a_permission_taken_from_the_role_takes_effect_on_the_next_request(desk_client):
    assert desk_client.get(reverse("patients:list")).status_code == 200

    Group.objects.get(name=Role.FRONT_DESK.value).permissions.remove(
        Permission.objects.get(codename="view_patient")
    )

    assert desk_client.get(reverse("patients:list")).status_code == 403


def test_a_deactivated_user_is_signed_out_on_the_next_request(desk_client, front_desk):
    assert desk_client.get(reverse("patients:list")).status_code == 200

    front_desk.is_active = False
    front_desk.save()

    response = desk_client.get(reverse("patients:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_signed_in_user_comes_with_permissions_and_role_in_one_query(
    django_assert_num_queries,
):
    user = UserFactory(role=Role.DERMATOLOGIST)
    user.user_permissions.add(
        Permission.objects.get(codename="view_accesslog", content_type__app_label="patients")
    )
    backend = ClinicBackend()

    with django_assert_num_queries(1):
        found = backend.get_user(user.pk)
        assert found == user
        assert role_of(found) is Role.DERMATOLOGIST
        assert found.has_perm("treatments.view_treatmentsession")
        assert found.has_perm("patients.view_accesslog")
        assert not found.has_perm("auth.change_user")
    assert backend.get_user_permissions(found) == {"patients.view_accesslog"}


def test_no_user_comes_back_for_an_unknown_or_deactivated_account():
    backend = ClinicBackend()
    inactive = UserFactory(is_active=False, role=Role.DERMATOLOGIST)
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(inactive.pk + 1000) is None


def test_a_user_without_a_role_has_no_permissions_and_no_role():
    user = UserFactory()
    found = ClinicBackend().get_user(user.pk)
    assert found is not None and role_of(found) is None
    assert not found.has_perm("patients.view_patient")


def test_the_user_read_is_the_stored_user_field_for_field():
    """Read as a plain row and made with User.from_db: every field as the ORM gives it (dates
    aware, flags true or false on SQLite too), and saved as an update, not a second user."""
    user = UserFactory(role=Role.DERMATOLOGIST, first_name="Zoë", last_name="O'Brien")
    user.last_login = user.date_joined
    user.save()
    stored = type(user).objects.get(pk=user.pk)
    found = ClinicBackend().get_user(user.pk)
    assert found is not None
    for field in type(user)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert found.is_active is True and found.is_superuser is False
    assert found.last_login.tzinfo is not None
    assert not found._state.adding and found._state.db == "default"
    found.first_name = "Zoe"
    found.save()
    assert type(user).objects.filter(first_name="Zoe").count() == 1
