"""Warnings the clinician must acknowledge before a session is saved, one function per rule;
sources in docs/clinical-rules.md."""

import datetime as dt

from clinic.lib.dates import add_months
from patients.flags import ISOTRETINOIN_CAUTION_MONTHS
from treatments import ranges
from treatments.modalities import Modality, minimum_interval
from treatments.safety.plan import (
    _NUMERALS,
    BREASTFEEDING,
    HIGH_DENSITY_PERCENT,
    HIGH_STRENGTH_TCA_PERCENT,
    PEEL_AGENTS_AVOIDED_IN_PREGNANCY,
    PMMA_APPROVED_FROM_AGE,
    PMMA_COLLAGEN,
    PREGNANT,
    PUNCH_BEFORE_RESURFACING,
    PUNCH_WOUNDS,
    SKIN_TEST_WAIT,
    PeelDepth,
    PlannedProcedure,
    PriorProcedure,
    SafetyWarning,
    SessionPlan,
    Severity,
    WarningRule,
    _days,
    _interval_text,
    _listed,
    _peel_name,
)

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
