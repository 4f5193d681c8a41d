"""Two-factor sign-in with a TOTP authenticator app and one-time recovery codes (django-otp).

A session is "verified" once a code from one of the user's confirmed devices has been accepted in
it (django_otp.login). Until then a user who has a device is held at the code step, and a user who
must use two-factor sign-in but has no device yet is held at enrolment (clinic/middleware.py).
"""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

# Session key: what this session still owes before it may open pages: "verify", "enrol", "" for
# nothing (no device and none required, as of sign-in), or VERIFIED once a code was accepted.
PENDING_SESSION_KEY = "clinic_two_factor_pending"
VERIFIED = "verified"


def requires_two_factor(user) -> bool:
    """Who must use two-factor sign-in: anyone who can reach the admin site or manage accounts.

    Decided by permissions, never a group name: clinic admins hold auth.change_user in the role
    table (clinic/roles.py) and are staff; superusers hold every permission.
    """
    if not user.is_authenticated:
        return False
    return user.is_staff or user.has_perm("auth.change_user")


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_step(user) -> str:
    """What an unverified session of this user still owes: "verify", "enrol" or ""."""
    if has_two_factor(user):
        return "verify"
    if requires_two_factor(user):
        return "enrol"
    return ""


def authenticator_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: the same secret until it is confirmed, so a
    reload of the page does not invalidate a QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed in, in groups of 4."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URL: made here, no script, no third party.

    The template marks it safe: the SVG holds only the modules' path and the fixed title below;
    the URL (with the username) is encoded in the pattern, never written out as text."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title="QR code")


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def two_factor_enrol(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with one code from it, verify this session, and issue fresh
    recovery codes. Returns the codes (to be shown once) or None if the code was wrong."""
    user = request.user
    with transaction.atomic():
        # Locked, and re-read: of two tabs confirming at once, only one succeeds.
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if device is None or not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = recovery_codes_issue(user=user)
    otp_login(request, device)
    request.session[PENDING_SESSION_KEY] = VERIFIED
    return codes


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _is_authenticator_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def device_matching(*, user, code: str):
    """The confirmed device that accepts this code, or None. A TOTP code is refused once used
    (django-otp keeps the last accepted time step); a recovery code is deleted when used.

    Six digits are tried only against the authenticator and anything else only against the
    recovery codes, so a mistyped code of one kind does not throttle the other device.
    """
    code = _normalise(code)
    if not code or len(code) > 16:
        return None
    model = TOTPDevice if _is_authenticator_code(code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def two_factor_verify(*, request, code: str) -> bool:
    device = device_matching(user=request.user, code=code)
    if device is None:
        return False
    # A new session key once the second factor is in: nothing from before it carries over.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[PENDING_SESSION_KEY] = VERIFIED
    return True


def recovery_codes_renew(*, user, code: str) -> list[str] | None:
    """New recovery codes in place of the old ones, proven by a current authenticator code."""
    if not _is_authenticator_code(_normalise(code)):
        return None  # a recovery code is not spent on a request that cannot use it
    if device_matching(user=user, code=code) is None:
        return None
    with transaction.atomic():
        return recovery_codes_issue(user=user)


def two_factor_disable(*, user, code: str) -> bool:
    """Turn two-factor sign-in off, proven by a current code. Refused where it is required."""
    if requires_two_factor(user) or device_matching(user=user, code=code) is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    return True


def protect_admin_site(site) -> None:
    """The admin site opens only for a session verified with a second factor, and signs in
    through the clinic's own sign-in page (its ceilings, form limits and code step) rather than
    the admin's separate login form."""
    from django.contrib.auth.decorators import login_not_required
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    staff_check = site.has_permission

    def has_permission(request) -> bool:
        is_verified = getattr(request.user, "is_verified", None)
        return staff_check(request) and is_verified is not None and is_verified()

    @login_not_required
    def login(request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in, but not staff or not verified: the clinic's 403, not a second form.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    site.has_permission = has_permission
    site.login = login
