"""What the safety rules read: the session plan, the patient's facts and the shapes of their
answers. Pure, no Django."""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from clinic.lib.dates import age_on
from treatments.modalities import IntervalKind, Modality

HIGH_STRENGTH_TCA_PERCENT = Decimal(40)  # "TCA over 40 % is unpredictable" in darker skin
HIGH_DENSITY_PERCENT = Decimal(20)  # typical fractional CO2 density is 10-20 %
PMMA_COLLAGEN = "pmma_collagen"
PMMA_APPROVED_FROM_AGE = 21  # Bellafill: cheek acne scars in patients over 21
SKIN_TEST_WAIT = dt.timedelta(weeks=4)  # read negative at least 4 weeks before treatment
PUNCH_BEFORE_RESURFACING = dt.timedelta(weeks=4)  # resurfacing waits 4-8 weeks after punch
PREGNANT = "pregnant"
BREASTFEEDING = "breastfeeding"
PUNCH_WOUNDS = ("excision", "graft")  # techniques that leave a sutured or grafted wound
PEEL_AGENTS_AVOIDED_IN_PREGNANCY = ("tca", "salicylic", "jessner", "combination")
RETINOIDS = ("tretinoin", "adapalene", "adapalene_bpo")
_NUMERALS = ("I", "II", "III", "IV", "V", "VI")


class Severity(StrEnum):
    STRONG = "strong"
    CAUTION = "caution"


class PeelDepth(StrEnum):
    SUPERFICIAL = "superficial"
    MEDIUM = "medium"
    DEEP = "deep"


@dataclass(frozen=True)
class SafetyWarning:
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class HardStop:
    procedure_index: int  # position in the planned list, so the form can show it in place
    message: str


@dataclass(frozen=True)
class SkinTestFact:
    """One skin test: placed, and (once read) its reading date and result."""

    tested_on: dt.date
    read_on: dt.date | None = None
    result: str | None = None  # "negative", "positive", "equivocal"; None until read


@dataclass(frozen=True)
class PatientFacts:
    fitzpatrick_type: int | None
    active_acne: bool
    on_isotretinoin: bool
    isotretinoin_stopped_on: dt.date | None
    has_clinical_photo_consent: bool
    date_of_birth: dt.date | None = None
    pregnancy_status: str = "no"  # "no", "pregnant", "breastfeeding"
    on_anticoagulant: bool = False
    anticoagulant_agent: str = ""
    keloid_history: bool = False
    herpes_labialis_history: bool = False
    # PMMA-collagen skin tests, oldest first: the last one decides.
    pmma_skin_tests: tuple[SkinTestFact, ...] = ()

    def age_on(self, day: dt.date) -> int | None:
        return None if self.date_of_birth is None else age_on(self.date_of_birth, day)


@dataclass(frozen=True)
class PlannedProcedure:
    modality: Modality
    interval_kind: IntervalKind
    tca_percent: Decimal | None = None  # CROSS, or a TCA peel
    peel_agent: str | None = None
    peel_depth: PeelDepth | None = None
    is_ablative_laser: bool = False
    is_fully_ablative_laser: bool = False
    laser_density_percent: Decimal | None = None
    punch_technique: str | None = None
    regions: tuple[str, ...] = ()
    filler_material: str | None = None
    filler_product: str = ""
    filler_lot_number: str = ""
    filler_expiry: dt.date | None = None

    @property
    def is_medium_or_deep_peel(self) -> bool:
        return self.peel_depth in (PeelDepth.MEDIUM, PeelDepth.DEEP)

    @property
    def is_resurfacing(self) -> bool:
        """Laser or medium/deep peel: what waits for a punch wound to heal."""
        return self.modality == Modality.LASER or self.is_medium_or_deep_peel


@dataclass(frozen=True)
class PriorProcedure:
    modality: Modality
    performed_on: dt.date
    # When known, the earlier procedure's own recovery time counts too: a superficial peel
    # after a medium-depth one waits for the medium peel's interval.
    interval_kind: IntervalKind | None = None
    punch_technique: str | None = None
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionPlan:
    """Everything the rules look at for one session."""

    patient: PatientFacts
    procedures: Sequence[PlannedProcedure]
    performed_on: dt.date
    prior: Sequence[PriorProcedure] = ()
    photos_taken: bool = False
    antiviral_prophylaxis: bool = False

    def any(self, test: Callable[[PlannedProcedure], bool]) -> bool:
        return any(test(p) for p in self.procedures)


WarningRule = Callable[[SessionPlan], Iterable[SafetyWarning]]
HardStopRule = Callable[[SessionPlan], Iterable[HardStop]]


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _interval_text(gap: dt.timedelta) -> str:
    if gap.days % 7 == 0:
        weeks = gap.days // 7
        return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
    return _days(gap.days)


def _listed(items: Iterable[str]) -> str:
    names = list(dict.fromkeys(items))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _peel_name(p: PlannedProcedure) -> str:
    return f"a {p.peel_depth or 'superficial'} peel"
