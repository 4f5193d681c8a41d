"""Warnings and hard stops before a treatment session: pure rules, no Django.

Each rule is a small function of one `SessionPlan` (the patient's facts, the planned procedures,
the patient's earlier procedures and the date) that returns zero or more warnings or hard stops.
`session_warnings` and `hard_stops` only run the lists `WARNING_RULES` and `HARD_STOP_RULES`: a new
rule is a new function added to a list, plus its table test in tests/treatments/test_safety.py.

Every rule's clinical source is given in its docstring and collected in docs/clinical-rules.md.
Warnings are shown on the session form and must be acknowledged; hard stops block saving.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from clinic.lib.dates import add_months, age_on
from patients.flags import ISOTRETINOIN_CAUTION_MONTHS
from treatments import ranges
from treatments.modalities import IntervalKind, Modality, minimum_interval

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


# ----------------------------------------------------------------------------------------------
# Warnings
# ----------------------------------------------------------------------------------------------


def _darker_skin_risk(procedure: PlannedProcedure) -> str | None:
    if procedure.is_medium_or_deep_peel:
        return f"a {procedure.peel_depth}-depth peel"
    if procedure.tca_percent is not None and procedure.tca_percent > HIGH_STRENGTH_TCA_PERCENT:
        what = "CROSS" if procedure.modality == Modality.CROSS else "a TCA peel"
        return f"{what} with TCA above {HIGH_STRENGTH_TCA_PERCENT} %"
    if procedure.is_fully_ablative_laser:
        return "fully ablative laser resurfacing"
    density = procedure.laser_density_percent
    if procedure.is_ablative_laser and density is not None and density > HIGH_DENSITY_PERCENT:
        return f"ablative laser at {density} % density (over {HIGH_DENSITY_PERCENT} %)"
    return None


def pih_in_darker_skin(plan: SessionPlan) -> list[SafetyWarning]:
    """Fitzpatrick IV-VI with a medium/deep peel, TCA above 40 % or ablative laser at high
    density: post-inflammatory hyperpigmentation (Lee et al. 2002 studied CROSS in IV-V)."""
    skin = plan.patient.fitzpatrick_type
    risky = [reason for p in plan.procedures if (reason := _darker_skin_risk(p))]
    if not risky or skin is None or skin < 4:
        return []
    return [
        SafetyWarning(
            "pih_skin_type",
            Severity.CAUTION,
            f"Fitzpatrick type {_NUMERALS[skin - 1]} with {', '.join(dict.fromkeys(risky))}: "
            "risk of post-inflammatory hyperpigmentation. Consider a test spot, priming and "
            "strict sun protection.",
        )
    ]


def skin_type_unknown(plan: SessionPlan) -> list[SafetyWarning]:
    """Peels, CROSS and lasers are dosed by skin type: it must be known first."""
    if plan.patient.fitzpatrick_type is not None or not plan.any(
        lambda p: p.modality in (Modality.PEEL, Modality.LASER, Modality.CROSS)
    ):
        return []
    return [
        SafetyWarning(
            "skin_type_unknown",
            Severity.CAUTION,
            "Fitzpatrick skin type is not recorded: record it before peels, CROSS or lasers.",
        )
    ]


def isotretinoin_recent(plan: SessionPlan) -> list[SafetyWarning]:
    """Isotretinoin now or stopped under six calendar months ago (the chart flag's boundary).
    Waldman et al., Dermatol Surg 2017 and Spring et al., JAMA Dermatol 2017: no reason to delay
    superficial peels, fractional lasers or skin surgery; insufficient evidence for medium and
    deep peels and fully ablative lasers, which keep the strong warning."""
    facts = plan.patient
    stopped = facts.isotretinoin_stopped_on
    recent = facts.on_isotretinoin or (
        stopped is not None and plan.performed_on < add_months(stopped, ISOTRETINOIN_CAUTION_MONTHS)
    )
    if not recent or not plan.procedures:
        return []
    when = (
        "currently taking isotretinoin"
        if facts.on_isotretinoin
        else f"isotretinoin stopped {stopped:%d %b %Y}"
    )
    strong = [
        "fully ablative resurfacing" if p.is_fully_ablative_laser else _peel_name(p)
        for p in plan.procedures
        if p.is_fully_ablative_laser or p.is_medium_or_deep_peel
    ]
    if strong:
        code = (
            "isotretinoin_ablative"
            if plan.any(lambda p: p.is_fully_ablative_laser)
            else "isotretinoin_deep_peel"
        )
        return [
            SafetyWarning(
                code,
                Severity.STRONG,
                f"Patient {when} (under 6 months): {_listed(strong)} is not advised until 6 "
                "months after stopping (the 2017 consensus found too little evidence for it).",
            )
        ]
    return [
        SafetyWarning(
            "isotretinoin_recent",
            Severity.CAUTION,
            f"Patient {when} (under 6 months): the 2017 consensus found no reason to delay "
            "peels, fractional lasers or surgery (superficial peels only), but healing may be "
            "slower.",
        )
    ]


def minimum_intervals(plan: SessionPlan) -> list[SafetyWarning]:
    """The same modality repeated sooner than its minimum interval (treatments.modalities); an
    earlier procedure's own, longer recovery counts too."""
    found: dict[str, tuple[dt.timedelta, SafetyWarning]] = {}
    for procedure in plan.procedures:
        planned_gap = minimum_interval(procedure.interval_kind)
        too_soon: list[tuple[PriorProcedure, dt.timedelta]] = []
        for p in plan.prior:
            if p.modality != procedure.modality:
                continue
            gap = planned_gap
            if p.interval_kind is not None:
                gap = max(gap, minimum_interval(p.interval_kind))
            if dt.timedelta(0) <= plan.performed_on - p.performed_on < gap:
                too_soon.append((p, gap))
        if not too_soon:
            continue
        last = max(p.performed_on for p, _ in too_soon)
        gap = max(g for _, g in too_soon)
        code = f"interval_{procedure.modality.value}"
        # Two procedures of one modality make one warning: keep the stricter minimum.
        if code in found and found[code][0] >= gap:
            continue
        found[code] = (
            gap,
            SafetyWarning(
                code,
                Severity.CAUTION,
                f"{procedure.modality.label} was done {_days((plan.performed_on - last).days)} "
                f"ago ({last:%d %b %Y}); the minimum interval is {_interval_text(gap)}.",
            ),
        )
    return [w for _, w in found.values()]


def active_acne(plan: SessionPlan) -> list[SafetyWarning]:
    """Treating through active inflammatory acne risks infection and worse scarring."""
    if not plan.patient.active_acne or not plan.procedures:
        return []
    return [
        SafetyWarning(
            "active_acne",
            Severity.CAUTION,
            "Active inflammatory acne is recorded: do not treat over active lesions.",
        )
    ]


def photos_without_consent(plan: SessionPlan) -> list[SafetyWarning]:
    if not plan.photos_taken or plan.patient.has_clinical_photo_consent:
        return []
    return [
        SafetyWarning(
            "no_photo_consent",
            Severity.STRONG,
            "Photos are marked as taken but the patient has no photo consent for the clinical "
            "record: record consent first, or do not take photos.",
        )
    ]


def _avoided_in_pregnancy(p: PlannedProcedure) -> str | None:
    if p.modality == Modality.LASER:
        return "laser resurfacing"
    if p.modality == Modality.CROSS:
        return "CROSS with TCA"
    if p.modality == Modality.PEEL and (
        p.peel_agent in PEEL_AGENTS_AVOIDED_IN_PREGNANCY or p.tca_percent is not None
    ):
        return "a TCA or salicylic acid peel"
    if p.modality == Modality.PEEL:
        return "a chemical peel"
    return None


def pregnancy_or_breastfeeding(plan: SessionPlan) -> list[SafetyWarning]:
    """Elective resurfacing is usually deferred in pregnancy and breastfeeding; TCA and
    salicylic acid peels avoided or used with caution (Trivedi et al., Int J Womens Dermatol
    2017). Glycolic and lactic peels are the lower-risk choice, so they draw a caution only."""
    status = plan.patient.pregnancy_status
    if status not in (PREGNANT, BREASTFEEDING):
        return []
    what = [reason for p in plan.procedures if (reason := _avoided_in_pregnancy(p))]
    if not what:
        return []
    state = "pregnant" if status == PREGNANT else "breastfeeding"
    strong = any(reason != "a chemical peel" for reason in what)
    return [
        SafetyWarning(
            "pregnancy",
            Severity.STRONG if strong else Severity.CAUTION,
            f"Patient is {state}: {_listed(what)}: elective, usually deferred until after "
            + ("pregnancy and breastfeeding." if status == PREGNANT else "breastfeeding.")
            + (
                "" if strong else " Superficial glycolic or lactic peels are the lower-risk choice."
            ),
        )
    ]


def anticoagulant(plan: SessionPlan) -> list[SafetyWarning]:
    """Anticoagulants and antiplatelets: bruising and haematoma after subcision, punch surgery
    and fillers; stop them only with the prescriber's approval (ASDS filler guidance)."""
    if not plan.patient.on_anticoagulant:
        return []
    bleeding = (Modality.SUBCISION, Modality.PUNCH, Modality.FILLER)
    what = [p.modality.label.lower() for p in plan.procedures if p.modality in bleeding]
    if not what:
        return []
    agent = plan.patient.anticoagulant_agent.strip() or "an anticoagulant or antiplatelet"
    return [
        SafetyWarning(
            "anticoagulant",
            Severity.CAUTION,
            f"Patient takes {agent}: expect bruising or haematoma after {_listed(what)}. Do not "
            "stop it without the prescriber's approval.",
        )
    ]


def _keloid_trigger(p: PlannedProcedure) -> str | None:
    if p.modality == Modality.PUNCH and p.punch_technique in PUNCH_WOUNDS:
        return f"punch {p.punch_technique}"
    if p.is_ablative_laser:
        return "ablative laser"
    if p.peel_depth == PeelDepth.DEEP:
        return "a deep peel"
    if p.modality == Modality.SUBCISION:
        return "subcision"
    return None


def keloid_history(plan: SessionPlan) -> list[SafetyWarning]:
    """A history of keloid or hypertrophic scarring: caution before punch excision or grafting,
    ablative lasers, deep peels and subcision, which wound the dermis."""
    if not plan.patient.keloid_history:
        return []
    what = [reason for p in plan.procedures if (reason := _keloid_trigger(p))]
    if not what:
        return []
    return [
        SafetyWarning(
            "keloid_history",
            Severity.CAUTION,
            f"History of keloid or hypertrophic scarring: {_listed(what)} may leave new raised "
            "scars. Consider a test area first.",
        )
    ]


def herpes_without_prophylaxis(plan: SessionPlan) -> list[SafetyWarning]:
    """Cold sores: antiviral prophylaxis (e.g. valaciclovir) before ablative laser resurfacing
    and medium or deep peels (Gilbert & McBurney, Dermatol Surg 2000)."""
    if not plan.patient.herpes_labialis_history or plan.antiviral_prophylaxis:
        return []
    what = [
        "ablative laser" if p.is_ablative_laser else _peel_name(p)
        for p in plan.procedures
        if p.is_ablative_laser or p.is_medium_or_deep_peel
    ]
    if not what:
        return []
    return [
        SafetyWarning(
            "herpes_no_prophylaxis",
            Severity.STRONG,
            f"History of cold sores and {_listed(what)} without antiviral prophylaxis recorded: "
            "give prophylaxis (e.g. valaciclovir) and tick it on the session, or acknowledge.",
        )
    ]


def cross_tca_below_usual(plan: SessionPlan) -> list[SafetyWarning]:
    """CROSS studies used 65-100 % TCA (Lee et al. 2002); lower strengths are used in some
    protocols but may not frost an ice pick scar."""
    low = [
        p.tca_percent
        for p in plan.procedures
        if p.modality == Modality.CROSS
        and p.tca_percent is not None
        and p.tca_percent < ranges.CROSS_TCA_USUAL_FROM
    ]
    if not low:
        return []
    return [
        SafetyWarning(
            "cross_tca_low",
            Severity.CAUTION,
            f"CROSS with TCA {min(low).normalize():f} %: below the 65-100 % of the published "
            "CROSS studies.",
        )
    ]


def tca_peel_unpredictable(plan: SessionPlan) -> list[SafetyWarning]:
    """TCA peels above 35-40 % penetrate unpredictably (Brody)."""
    strong = [
        p.tca_percent
        for p in plan.procedures
        if p.modality == Modality.PEEL
        and p.tca_percent is not None
        and p.tca_percent > ranges.TCA_PEEL_UNPREDICTABLE_ABOVE
    ]
    if not strong:
        return []
    return [
        SafetyWarning(
            "tca_peel_strong",
            Severity.CAUTION,
            f"TCA peel at {max(strong).normalize():f} %: above "
            f"{ranges.TCA_PEEL_UNPREDICTABLE_ABOVE} % penetration becomes unpredictable.",
        )
    ]


def pmma_under_21(plan: SessionPlan) -> list[SafetyWarning]:
    """PMMA-collagen (Bellafill) is approved for acne scars of the cheek in patients over 21."""
    age = plan.patient.age_on(plan.performed_on)
    if age is None or age >= PMMA_APPROVED_FROM_AGE:
        return []
    if not plan.any(lambda p: p.filler_material == PMMA_COLLAGEN):
        return []
    return [
        SafetyWarning(
            "pmma_under_21",
            Severity.CAUTION,
            f"Patient is {age}: PMMA-collagen filler is approved for patients over 21; this is "
            "outside its approved use.",
        )
    ]


def pmma_skin_test_observed_briefly(plan: SessionPlan) -> list[SafetyWarning]:
    """Product labelling observes the skin test for 4 weeks after placing it."""
    if (
        not plan.any(lambda p: p.filler_material == PMMA_COLLAGEN)
        or not plan.patient.pmma_skin_tests
    ):
        return []
    latest = plan.patient.pmma_skin_tests[-1]
    if latest.read_on is None or latest.read_on - latest.tested_on >= SKIN_TEST_WAIT:
        return []
    observed = _days((latest.read_on - latest.tested_on).days)
    return [
        SafetyWarning(
            "pmma_skin_test_short",
            Severity.CAUTION,
            f"The PMMA-collagen skin test was read {observed} after it was placed; the "
            "labelling observes it for 4 weeks.",
        )
    ]


def resurfacing_after_punch(plan: SessionPlan) -> list[SafetyWarning]:
    """Resurfacing (laser, medium peel) over punch-excised or grafted scars waits 4-8 weeks."""
    found: list[PriorProcedure] = []
    for planned in plan.procedures:
        if not planned.is_resurfacing:
            continue
        for p in plan.prior:
            if p.modality != Modality.PUNCH or p.punch_technique not in PUNCH_WOUNDS:
                continue
            if not dt.timedelta(0) <= plan.performed_on - p.performed_on < PUNCH_BEFORE_RESURFACING:
                continue
            # Unrecorded regions may overlap: warn rather than guess.
            if p.regions and planned.regions and not set(p.regions) & set(planned.regions):
                continue
            found.append(p)
    if not found:
        return []
    last = max(p.performed_on for p in found)
    return [
        SafetyWarning(
            "resurfacing_after_punch",
            Severity.CAUTION,
            f"Punch excision or grafting on {last:%d %b %Y} "
            f"({_days((plan.performed_on - last).days)} ago): resurfacing over those scars "
            "usually waits 4-8 weeks after the punch.",
        )
    ]


def same_day_session(plan: SessionPlan) -> list[SafetyWarning]:
    """Two sessions for one patient on one day hide the combination from the rules and reports."""
    if not any(p.performed_on == plan.performed_on for p in plan.prior):
        return []
    return [
        SafetyWarning(
            "same_day_session",
            Severity.CAUTION,
            f"This patient already has a session on {plan.performed_on:%d %b %Y}: record "
            "today's procedures as one combination session (add them to that session).",
        )
    ]


WARNING_RULES: tuple[WarningRule, ...] = (
    pih_in_darker_skin,
    skin_type_unknown,
    isotretinoin_recent,
    minimum_intervals,
    active_acne,
    photos_without_consent,
    pregnancy_or_breastfeeding,
    anticoagulant,
    keloid_history,
    herpes_without_prophylaxis,
    cross_tca_below_usual,
    tca_peel_unpredictable,
    pmma_under_21,
    pmma_skin_test_observed_briefly,
    resurfacing_after_punch,
    same_day_session,
)


# ----------------------------------------------------------------------------------------------
# Hard stops
# ----------------------------------------------------------------------------------------------


def _fillers(plan: SessionPlan) -> Iterable[tuple[int, PlannedProcedure]]:
    return ((i, p) for i, p in enumerate(plan.procedures) if p.modality == Modality.FILLER)


def filler_without_lot(plan: SessionPlan) -> list[HardStop]:
    """Every filler needs its product and lot number, for recalls."""
    return [
        HardStop(i, "A filler needs its product and lot number (for recalls).")
        for i, p in _fillers(plan)
        if not p.filler_product.strip() or not p.filler_lot_number.strip()
    ]


def filler_lot_expired(plan: SessionPlan) -> list[HardStop]:
    return [
        HardStop(i, f"This filler lot expired on {p.filler_expiry:%d %b %Y}.")
        for i, p in _fillers(plan)
        if p.filler_expiry is not None and p.filler_expiry < plan.performed_on
    ]


def _pmma_skin_test_problem(tests: Sequence[SkinTestFact], day: dt.date) -> str | None:
    if not tests:
        return (
            "PMMA-collagen filler needs a negative skin test recorded for this patient before "
            "treatment."
        )
    latest = tests[-1]  # the most recent test decides, even after an earlier negative one
    if latest.read_on is None or latest.result is None:
        return (
            f"The latest PMMA-collagen skin test (placed {latest.tested_on:%d %b %Y}) has not "
            "been read yet."
        )
    if latest.result != "negative":
        return (
            f"The latest PMMA-collagen skin test was read {latest.result} on "
            f"{latest.read_on:%d %b %Y}: no PMMA-collagen filler."
        )
    if day - latest.read_on < SKIN_TEST_WAIT:
        return (
            f"The PMMA-collagen skin test was read negative on {latest.read_on:%d %b %Y}; "
            "treatment needs 4 weeks after a negative reading, from "
            f"{latest.read_on + SKIN_TEST_WAIT:%d %b %Y}."
        )
    return None


def pmma_without_skin_test(plan: SessionPlan) -> list[HardStop]:
    """PMMA-collagen (Bellafill): a skin test read negative at least 4 weeks before treatment
    (ASDS; product labelling); the most recent test decides."""
    problem = _pmma_skin_test_problem(plan.patient.pmma_skin_tests, plan.performed_on)
    if problem is None:
        return []
    return [HardStop(i, problem) for i, p in _fillers(plan) if p.filler_material == PMMA_COLLAGEN]


HARD_STOP_RULES: tuple[HardStopRule, ...] = (
    filler_without_lot,
    filler_lot_expired,
    pmma_without_skin_test,
)


# ----------------------------------------------------------------------------------------------
# Running the rules
# ----------------------------------------------------------------------------------------------


def session_warnings(
    *,
    patient: PatientFacts,
    procedures: Sequence[PlannedProcedure],
    performed_on: dt.date,
    prior: Sequence[PriorProcedure] = (),
    photos_taken: bool = False,
    antiviral_prophylaxis: bool = False,
) -> list[SafetyWarning]:
    """Every warning the clinician must acknowledge before this session is saved."""
    plan = SessionPlan(
        patient, procedures, performed_on, prior, photos_taken, antiviral_prophylaxis
    )
    warnings = [w for rule in WARNING_RULES for w in rule(plan)]
    # One warning per code.
    return list({w.code: w for w in warnings}.values())


def hard_stops(
    *,
    patient: PatientFacts,
    procedures: Sequence[PlannedProcedure],
    performed_on: dt.date,
    prior: Sequence[PriorProcedure] = (),
) -> list[HardStop]:
    """Conditions under which the session cannot be saved at all."""
    plan = SessionPlan(patient, procedures, performed_on, prior)
    return [stop for rule in HARD_STOP_RULES for stop in rule(plan)]


def topical_warnings(*, patient: PatientFacts, agent: str) -> list[SafetyWarning]:
    """Topical retinoids (tretinoin, adapalene) are avoided in pregnancy (Trivedi et al. 2017)."""
    if patient.pregnancy_status != PREGNANT or agent not in RETINOIDS:
        return []
    return [
        SafetyWarning(
            "retinoid_in_pregnancy",
            Severity.STRONG,
            "Patient is pregnant: topical retinoids (tretinoin, adapalene) are avoided in "
            "pregnancy.",
        )
    ]
