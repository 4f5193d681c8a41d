"""The three roles are Django groups whose permissions are exactly the table in clinic/roles.py.

The expected sets are written out here by hand (not copied from ROLE_PERMISSIONS) so that a change
to who may do what is a visible diff in this file as well as in the table.
"""

import pytest
from django.contrib.auth.models import Group, Permission

from clinic.roles import ROLE_PERMISSIONS, Role, assign_role, role_of, sync_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMOGRAPHICS = {
    "patients.view_patient",
    "patients.add_patient",
    "patients.change_patient",
    "patients.view_photoconsent",
    "patients.add_photoconsent",
    "patients.change_photoconsent",
}

# Scar assessments and their grid cells: dermatologist and clinic admin only.
CLINICAL_RECORDS = {
    f"{model}".replace(".", f".{action}_")
    for model in [
        "patients.scarassessment",
        "patients.scarcount",
        "treatments.treatmentsession",
        "treatments.crossprocedure",
        "treatments.laserprocedure",
        "treatments.punchprocedure",
        "treatments.subcisionprocedure",
        "treatments.fillerprocedure",
        "treatments.peelprocedure",
        "treatments.adverseevent",
        "treatments.topicalregimen",
        "treatments.skintest",
        "treatments.clinicalphoto",
        "treatments.referralletter",
        "treatments.scar",
        "treatments.scarstatuschange",
        "treatments.scartreatment",
    ]
    for action in ("view", "add", "change")
} | {"treatments.view_sessionwarning", "treatments.export_clinicalphoto"}

# The calendar: everyone views it; front desk runs it; a dermatologist moves only their own
# visits along (in treatment, completed); a clinic admin may do all of it, to anyone's visit.
CALENDAR_VIEW = {"scheduling.view_appointment", "scheduling.view_room"}
FRONT_DESK_CALENDAR = CALENDAR_VIEW | {
    "scheduling.add_appointment",
    "scheduling.change_appointment",
    "scheduling.cancel_appointment",
    "scheduling.check_in_appointment",
}

EXPECTED = {
    Role.DERMATOLOGIST: DEMOGRAPHICS
    | CLINICAL_RECORDS
    | CALENDAR_VIEW
    | {
        "patients.view_clinical_details",
        "scheduling.progress_own_appointment",
        "patients.act_as_clinician",
        "treatments.export_fhir",
    },
    Role.FRONT_DESK: DEMOGRAPHICS | FRONT_DESK_CALENDAR,
    Role.CLINIC_ADMIN: DEMOGRAPHICS
    | CLINICAL_RECORDS
    | FRONT_DESK_CALENDAR
    | {
        "scheduling.add_room",
        "scheduling.change_room",
        "scheduling.progress_any_appointment",
        "patients.view_clinical_details",
        "patients.archive_patient",
        "patients.view_accesslog",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    },
}

ROLE_NAMES = {"Dermatologist", "Front desk", "Clinic admin"}


def group_permission_names(group: Group) -> set[str]:
    return {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }


def all_permission_names() -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_role_table_is_the_agreed_one():
    assert ROLE_PERMISSIONS == EXPECTED


def test_every_permission_named_in_the_table_exists_after_migrations():
    named = set().union(*ROLE_PERMISSIONS.values())
    assert named - all_permission_names() == set()


def test_migrations_create_exactly_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) == ROLE_NAMES


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_each_role_group_holds_exactly_its_permissions_after_migrations(role):
    assert group_permission_names(Group.objects.get(name=role.value)) == EXPECTED[role]


def test_sync_roles_creates_the_groups_from_nothing():
    Group.objects.all().delete()

    sync_roles()

    assert set(Group.objects.values_list("name", flat=True)) == ROLE_NAMES
    for role in Role:
        assert group_permission_names(Group.objects.get(name=role.value)) == EXPECTED[role]


def test_running_sync_roles_again_creates_no_duplicate_groups_or_permissions():
    groups_before = Group.objects.count()
    permissions_before = Permission.objects.count()

    sync_roles()
    sync_roles()

    assert Group.objects.count() == groups_before == 3
    assert Permission.objects.count() == permissions_before
    for role in Role:
        assert Group.objects.filter(name=role.value).count() == 1
        assert group_permission_names(Group.objects.get(name=role.value)) == EXPECTED[role]


def test_sync_roles_undoes_permissions_granted_or_removed_by_hand():
    front_desk = Group.objects.get(name=Role.FRONT_DESK.value)
    front_desk.permissions.add(
        Permission.objects.get(content_type__app_label="patients", codename="delete_patient")
    )
    front_desk.permissions.remove(
        Permission.objects.get(content_type__app_label="patients", codename="view_patient")
    )

    sync_roles()

    assert group_permission_names(front_desk) == EXPECTED[Role.FRONT_DESK]


def test_sync_roles_keeps_the_members_of_each_group():
    alice = UserFactory(username="alice", role=Role.DERMATOLOGIST)

    sync_roles()

    assert list(Group.objects.get(name="Dermatologist").user_set.all()) == [alice]


@pytest.mark.parametrize(
    "codename",
    [
        "delete_patient",
        "delete_photoconsent",
        "delete_scarassessment",
        "delete_scarcount",
        "delete_accesslog",
        "change_accesslog",
    ],
)
def test_no_role_may_hard_delete_a_record_or_edit_the_audit_trail(codename):
    assert not Group.objects.filter(permissions__codename=codename).exists()


def test_only_clinic_admin_may_archive_a_patient():
    holders = Group.objects.filter(permissions__codename="archive_patient")
    assert list(holders.values_list("name", flat=True)) == ["Clinic admin"]


@pytest.mark.parametrize(
    "codename", ["view_scarassessment", "add_scarassessment", "view_scarcount"]
)
def test_front_desk_has_no_access_to_scar_assessments(codename):
    holders = Group.objects.filter(permissions__codename=codename)
    assert set(holders.values_list("name", flat=True)) == {"Dermatologist", "Clinic admin"}


def test_front_desk_may_not_see_clinical_details():
    holders = Group.objects.filter(permissions__codename="view_clinical_details")
    assert set(holders.values_list("name", flat=True)) == {"Dermatologist", "Clinic admin"}


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_role_of_names_the_role_a_user_holds(role):
    user = UserFactory(role=role)

    assert role_of(user) is role


def test_role_of_a_user_without_a_group_is_none():
    assert role_of(UserFactory()) is None


def test_role_of_ignores_groups_that_are_not_roles():
    user = UserFactory()
    user.groups.add(Group.objects.create(name="Volunteers"))

    assert role_of(user) is None


def test_assign_role_puts_the_user_in_the_role_group_and_grants_its_permissions():
    user = UserFactory()

    assign_role(user, Role.FRONT_DESK)

    assert list(user.groups.values_list("name", flat=True)) == ["Front desk"]
    assert user.has_perm("patients.add_patient")
    assert not user.has_perm("patients.view_clinical_details")
