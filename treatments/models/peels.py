"""Chemical peels: agent, concentration, coats, contact time and frost level."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clinic.lib.display import format_measurement
from treatments import ranges, safety
from treatments.modalities import IntervalKind, Modality
from treatments.models.limits import _range
from treatments.models.procedure_base import Procedure, _session_fk


class PeelAgent(models.TextChoices):
    GLYCOLIC = "glycolic", "Glycolic acid"
    LACTIC = "lactic", "Lactic acid"
    SALICYLIC = "salicylic", "Salicylic acid"
    PYRUVIC = "pyruvic", "Pyruvic acid"
    JESSNER = "jessner", "Jessner's solution"
    TCA = "tca", "Trichloroacetic acid (TCA)"
    COMBINATION = "combination", "Combination (e.g. Jessner's + TCA)"


class FrostLevel(models.IntegerChoices):
    NONE = 0, "0: no frost"
    I = 1, "I: patchy frost over redness"  # noqa: E741 - the clinical name
    II = 2, "II: white frost, pink showing through"
    III = 3, "III: solid white, no pink"


def _peel_concentration_fits_agent() -> Q:
    # Jessner's is a fixed formula recorded by coats; every other agent has its own range.
    condition = Q(agent=ranges.JESSNER, concentration_percent__isnull=True, coats__isnull=False)
    for agent, span in ranges.PEEL_CONCENTRATION.items():
        # isnull=False spelt out: a NULL comparison would pass a CHECK.
        within = Q(
            agent=agent,
            concentration_percent__isnull=False,
            concentration_percent__gte=span.low,
            concentration_percent__lte=span.high,
        )
        if agent == "combination":
            within |= Q(agent=agent, concentration_percent__isnull=True)
        condition |= within
    return condition


class PeelProcedure(Procedure):
    MODALITY = Modality.PEEL

    session = _session_fk(Modality.PEEL)
    agent = models.CharField(max_length=20, choices=PeelAgent.choices)
    concentration_percent = models.DecimalField(
        "Concentration (%)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Glycolic 20-70 %, lactic 10-92 %, salicylic 20-30 %, pyruvic 40-70 %, TCA "
        "10-70 %; none for Jessner's (a fixed formula); for Jessner's + TCA, the TCA strength.",
    )
    coats = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Jessner's: 1-3 coats (required)."
    )
    contact_time_minutes = models.DecimalField(
        "Contact time (min)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    frost_level = models.PositiveSmallIntegerField(choices=FrostLevel.choices, default=0)
    neutralised = models.BooleanField(default=False)

    class Meta:
        verbose_name = "chemical peel"
        constraints = [
            models.CheckConstraint(
                condition=_peel_concentration_fits_agent(),
                name="peel_concentration_fits_agent",
                violation_error_message="The concentration is outside this agent's range.",
            ),
            _range("coats", 1, 10, "peel_coats_1_to_10", nullable=True),
            _range("contact_time_minutes", 0, 60, "peel_contact_0_to_60_min", nullable=True),
            _range("frost_level", 0, 3, "peel_frost_0_to_iii"),
        ]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} peel"

    def clean(self) -> None:
        concentration = self.concentration_percent
        if self.agent == PeelAgent.JESSNER:
            errors = {}
            if concentration is not None:
                errors["concentration_percent"] = (
                    "Jessner's solution is a fixed formula (resorcinol, salicylic and lactic acid "
                    "14 % each): leave the concentration blank and record the coats."
                )
            if self.coats is None:
                errors["coats"] = "Record the number of coats of Jessner's solution."
            if errors:
                raise ValidationError(errors)
            return
        span = ranges.PEEL_CONCENTRATION.get(self.agent)
        if span is None:
            return
        if concentration is None:
            if self.agent != PeelAgent.COMBINATION:
                raise ValidationError(
                    {"concentration_percent": f"Record the {self.get_agent_display()} strength."}
                )
        elif concentration not in span:
            raise ValidationError(
                {
                    "concentration_percent": f"{self.get_agent_display()} peels are "
                    f"{span.text}; enter a value in that range."
                }
            )

    @property
    def depth(self) -> safety.PeelDepth:
        # TCA 30-50 % or a Jessner's + TCA combination reaches the papillary dermis; above 50 %
        # the reticular dermis.
        tca = self.concentration_percent
        if self.agent == PeelAgent.TCA and tca is not None:
            if tca >= ranges.TCA_PEEL_DEEP_FROM:
                return safety.PeelDepth.DEEP
            if tca >= ranges.TCA_PEEL_MEDIUM_FROM:
                return safety.PeelDepth.MEDIUM
        if self.agent == PeelAgent.COMBINATION:
            return safety.PeelDepth.MEDIUM
        return safety.PeelDepth.SUPERFICIAL

    @property
    def is_medium_depth(self) -> bool:
        return self.depth != safety.PeelDepth.SUPERFICIAL

    def interval_kind(self) -> IntervalKind:
        return IntervalKind.PEEL_MEDIUM if self.is_medium_depth else IntervalKind.PEEL_SUPERFICIAL

    def planned(self) -> safety.PlannedProcedure:
        return safety.PlannedProcedure(
            modality=self.MODALITY,
            interval_kind=self.interval_kind(),
            tca_percent=self.concentration_percent if self.agent == PeelAgent.TCA else None,
            peel_agent=self.agent,
            peel_depth=self.depth,
            regions=tuple(self.regions),
        )

    def summary(self) -> str:
        parts = [self.get_agent_display()]
        if self.concentration_percent is not None:
            parts[0] += f" {format_measurement(self.concentration_percent)} %"
        if self.coats:
            parts.append(f"{self.coats} coat{'s' if self.coats != 1 else ''}")
        if self.contact_time_minutes is not None:
            parts.append(f"{format_measurement(self.contact_time_minutes)} min")
        parts.append(f"frost {self.get_frost_level_display().split(':')[0]}")
        if self.neutralised:
            parts.append("neutralised")
        return ", ".join(parts)
