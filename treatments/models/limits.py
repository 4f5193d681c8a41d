"""Physical ranges: a CheckConstraint in the database and the same limit in the form."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from patients.models import FacialRegion


@dataclass(frozen=True)
class Limit:
    """A physical range, enforced by a CheckConstraint and mirrored by form validators."""

    field: str
    low: Decimal | int
    high: Decimal | int
    low_inclusive: bool = True

    @property
    def message(self) -> str:
        if self.low_inclusive:
            return f"Enter a value from {self.low} to {self.high}."
        return f"Enter a value above {self.low}, up to {self.high}."


LIMITS: dict[str, Limit] = {}  # by constraint name


def _limit(
    field: str, low, high, name: str, *, nullable: bool = False, low_inclusive: bool = True
) -> models.CheckConstraint:
    lower = f"{field}__gte" if low_inclusive else f"{field}__gt"
    condition = Q(**{lower: low, f"{field}__lte": high})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    # Read by treatments.forms to give the same range a clear message next to the field.
    LIMITS[name] = Limit(field, low, high, low_inclusive)
    return models.CheckConstraint(condition=condition, name=name)


def _range(field: str, low, high, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    return _limit(field, low, high, name, nullable=nullable)


def _positive(field: str, high, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    return _limit(field, 0, high, name, nullable=nullable, low_inclusive=False)


def validate_regions(value) -> None:
    allowed = set(FacialRegion.values)
    if not isinstance(value, list) or not set(value) <= allowed:
        raise ValidationError("Choose regions from the list.")
