"""The clinic's three roles and what each may do, in one table.

Roles are Django groups; views check permissions, never group names. The table is the truth:
`sync_roles` makes each group's permissions exactly match it, and runs from a data migration and
after every `migrate` (post_migrate), so a model added later gets its permissions without anyone
editing groups by hand. Edits made to these groups in the admin are overwritten on the next migrate.
"""

from enum import StrEnum

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from clinic.auth_backend import GROUP_NAMES_ATTR


class Role(StrEnum):
    DERMATOLOGIST = "Dermatologist"
    FRONT_DESK = "Front desk"
    CLINIC_ADMIN = "Clinic admin"


def _crud(model: str, *actions: str) -> set[str]:
    app_label, model_name = model.split(".")
    return {f"{app_label}.{action}_{model_name}" for action in actions}


_DEMOGRAPHICS = _crud("patients.patient", "view", "add", "change") | _crud(
    "patients.photoconsent", "view", "add", "change"
)

# Scores, sessions, procedures and photos: front desk has none of these.
_CLINICAL_MODELS = [
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
_CLINICAL = {
    perm for model in _CLINICAL_MODELS for perm in _crud(model, "view", "add", "change")
} | {"treatments.view_sessionwarning", "treatments.export_clinicalphoto"}

# The calendar. Front desk runs it; a dermatologist moves their own visits along (in treatment,
# completed); check-in and cancellation are their own permissions so the rules read clearly.
_CALENDAR_VIEW = _crud("scheduling.appointment", "view") | _crud("scheduling.room", "view")
_FRONT_DESK_CALENDAR = (
    _CALENDAR_VIEW
    | _crud("scheduling.appointment", "add", "change")
    | {"scheduling.cancel_appointment", "scheduling.check_in_appointment"}
)

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.DERMATOLOGIST: _DEMOGRAPHICS
    | _CLINICAL
    | _CALENDAR_VIEW
    | {
        "patients.view_clinical_details",
        "scheduling.progress_own_appointment",
        # Only a dermatologist is recorded as the clinician of a session or an assessment.
        "patients.act_as_clinician",
        # The whole record as FHIR leaves the clinic: the treating dermatologist decides.
        "treatments.export_fhir",
    },
    Role.FRONT_DESK: _DEMOGRAPHICS | _FRONT_DESK_CALENDAR,
    # Clinic admins may archive but never hard-delete: only a superuser deletes.
    Role.CLINIC_ADMIN: _DEMOGRAPHICS
    | _CLINICAL
    | _FRONT_DESK_CALENDAR
    | _crud("scheduling.room", "add", "change")
    | {
        "scheduling.progress_any_appointment",
        "patients.view_clinical_details",
        "patients.archive_patient",
    }
    | _crud("patients.accesslog", "view")
    | _crud("auth.user", "view", "add", "change")
    | _crud("auth.group", "view")
    # Deleting a failed-sign-in record is how a locked-out colleague is unlocked.
    | _crud("axes.accessattempt", "view", "delete"),
}


def sync_roles(apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and set their permissions to the table above. Safe to re-run.

    Permissions are normally created after all migrations (post_migrate), so they are created here
    first; a permission whose model does not exist yet at this point of a migration is skipped and
    added by the post_migrate run.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perm_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = {tuple(name.split(".", 1)) for name in perm_names}
        perms = [
            perm
            for perm in Permission.objects.using(using).select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        group.permissions.set(perms)


def role_of(user) -> Role | None:
    """The role a user holds, for display only: access is decided by permissions. Uses the group
    names read with the user's permissions (clinic.auth_backend.load_access) when present."""
    names = getattr(user, GROUP_NAMES_ATTR, None)
    if names is None:
        names = {group.name for group in user.groups.all()}
    return next((role for role in Role if role.value in names), None)


def assign_role(user, role: Role) -> None:
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role.value))
