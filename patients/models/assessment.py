import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.compiled import CompiledRows
from clinic.models import Archivable, ArchivableQuerySet, Attributed
from patients import scoring
from patients.models.patient import Patient

# ----------------------------------------------------------------------------------------------
# Scar assessments
# ----------------------------------------------------------------------------------------------


class FacialRegion(models.TextChoices):
    FOREHEAD = "forehead", "Forehead"
    LEFT_TEMPLE = "left_temple", "Left temple"
    RIGHT_TEMPLE = "right_temple", "Right temple"
    LEFT_CHEEK = "left_cheek", "Left cheek"
    RIGHT_CHEEK = "right_cheek", "Right cheek"
    NOSE = "nose", "Nose"
    CHIN = "chin", "Chin"
    JAWLINE_NECK = "jawline_neck", "Jawline / neck"
    OTHER = "other", "Other"


EccaScarTypeChoices = models.TextChoices(
    "EccaScarTypeChoices", [(t.name, (t.value, t.label)) for t in scoring.EccaScarType]
)
GoodmanBaronGradeChoices = models.IntegerChoices(
    "GoodmanBaronGradeChoices", [(g.name, (g.value, g.label)) for g in scoring.GoodmanBaronGrade]
)
MAX_COUNT_PER_CELL = 500
MAX_KELOID_AREA_CM2 = 500


def _answer(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


def _gb_count(subtype: scoring.GoodmanBaronSubtype) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{subtype.label} (group {subtype.group})",
        default=0,
        help_text=f"Number of scars; {subtype.base_points} point(s) x count multiplier.",
    )


def _dlqi_choices(item: int) -> list[tuple[str, str]]:
    if item == scoring.DLQI_WORK_ITEM:
        return [(a.value, a.label) for a in scoring.DlqiWorkAnswer]
    return [
        (a.value, a.label)
        for a in scoring.DlqiAnswer
        if a is not scoring.DlqiAnswer.NOT_RELEVANT or item in scoring.DLQI_NOT_RELEVANT_ITEMS
    ]


def _dlqi_answer(item: int) -> models.CharField:
    # The answer as the patient gave it (not its score), so "not relevant" stays distinguishable
    # from "not at all"; NULL is an unanswered item, which the Cardiff rules score.
    return models.CharField(
        f"DLQI {item}", max_length=20, null=True, blank=True, choices=_dlqi_choices(item)
    )


CADI_FIELDS = [f"cadi_{n}" for n in range(1, 6)]
DLQI_FIELDS = [f"dlqi_{n}" for n in range(1, 11)]
DLQI_WORK_PROBLEM_FIELD = "dlqi_7_problem"
GB_COUNT_FIELDS = {subtype: f"gb_{subtype.value}" for subtype in scoring.GoodmanBaronSubtype}


def _all_or_none(fields: list[str]) -> Q:
    return Q(**{f"{f}__isnull": True for f in fields}) | Q(
        **{f"{f}__isnull": False for f in fields}
    )


def _each_between(fields, low: int, high: int) -> Q:
    condition = Q()
    for name in fields:
        condition &= Q(**{f"{name}__isnull": True}) | Q(
            **{f"{name}__gte": low, f"{name}__lte": high}
        )
    return condition


def _dlqi_answers_valid() -> Q:
    condition = Q()
    for item, name in enumerate(DLQI_FIELDS, 1):
        allowed = [value for value, _ in _dlqi_choices(item)]
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__in": allowed})
    problems = [p.value for p in scoring.DlqiWorkProblem]
    return condition & (
        Q(**{f"{DLQI_WORK_PROBLEM_FIELD}__isnull": True})
        | Q(**{f"{DLQI_WORK_PROBLEM_FIELD}__in": problems})
    )


def was_amended(created_at: dt.datetime, updated_at: dt.datetime) -> bool:
    # Recording writes both timestamps in the same instant; any later save is an amendment.
    return (updated_at - created_at).total_seconds() > 1


def dlqi_recorded(answers: Sequence[str | None], work_problem: str | None) -> bool:
    """Whether any DLQI answer was entered (a DLQI may be recorded yet not scored)."""
    return any(answers) or bool(work_problem)


@dataclass(frozen=True, slots=True)
class Assessor:
    username: str
    first_name: str
    last_name: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True, eq=False)
