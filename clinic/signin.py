"""The sign-in form and the brute-force ceilings around it.

django-axes records every failed sign-in as a row per (username, address, browser). Out of the box
it compares every lockout parameter combination against one failure limit, so a ceiling per
address and a ceiling per username could not have limits or cool-offs of their own. The handler
below keeps axes' recording, clean-up and lockout response and replaces only the count: each
ceiling sums the failures on the rows it covers within its own cool-off and is compared with its
own limit.
"""

from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum
from django.utils import timezone

# Django's User.username is 150 characters; axes' attempt table stores 255.
USERNAME_MAX_LENGTH = 150
# Long enough for any passphrase, short enough that hashing it costs nothing.
PASSWORD_MAX_LENGTH = 1024


class SignInForm(AuthenticationForm):
    """Django's sign-in form with its limits enforced before `authenticate` runs.

    AuthenticationForm sets the username's max_length only as an HTML attribute (no validator), so
    a 300-character username reached axes' attempt table and raised DataError on PostgreSQL. NUL
    characters are already refused by every CharField (ProhibitNullCharactersValidator).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].max_length = USERNAME_MAX_LENGTH
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX_LENGTH))
        self.fields["username"].widget.attrs["maxlength"] = str(USERNAME_MAX_LENGTH)
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))


def axes_username(request, credentials: dict | None) -> str | None:
    """The username axes records (AXES_USERNAME_CALLABLE): NUL removed and cut to the column's
    size, whichever sign-in path the attempt came from."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field)
    if username is None:
        return None
    return str(username).replace("\0", "")[:USERNAME_MAX_LENGTH]


@dataclass(frozen=True)
class Ceiling:
    name: str
    parameters: tuple[str, ...]
    limit: int
    cool_off: timedelta


def ceilings() -> list[Ceiling]:
    """The three limits, read from settings on each call so tests can override them."""
    return [
        Ceiling(
            "username and address",
            ("username", "ip_address"),
            settings.AXES_FAILURE_LIMIT,
            settings.SIGNIN_PAIR_COOLOFF,
        ),
        Ceiling(
            "address",
            ("ip_address",),
            settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
            settings.SIGNIN_ADDRESS_COOLOFF,
        ),
        Ceiling(
            "username",
            ("username",),
            settings.SIGNIN_USERNAME_FAILURE_LIMIT,
            settings.SIGNIN_USERNAME_COOLOFF,
        ),
    ]


def longest_cool_off() -> timedelta:
    return max(ceiling.cool_off for ceiling in ceilings())


class CeilingsHandler(AxesDatabaseHandler):
    """axes' database handler with a limit and a cool-off per ceiling.

    Every lockout is time-based: nothing here needs an admin to lift it. The lockout response is
    the same for any username, existing or not, because the counts never look at the user table.
    """

    def failures_by_ceiling(self, request, credentials: dict | None = None) -> dict[str, int]:
        values = {
            "username": get_client_username(request, credentials),
            "ip_address": request.axes_ip_address,
        }
        now = getattr(request, "axes_attempt_time", None) or timezone.now()
        counts = {}
        for ceiling in ceilings():
            if any(values[param] in (None, "") for param in ceiling.parameters):
                counts[ceiling.name] = 0
                continue
            attempts = AccessAttempt.objects.filter(
                attempt_time__gte=now - ceiling.cool_off,
                **{param: values[param] for param in ceiling.parameters},
            )
            total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
            counts[ceiling.name] = total or 0
        return counts

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """Failures as axes counts them against AXES_FAILURE_LIMIT (the pair's limit).

        axes locks out when this number reaches AXES_FAILURE_LIMIT, in both the pre-check and the
        failed-sign-in handler. Returning the pair's limit less the allowance left under the
        tightest ceiling gives exactly "some ceiling is reached" through that one comparison.
        """
        pair_limit = get_failure_limit(request, credentials)
        counts = self.failures_by_ceiling(request, credentials)
        remaining = min(ceiling.limit - counts[ceiling.name] for ceiling in ceilings())
        return pair_limit - remaining

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """On a successful sign-in forget only this username's failures from this address.

        axes' default would also wipe the address's and the username's rows, so one attacker
        with a valid account of their own could reset the per-address ceiling at will.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def axes_cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: axes deletes attempt rows older than this, so it is the longest of the
    ceilings' cool-offs (a row still counted by one ceiling is never cleaned away)."""
    return longest_cool_off()
