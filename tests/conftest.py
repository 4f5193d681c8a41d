import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.roles import Role
from clinic.two_factor import PENDING_SESSION_KEY, VERIFIED, requires_two_factor
from scheduling.visits import forget_kept_visits
from tests.factories import PatientFactory, UserFactory


@pytest.fixture(autouse=True)
def _calendar_read_afresh():
    """Each test's calendar pages start from the database: visits kept by an earlier test's
    pages belong to rolled-back rows (and SQLite may give the next test's rows the same ids)."""
    forget_kept_visits()
    yield
    forget_kept_visits()


@pytest.fixture
def dermatologist(db):
    return UserFactory(username="alice", first_name="Alice", role=Role.DERMATOLOGIST)


@pytest.fixture
def front_desk(db):
    return UserFactory(username="bob", first_name="Bob", role=Role.FRONT_DESK)


@pytest.fixture
def clinic_admin(db):
    return UserFactory(
        username="charlie", first_name="Charlie", role=Role.CLINIC_ADMIN, is_staff=True
    )


@pytest.fixture
def patient(db):
    return PatientFactory()


def client_for(user, *, verified: bool | None = None) -> Client:
    """A client signed in as `user`. Users who must use two-factor sign-in (clinic admins, staff)
    also get a session that has passed the code step, as after a real sign-in; pass
    verified=False to get the half-signed-in session the production code holds at that step."""
    client = Client()
    client.force_login(user)
    if verified is None:
        verified = requires_two_factor(user)
    if verified:
        mark_two_factor_verified(client, user)
    return client


def mark_two_factor_verified(client: Client, user) -> None:
    """Give the user a confirmed authenticator (if none) and mark the session verified by it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[PENDING_SESSION_KEY] = VERIFIED
    session.save()


@pytest.fixture
def derm_client(dermatologist):
    return client_for(dermatologist)


@pytest.fixture
def desk_client(front_desk):
    return client_for(front_desk)


@pytest.fixture
def admin_client_(clinic_admin):
    return client_for(clinic_admin)