class ChartAssessment:
    """An assessment as the chart's progress tab lists and plots it, with the same names as
    ScarAssessment: a plain row. Sixty model instances of sixty columns each were a sixth of the
    tab's time. `is_superseded` is set by patients.progress.mark_superseded."""

    pk: int
    assessed_on: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime
    assessor: Assessor
    ecca_score: int
    gb_grade: int
    gb_quantitative_score: int
    cadi_score: int | None
    dlqi_score: int | None
    ice_pick: int | None  # summed over the grid's regions; None without a grid
    dlqi_recorded: bool
    is_superseded: bool = False

    @property
    def was_amended(self) -> bool:
        return was_amended(self.created_at, self.updated_at)

    @property
    def dlqi_band(self) -> scoring.DlqiBand | None:
        return None if self.dlqi_score is None else scoring.dlqi_band(self.dlqi_score)

    def __eq__(self, other: object) -> bool:
        """The same assessment as a ChartAssessment or a ScarAssessment with its primary key."""
        if isinstance(other, ChartAssessment | ScarAssessment):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)


_CHART_COLUMNS = [
    *("pk", "assessed_on", "created_at", "updated_at"),
    *("assessor_id", "assessor__username", "assessor__first_name", "assessor__last_name"),
    *("ecca_score", "gb_grade", "gb_quantitative_score", "cadi_score", "dlqi_score"),
    *("ice_pick", DLQI_WORK_PROBLEM_FIELD, *DLQI_FIELDS),
]


