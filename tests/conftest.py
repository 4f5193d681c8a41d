import pytest
from django.test import Client

from clinic.roles import Role
from tests.factories import PatientFactory, UserFactory


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


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def derm_client(dermatologist):
    return client_for(dermatologist)


@pytest.fixture
def desk_client(front_desk):
    return client_for(front_desk)


@pytest.fixture
def admin_client_(clinic_admin):
    return client_for(clinic_admin)
