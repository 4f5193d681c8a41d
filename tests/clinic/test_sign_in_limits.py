"""Brute-force ceilings on sign-in: per username + address, per address, per username; each with
its own limit and a cool-off that lifts it by itself. And no sign-in input causes a 500."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
LOCKED = b"Too many failed sign-ins"
START = dt.datetime(2026, 9, 14, 9, 0, tzinfo=dt.UTC)

ceilings = override_settings(
    AXES_ENABLED=True,
    AXES_FAILURE_LIMIT=3,
    SIGNIN_PAIR_COOLOFF=dt.timedelta(minutes=60),
    SIGNIN_ADDRESS_FAILURE_LIMIT=6,
    SIGNIN_ADDRESS_COOLOFF=dt.timedelta(minutes=30),
    SIGNIN_USERNAME_FAILURE_LIMIT=5,
    SIGNIN_USERNAME_COOLOFF=dt.timedelta(minutes=20),
)


def sign_in(username: str, password: str, address: str = "203.0.113.7"):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as machine:
        yield machine


@ceilings
@pytest.mark.django_db
def test_spraying_passwords_across_usernames_from_one_address_stops_at_the_address_ceiling(
    traveller,
):
    alice = UserFactory(username="alice")
    # One wrong password for each of many usernames: no pair comes near its limit, but the sixth
    # failure from this address reaches the address's ceiling and is answered with the lockout.
    for n in range(5):
        assert sign_in(f"user{n}", "Summer2026!").status_code == 200
    assert sign_in("user5", "Summer2026!").status_code == 429

    assert sign_in("user6", "Winter2026!").status_code == 429
    # Even the right password is refused from this address while the cool-off runs ...
    assert sign_in(alice.username, PASSWORD).status_code == 429
    # ... but the same account from another address is not held up by this one.
    assert sign_in(alice.username, PASSWORD, address="198.51.100.20").status_code == 302

    traveller.shift(dt.timedelta(minutes=29))
    assert sign_in(alice.username, PASSWORD).status_code == 429
    traveller.shift(dt.timedelta(minutes=2))
    assert sign_in(alice.username, PASSWORD).status_code == 302


@ceilings
@pytest.mark.django_db
def test_guessing_one_username_from_many_addresses_stops_at_the_username_ceiling(traveller):
    alice = UserFactory(username="alice")
    for n in range(4):
        assert sign_in("alice", f"guess{n}", address=f"192.0.2.{n + 1}").status_code == 200
    assert sign_in("alice", "guess5", address="192.0.2.5").status_code == 429

    response = sign_in("alice", PASSWORD, address="192.0.2.99")
    assert response.status_code == 429
    assert LOCKED in response.content
    # Another account is not affected from the same addresses.
    UserFactory(username="bob")
    assert sign_in("bob", PASSWORD, address="192.0.2.1").status_code == 302

    traveller.shift(dt.timedelta(minutes=21))
    assert sign_in(alice.username, PASSWORD, address="192.0.2.99").status_code == 302


@ceilings
@pytest.mark.django_db
def test_the_username_and_address_pair_keeps_its_own_limit_and_cool_off(traveller):
    alice = UserFactory(username="alice")
    assert [sign_in("alice", "wrong").status_code for _ in range(3)] == [200, 200, 429]

    assert sign_in(alice.username, PASSWORD).status_code == 429
    traveller.shift(dt.timedelta(minutes=59))
    assert sign_in(alice.username, PASSWORD).status_code == 429
    traveller.shift(dt.timedelta(minutes=61))
    assert sign_in(alice.username, PASSWORD).status_code == 302


@ceilings
@pytest.mark.django_db
def test_a_colleagues_successful_sign_in_does_not_reset_the_address_ceiling(traveller):
    UserFactory(username="mallory")
    for n in range(5):
        sign_in(f"user{n}", "wrong")
    assert sign_in("mallory", PASSWORD).status_code == 302

    # Mallory's own success forgets only mallory's failures here, not the five others.
    assert sign_in("user9", "wrong").status_code == 429


@ceilings
@pytest.mark.django_db
def test_the_lockout_page_is_the_same_whether_or_not_the_user_exists(traveller):
    UserFactory(username="alice")
    for _ in range(3):
        sign_in("alice", "wrong")
        sign_in("nobody-here", "wrong", address="198.51.100.5")

    existing = sign_in("alice", "wrong")
    missing = sign_in("nobody-here", "wrong", address="198.51.100.5")
    assert existing.status_code == missing.status_code == 429
    assert existing.content == missing.content


@pytest.mark.django_db
def test_a_wrong_password_reads_the_same_for_existing_and_unknown_users():
    UserFactory(username="alice")

    existing = sign_in("alice", "wrong")
    missing = sign_in("nobody-here", "wrong")

    assert existing.status_code == missing.status_code == 200
    assert existing.context["form"].errors == missing.context["form"].errors
    assert b"Please enter a correct username and password" in existing.content


@pytest.mark.django_db
def test_an_inactive_account_reads_like_a_wrong_password():
    UserFactory(username="gone", is_active=False)

    inactive = sign_in("gone", PASSWORD)
    missing = sign_in("nobody-here", PASSWORD)

    assert inactive.context["form"].errors == missing.context["form"].errors


ODD_USERNAMES = [
    "a" * 300,
    "a" * 151,
    "alice\x00",
    "\x00" * 10,
    "Ålice 😀 ﷽ Ω",
    "' OR 1=1 --",
    "%00%ff",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


@override_settings(AXES_ENABLED=True)
@pytest.mark.django_db
@pytest.mark.parametrize("username", ODD_USERNAMES, ids=range(len(ODD_USERNAMES)))
def test_no_username_causes_a_server_error(username):
    UserFactory(username="alice")

    response = sign_in(username, "wrong")

    assert response.status_code == 200
    assert response.context["form"].errors


@override_settings(AXES_ENABLED=True)
@pytest.mark.django_db
@pytest.mark.parametrize("password", ["p" * 10_000, "\x00", "пароль😀", ""])
def test_no_password_causes_a_server_error(password):
    UserFactory(username="alice")

    assert sign_in("alice", password).status_code == 200


@override_settings(AXES_ENABLED=True)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"username=%ff%fe%00&password=%c3%28", "application/x-www-form-urlencoded"),
        (b"username=\xff\xfe\xfd&password=\xc3\x28", "application/x-www-form-urlencoded"),
        (b"username=alice&password=x", "application/x-www-form-urlencoded; charset=no-such"),
        ("username=ålice&password=x".encode("utf-16"), "application/x-www-form-urlencoded"),
        (b"username=" + b"a" * 300 + b"&password=x", "text/plain"),
        (b"--x\r\nbroken multipart", "multipart/form-data; boundary=x"),
    ],
    ids=["percent-bytes", "raw-bytes", "unknown-charset", "utf-16", "text-plain", "multipart"],
)
def test_no_encoding_causes_a_server_error(body, content_type):
    UserFactory(username="alice")

    response = Client().generic("POST", "/accounts/login/", body, content_type=content_type)

    assert response.status_code < 500


@pytest.mark.django_db
def test_the_sign_in_form_caps_the_username_before_authenticating():
    response = sign_in("a" * 300, "wrong")

    assert "username" in response.context["form"].errors
    assert b'maxlength="150"' in response.content
