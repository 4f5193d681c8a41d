"""How people and measurements are written on pages and in feeds."""

from decimal import Decimal
from typing import Protocol


class _Person(Protocol):
    def get_full_name(self) -> str: ...
    def get_username(self) -> str: ...


def doctor_name(user: _Person) -> str:
    """ "Dr Ada Lovelace", or "Dr alovelace" when no name is recorded."""
    return f"Dr {user.get_full_name() or user.get_username()}"


def format_measurement(value: Decimal | int) -> str:
    """A measurement as a clinician writes it: 100 not 100.0, 0.3 not 0.30."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
