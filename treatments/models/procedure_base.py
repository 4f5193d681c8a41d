"""The abstract base every procedure model shares: regions, scars treated, endpoint, notes,
and one history declaration that each modality inherits."""

import datetime as dt
from functools import cache

from django.db import models
from simple_history.models import HistoricalRecords

from patients.models import FacialRegion
from treatments import safety
from treatments.modalities import IntervalKind, Modality
from treatments.models.limits import validate_regions


@cache
def _region_labels() -> dict[str, str]:
    return {value: str(label) for value, label in FacialRegion.choices}


class Procedure(models.Model):
    MODALITY: Modality

    regions = models.JSONField(
        "Regions treated", default=list, blank=True, validators=[validate_regions]
    )
    scars_treated = models.PositiveSmallIntegerField(
        "Number of scars treated", null=True, blank=True
    )
    immediate_endpoint = models.CharField(
        "Immediate response / endpoint", max_length=200, blank=True
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Declared once: every procedure model gets its own history table (HistoricalCrossProcedure...).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @classmethod
    def related_name(cls) -> str:
        return f"{cls.MODALITY.value}_procedures"

    def region_labels(self) -> str:
        labels = _region_labels()
        return ", ".join(labels.get(r, r) for r in self.regions)

    def interval_kind(self) -> IntervalKind:
        return IntervalKind(self.MODALITY.value)

    def planned(self) -> safety.PlannedProcedure:
        """The facts the safety rules need about this procedure."""
        return safety.PlannedProcedure(
            modality=self.MODALITY, interval_kind=self.interval_kind(), regions=tuple(self.regions)
        )

    def session_performed_on(self) -> dt.date:
        performed_on: dt.date = self.session.performed_on  # type: ignore[attr-defined]
        return performed_on

    def prior(self, performed_on: dt.date) -> safety.PriorProcedure:
        """This procedure as an earlier one, seen from a later session."""
        return safety.PriorProcedure(
            self.MODALITY, performed_on, self.interval_kind(), regions=tuple(self.regions)
        )

    def summary(self) -> str:
        """Key parameters in one line, for timelines."""
        raise NotImplementedError


def _session_fk(modality: Modality) -> models.ForeignKey:
    # By name: the session module imports this one (for the list of procedure models).
    return models.ForeignKey(
        "treatments.TreatmentSession",
        on_delete=models.PROTECT,
        related_name=f"{modality.value}_procedures",
    )