def _chart_rows_of(patient_pk: int) -> "models.QuerySet[Any, tuple[Any, ...]]":
    """A patient's current assessments as the chart reads them (see chart_rows)."""
    ice_pick = (
        ScarCount.objects.filter(assessment=OuterRef("pk"), scar_type=scoring.EccaScarType.ICE_PICK)
        .values("assessment")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return (
        ScarAssessment.objects.current()
        .filter(patient_id=patient_pk)
        .annotate(ice_pick=Subquery(ice_pick))
        .order_by("assessed_on", "created_at", "pk")
        .values_list(*_CHART_COLUMNS)
    )


# Compiled once: building and compiling the query, with the ice pick subquery, cost a
# millisecond a chart, as long as running it.
_chart_rows = CompiledRows(_chart_rows_of)


class ScarAssessmentQuerySet(ArchivableQuerySet):
    def with_superseded(self) -> "ScarAssessmentQuerySet":
        """Annotates `is_superseded`: another current assessment of the same patient on the same
        date was recorded later (by creation time, then id). Only the last of a day counts in the
        trend and in change from baseline; one subquery, no extra round trip."""
        later_same_day = (
            self.model.objects.current()
            .filter(patient=OuterRef("patient"), assessed_on=OuterRef("assessed_on"))
            .filter(
                Q(created_at__gt=OuterRef("created_at"))
                | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
            )
        )
        return self.annotate(is_superseded=Exists(later_same_day))

    def latest_of_each_day(self) -> "ScarAssessmentQuerySet":
        """Current assessments that count: archived ones and superseded same-day ones left out."""
        return self.current().with_superseded().filter(is_superseded=False)

    def same_day_as(self, *, patient: Patient, day: dt.date, exclude_pk: int | None = None):
        """Other current assessments of the patient on `day` (for the same-day warning)."""
        rows = self.current().filter(patient=patient, assessed_on=day).select_related("assessor")
        return rows.exclude(pk=exclude_pk) if exclude_pk else rows

    def for_glance(self, patient: Patient) -> "ScarAssessmentQuerySet":
        """Every current assessment of the patient, each marked whether it is superseded: what
        the chart summary reads its baseline and latest scores from (as plain rows)."""
        return self.current().filter(patient=patient).with_superseded()

    def chart_rows(self, patient: Patient) -> list[ChartAssessment]:
        """Every current assessment of the patient by date and, within a day, in the order they
        were recorded (as patients.progress.mark_superseded expects), with its ice pick count:
        what the chart's table, trend and progress timeline read, as plain rows (one query)."""
        assessors: dict[int, Assessor] = {}
        rows = []
        for row in _chart_rows(patient.pk):
            pk, assessed_on, created_at, updated_at, assessor_id = row[:5]
            assessor = assessors.get(assessor_id)
            if assessor is None:
                assessor = assessors[assessor_id] = Assessor(*row[5:8])
            ecca, gb_grade, gb_quantitative, cadi, dlqi, ice_pick, work_problem = row[8:15]
            answers = [answer or None for answer in row[15:]]
            rows.append(
                ChartAssessment(
                    pk, assessed_on, created_at, updated_at, assessor, ecca, gb_grade,
                    gb_quantitative, cadi, dlqi, ice_pick, dlqi_recorded(answers, work_problem),
                )
            )  # fmt: skip
        return rows


class ScarAssessment(Archivable, Attributed):
    """One visit's scar assessment: counts in, validated scores out.

    Totals are computed with patients.scoring when the assessment is recorded or amended, and
    stored so reports can query them; `recomputed_scores()` re-derives them from the stored counts.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField("Date assessed")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gb_grade = models.PositiveSmallIntegerField(
        "Goodman & Baron qualitative grade", choices=GoodmanBaronGradeChoices.choices
    )
    gb_macular = _gb_count(scoring.GoodmanBaronSubtype.MACULAR)
    gb_mild_dish_atrophic = _gb_count(scoring.GoodmanBaronSubtype.MILD_DISH_ATROPHIC)
    gb_moderate_dish_atrophic = _gb_count(scoring.GoodmanBaronSubtype.MODERATE_DISH_ATROPHIC)
    gb_punched_out_shallow_small = _gb_count(scoring.GoodmanBaronSubtype.PUNCHED_OUT_SHALLOW_SMALL)
    gb_shallow_broad_atrophic = _gb_count(scoring.GoodmanBaronSubtype.SHALLOW_BROAD_ATROPHIC)
    gb_punched_out_deep_normal_base = _gb_count(
        scoring.GoodmanBaronSubtype.PUNCHED_OUT_DEEP_NORMAL_BASE
    )
    gb_punched_out_deep_abnormal_base = _gb_count(
        scoring.GoodmanBaronSubtype.PUNCHED_OUT_DEEP_ABNORMAL_BASE
    )
    gb_linear_troughed = _gb_count(scoring.GoodmanBaronSubtype.LINEAR_TROUGHED)
    gb_deep_broad_atrophic = _gb_count(scoring.GoodmanBaronSubtype.DEEP_BROAD_ATROPHIC)
    gb_papular = _gb_count(scoring.GoodmanBaronSubtype.PAPULAR)
    keloid_area_cm2 = models.DecimalField(
        "Keloidal / hypertrophic scar area (cm²)",
        max_digits=4,
        decimal_places=1,
        default=0,
        help_text="Total area: under 5 cm² scores 6, 5-20 cm² 12, over 20 cm² 18.",
    )
    cadi_1 = _answer("CADI 1")
    cadi_2 = _answer("CADI 2")
    cadi_3 = _answer("CADI 3")
    cadi_4 = _answer("CADI 4")
    cadi_5 = _answer("CADI 5")
    dlqi_1 = _dlqi_answer(1)
    dlqi_2 = _dlqi_answer(2)
    dlqi_3 = _dlqi_answer(3)
    dlqi_4 = _dlqi_answer(4)
    dlqi_5 = _dlqi_answer(5)
    dlqi_6 = _dlqi_answer(6)
    dlqi_7 = _dlqi_answer(7)
    dlqi_8 = _dlqi_answer(8)
    dlqi_9 = _dlqi_answer(9)
    dlqi_10 = _dlqi_answer(10)
    dlqi_7_problem = models.CharField(
        "DLQI 7, problem at work or study",
        max_length=20,
        null=True,
        blank=True,
        choices=[(p.value, p.label) for p in scoring.DlqiWorkProblem],
        help_text="Item 7's second part, asked when the answer to the first is no.",
    )
    notes = models.TextField(blank=True)
    # The contradiction warnings shown when the assessment was saved and ticked as checked:
    # [{"code", "message", "by" (username), "at" (ISO time)}]. Written only by the services.
    acknowledged_warnings = models.JSONField(
        "Warnings acknowledged", default=list, blank=True, editable=False
    )

    # Stored results, written only by set_scores().
    ecca_score = models.PositiveSmallIntegerField("ECCA", editable=False)
    gb_quantitative_score = models.PositiveSmallIntegerField(
        "Goodman & Baron quantitative", editable=False
    )
    cadi_score = models.PositiveSmallIntegerField("CADI", null=True, editable=False)
    dlqi_score = models.PositiveSmallIntegerField("DLQI", null=True, editable=False)
    ecca_version = models.CharField(max_length=50, editable=False)
    gb_version = models.CharField(max_length=50, editable=False)

    history = HistoricalRecords()
    objects = ScarAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [
            models.Index(fields=["patient", "assessed_on"], name="assessment_patient_date_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gb_grade__gte=1, gb_grade__lte=4), name="assessment_gb_grade_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__lte": MAX_COUNT_PER_CELL for name in GB_COUNT_FIELDS.values()}
                ),
                name="assessment_gb_counts_in_range",
            ),
            models.CheckConstraint(
                condition=Q(keloid_area_cm2__gte=0, keloid_area_cm2__lte=MAX_KELOID_AREA_CM2),
                name="assessment_keloid_area_in_range",
            ),
            models.CheckConstraint(
                condition=_each_between(CADI_FIELDS, 0, 3),
                name="assessment_cadi_answers_0_to_3",
            ),
            models.CheckConstraint(
                condition=_dlqi_answers_valid(),
                name="assessment_dlqi_answers_valid",
            ),
            models.CheckConstraint(
                condition=_all_or_none(CADI_FIELDS),
                name="assessment_cadi_complete_or_absent",
                violation_error_message="Answer all five CADI questions or none.",
            ),
            models.CheckConstraint(
                condition=Q(ecca_score__lte=scoring.ECCA_MAX), name="assessment_ecca_in_range"
            ),
            models.CheckConstraint(
                condition=Q(gb_quantitative_score__lte=scoring.GOODMAN_BARON_MAX),
                name="assessment_gb_quantitative_in_range",
            ),
            models.CheckConstraint(
                condition=Q(cadi_score__isnull=True) | Q(cadi_score__lte=scoring.CADI_MAX),
                name="assessment_cadi_in_range",
            ),
            models.CheckConstraint(
                condition=Q(dlqi_score__isnull=True) | Q(dlqi_score__lte=scoring.DLQI_MAX),
                name="assessment_dlqi_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Scar assessment of {self.patient.full_name} on {self.assessed_on}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "The assessment date cannot be in the future."})

    @property
    def was_amended(self) -> bool:
        return was_amended(self.created_at, self.updated_at)

    @property
    def gb_grade_label(self) -> str:
        return scoring.GoodmanBaronGrade(self.gb_grade).label

    @property
    def dlqi_band(self) -> scoring.DlqiBand | None:
        return None if self.dlqi_score is None else scoring.dlqi_band(self.dlqi_score)

    def gb_counts(self) -> dict[scoring.GoodmanBaronSubtype, int]:
        return {subtype: getattr(self, name) for subtype, name in GB_COUNT_FIELDS.items()}

    def cadi_answers(self) -> list[int] | None:
        answers = [getattr(self, name) for name in CADI_FIELDS]
        return None if answers[0] is None else answers

    def dlqi_answers(self) -> list[str | None]:
        """The ten answers as given (item 7: its yes / no / not relevant part); None unanswered."""
        return [getattr(self, name) or None for name in DLQI_FIELDS]

    @property
    def dlqi_recorded(self) -> bool:
        """Whether any DLQI answer was entered (a DLQI may be recorded yet not scored)."""
        return dlqi_recorded(self.dlqi_answers(), self.dlqi_7_problem)

    def dlqi_unanswered(self) -> list[int]:
        return scoring.dlqi_unanswered(self.dlqi_answers(), self.dlqi_7_problem or None)

    def dlqi_result(self) -> scoring.DlqiResult | None:
        if not self.dlqi_recorded:
            return None
        return scoring.dlqi_from_answers(self.dlqi_answers(), self.dlqi_7_problem or None)

    def compute_scores(
        self, ecca_counts: Mapping[scoring.EccaScarType, int]
    ) -> dict[str, int | None]:
        """All totals for these answers and the given ECCA counts per scar type."""
        cadi = self.cadi_answers()
        dlqi = self.dlqi_result()
        return {
            "ecca_score": scoring.ecca_score(ecca_counts),
            "gb_quantitative_score": scoring.goodman_baron_quantitative(
                self.gb_counts(), self.keloid_area_cm2
            ),
            "cadi_score": None if cadi is None else scoring.cadi_score(cadi),
            "dlqi_score": None if dlqi is None else dlqi.total,
        }

    def set_scores(self, ecca_counts: Mapping[scoring.EccaScarType, int]) -> None:
        for name, value in self.compute_scores(ecca_counts).items():
            setattr(self, name, value)
        self.ecca_version = scoring.ECCA_VERSION
        self.gb_version = scoring.GOODMAN_BARON_VERSION

    def stored_ecca_counts(self) -> dict[scoring.EccaScarType, int]:
        """Scars per ECCA type, summed over regions, from the stored grid."""
        totals = dict.fromkeys(scoring.EccaScarType, 0)
        for cell in self.scar_counts.all():
            totals[scoring.EccaScarType(cell.scar_type)] += cell.count
        return totals

    def recomputed_scores(self) -> dict[str, int | None]:
        return self.compute_scores(self.stored_ecca_counts())


class ScarCount(models.Model):
    """Scars of one type in one facial region, as counted at an assessment."""

    assessment = models.ForeignKey(
        ScarAssessment, on_delete=models.PROTECT, related_name="scar_counts"
    )
    region = models.CharField(max_length=20, choices=FacialRegion.choices)
    scar_type = models.CharField(max_length=30, choices=EccaScarTypeChoices.choices)
    count = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "region", "scar_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "region", "scar_type"], name="scarcount_one_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0, count__lte=MAX_COUNT_PER_CELL),
                name="scarcount_count_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_region_display()}: {self.count} {self.get_scar_type_display()}"
