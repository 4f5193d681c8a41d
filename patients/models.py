import datetime as dt
import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.dates import age_on
from clinic.models import Archivable, ArchivableQuerySet
from patients import scoring
from patients.identifiers import MRN_PATTERN, new_mrn, normalise_mrn, phone_digits

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class FitzpatrickType(models.IntegerChoices):
    """Fitzpatrick skin phototypes; IV-VI carry a higher risk of post-inflammatory
    hyperpigmentation after peels and ablative lasers."""

    I = 1, "I: always burns, never tans"  # noqa: E741 - Roman numerals are the clinical names
    II = 2, "II: burns easily, tans poorly"
    III = 3, "III: sometimes burns, tans gradually"
    IV = 4, "IV: rarely burns, tans easily"
    V = 5, "V: very rarely burns, brown skin"
    VI = 6, "VI: never burns, deeply pigmented"

    @property
    def numeral(self) -> str:
        return self.label.split(":")[0]


class PregnancyStatus(models.TextChoices):
    NO = "no", "Neither pregnant nor breastfeeding"
    PREGNANT = "pregnant", "Pregnant"
    BREASTFEEDING = "breastfeeding", "Breastfeeding"


class SexAtBirth(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    NOT_RECORDED = "not_recorded", "Not recorded"


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


def _parse_search_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class PatientQuerySet(models.QuerySet):
    def active(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=True)

    def search(self, query: str) -> "PatientQuerySet":
        """Find by name (every word must match some name), MRN, date of birth or phone."""
        query = query.strip()
        if not query:
            return self
        birth_date = _parse_search_date(query)
        if birth_date:
            return self.filter(date_of_birth=birth_date)
        # MRNs are stored normalised (upper case, no spaces), so an exact match on the normalised
        # query uses the unique index; every other branch has a trigram index on PostgreSQL
        # (patients migration 0009), so the OR below is a BitmapOr of index scans, not a scan.
        matches = Q(mrn=normalise_mrn(query))
        digits = phone_digits(query)
        if len(digits) >= 4 and not re.search(r"[A-Za-z]", query):
            matches |= Q(phone_digits__contains=digits) | Q(mrn__contains=query)
        name_match = Q()
        for word in query.split():
            name_match &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        return self.filter(matches | name_match)


class ArchiveState(models.Model):
    """Archived is having an archive date: there is no separate flag to disagree with it. Shared
    with the patient's history rows, so a past version says whether it was archived too."""

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None  # type: ignore[attr-defined]


class Patient(ArchiveState):
    # The skin and acne history: the dermatologist's to record; front desk never sees its values.
    CLINICAL_FIELDS = (
        "fitzpatrick_type",
        "active_acne",
        "acne_onset_year",
        "previous_treatments",
        "on_isotretinoin",
        "isotretinoin_stopped_on",
        "allergies",
        "pregnancy_status",
        "pregnancy_status_recorded_on",
        "on_anticoagulant",
        "anticoagulant_agent",
        "keloid_history",
        "herpes_labialis_history",
    )

    mrn = models.CharField(
        "MRN",
        max_length=20,
        blank=True,
        help_text="Medical record number. Leave blank to generate one.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField(
        max_length=20, choices=SexAtBirth.choices, default=SexAtBirth.NOT_RECORDED
    )
    phone = models.CharField(max_length=40, blank=True)
    phone_digits = models.CharField(max_length=40, blank=True, editable=False, db_index=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(max_length=40, blank=True)

    fitzpatrick_type = models.PositiveSmallIntegerField(
        "Fitzpatrick skin type",
        choices=FitzpatrickType.choices,
        null=True,
        blank=True,
        help_text="Assessed by the dermatologist; leave blank until then.",
    )
    active_acne = models.BooleanField(
        "Active inflammatory acne",
        default=False,
        help_text="Treating through active acne risks infection and worse scarring.",
    )
    acne_onset_year = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_treatments = models.TextField(
        "Previous scar or acne treatments", blank=True, help_text="What, when, and how it went."
    )
    on_isotretinoin = models.BooleanField("Currently taking isotretinoin", default=False)
    isotretinoin_stopped_on = models.DateField(
        "Isotretinoin stopped on", null=True, blank=True, help_text="Leave blank if never taken."
    )
    allergies = models.TextField(blank=True, help_text="Drugs, anaesthetics, latex, dressings.")
    # Risk factors asked about before any procedure (docs/clinical-rules.md). Pregnancy changes,
    # so the day it was last asked is kept beside it.
    pregnancy_status = models.CharField(
        "Pregnancy or breastfeeding",
        max_length=20,
        choices=PregnancyStatus.choices,
        default=PregnancyStatus.NO,
    )
    pregnancy_status_recorded_on = models.DateField(
        "Pregnancy status asked on",
        null=True,
        blank=True,
        help_text="The day the patient was last asked; required when pregnant or breastfeeding.",
    )
    on_anticoagulant = models.BooleanField(
        "Takes an anticoagulant or antiplatelet",
        default=False,
        help_text="Bruising and haematoma after subcision, punch surgery and fillers.",
    )
    anticoagulant_agent = models.CharField(
        "Anticoagulant / antiplatelet agent",
        max_length=100,
        blank=True,
        help_text="e.g. aspirin 75 mg, apixaban, warfarin.",
    )
    keloid_history = models.BooleanField(
        "History of keloid or hypertrophic scarring", default=False
    )
    herpes_labialis_history = models.BooleanField(
        "History of cold sores (herpes labialis)",
        default=False,
        help_text="Antiviral prophylaxis before ablative laser and medium or deep peels.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archive_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(bases=[ArchiveState])
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_clinical_details", "Can view a patient's clinical details and safety flags"),
            ("archive_patient", "Can archive and restore a patient"),
            (
                "act_as_clinician",
                "Can be recorded as the clinician of a session or the assessor of an assessment",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["mrn"], name="patient_mrn_unique"),
            models.CheckConstraint(condition=~Q(mrn=""), name="patient_mrn_not_blank"),
            models.CheckConstraint(
                condition=Q(fitzpatrick_type__isnull=True)
                | Q(fitzpatrick_type__gte=1, fitzpatrick_type__lte=6),
                name="patient_fitzpatrick_i_to_vi",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=EARLIEST_BIRTH_DATE),
                name="patient_born_after_1900",
            ),
            models.CheckConstraint(
                condition=Q(acne_onset_year__isnull=True)
                | Q(acne_onset_year__gte=1900, acne_onset_year__lte=2100),
                name="patient_acne_onset_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(pregnancy_status="no") | Q(pregnancy_status_recorded_on__isnull=False),
                name="patient_pregnancy_has_date",
                violation_error_message="Record the day pregnancy status was asked about.",
            ),
            models.CheckConstraint(
                condition=Q(on_anticoagulant=False) | ~Q(anticoagulant_agent=""),
                name="patient_anticoagulant_has_agent",
                violation_error_message="Name the anticoagulant or antiplatelet agent.",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="patient_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(
                fields=["last_name", "first_name"],
                condition=Q(archived_at__isnull=True),
                name="patient_active_name_idx",
            ),
            # The dashboard's "recently updated patients": the newest eight without a sort.
            models.Index(
                fields=["-updated_at"],
                condition=Q(archived_at__isnull=True),
                name="patient_active_updated_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.mrn})"

    def save(self, *args, **kwargs) -> None:
        self.mrn = normalise_mrn(self.mrn) or self._unused_mrn()
        self.phone_digits = phone_digits(self.phone)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Generated here, not only in save(), so that constraint validation sees the final MRN.
        self.mrn = normalise_mrn(self.mrn) or self._unused_mrn()
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = "Date of birth cannot be in the future."
            elif self.date_of_birth < EARLIEST_BIRTH_DATE:
                errors["date_of_birth"] = "Date of birth cannot be before 1900."
        if self.isotretinoin_stopped_on and self.isotretinoin_stopped_on > today:
            errors["isotretinoin_stopped_on"] = (
                "The stop date cannot be in the future; tick 'currently taking' instead."
            )
        if self.pregnancy_status_recorded_on and self.pregnancy_status_recorded_on > today:
            errors["pregnancy_status_recorded_on"] = "This date cannot be in the future."
        if self.pregnancy_status != PregnancyStatus.NO and not self.pregnancy_status_recorded_on:
            errors["pregnancy_status_recorded_on"] = (
                "Record the day pregnancy or breastfeeding was asked about."
            )
        if self.on_anticoagulant and not self.anticoagulant_agent.strip():
            errors["anticoagulant_agent"] = "Name the anticoagulant or antiplatelet agent."
        if self.acne_onset_year and not 1900 <= self.acne_onset_year <= today.year:
            errors["acne_onset_year"] = f"Enter a year between 1900 and {today.year}."
        if self.mrn and not MRN_PATTERN.match(normalise_mrn(self.mrn)):
            errors["mrn"] = "Use 3-20 letters, digits or hyphens."
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.first_name:
            return f"{self.first_name} ({self.preferred_name}) {self.last_name}"
        return self.full_name

    @property
    def fitzpatrick(self) -> FitzpatrickType | None:
        return None if self.fitzpatrick_type is None else FitzpatrickType(self.fitzpatrick_type)

    def age_on(self, day: dt.date) -> int:
        return age_on(self.date_of_birth, day)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @classmethod
    def _unused_mrn(cls) -> str:
        # Collisions are rare among nine million numbers; the unique constraint has the last word.
        while True:
            mrn = new_mrn()
            if not cls.objects.filter(mrn=mrn).exists():
                return mrn

    def archive(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError("Give a reason for archiving.")
        self.archived_at = timezone.now()
        self.archived_by = by
        self.archive_reason = reason.strip()[:300]
        self.updated_by = by
        self.save(update_fields=[*self._ARCHIVE_FIELDS, "updated_by"])

    def unarchive(self, *, by) -> None:
        self.archived_at = None
        self.archived_by = None
        self.archive_reason = ""
        self.updated_by = by
        self.save(update_fields=[*self._ARCHIVE_FIELDS, "updated_by"])

    _ARCHIVE_FIELDS = ("archived_at", "archived_by", "archive_reason")

    def refuse_new_records(self) -> None:
        """An archived patient's record can be read, but nothing new is added to it."""
        if self.is_archived:
            raise PatientArchived(self)

    def current_consents(self) -> dict[str, "PhotoConsent"]:
        """Consents in force, by use; uses prefetched rows when the caller prefetched them."""
        return {c.use: c for c in self.photo_consents.all() if c.withdrawn_on is None}

    def has_photo_consent(self, use: str) -> bool:
        return use in self.current_consents()


class PatientArchived(ValidationError):
    def __init__(self, patient: Patient):
        super().__init__(
            f"{patient.full_name} is archived: restore the patient before adding records."
        )
        self.patient = patient


class ConsentUse(models.TextChoices):
    CLINICAL = "clinical", "Clinical record"
    TEACHING = "teaching", "Teaching"
    PUBLICATION = "publication", "Publication"


class PhotoConsentQuerySet(models.QuerySet):
    def in_force(self, use: str, *, on: dt.date | None = None) -> "PhotoConsentQuerySet":
        """Consents for `use` given by the day `on` (today by default) and not withdrawn."""
        day = on or timezone.localdate()
        return self.filter(use=use, given_on__lte=day, withdrawn_on__isnull=True)


class PhotoConsent(models.Model):
    """Consent to photographs for one use. A withdrawal is recorded on the row, never erased;
    consent given again later is a new row."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photo_consents")
    use = models.CharField(max_length=20, choices=ConsentUse.choices)
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PhotoConsentQuerySet.as_manager()

    class Meta:
        ordering = ["use", "-given_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "use"],
                condition=Q(withdrawn_on__isnull=True),
                name="photoconsent_one_current_per_use",
                violation_error_message="This patient already has consent in force for this use.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="photoconsent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        state = f"withdrawn {self.withdrawn_on}" if self.withdrawn_on else "in force"
        return f"{self.get_use_display()} consent from {self.given_on} ({state})"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


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

    def for_chart(self, patient: Patient) -> "ScarAssessmentQuerySet":
        """Every current assessment of the patient, each marked whether it is superseded."""
        return self.current().filter(patient=patient).select_related("assessor").with_superseded()


class ScarAssessment(Archivable):
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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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
        # Recording writes both timestamps in the same instant; any later save is an amendment.
        return (self.updated_at - self.created_at).total_seconds() > 1

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
        return any(self.dlqi_answers()) or bool(self.dlqi_7_problem)

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


# ----------------------------------------------------------------------------------------------
# The access trail
# ----------------------------------------------------------------------------------------------


class AccessLog(models.Model):
    """One row each time someone opens, downloads or exports a patient's record.

    Rows are never edited. The username is copied so the trail survives a deleted account.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        PRINT = "print", "Printed"
        DENIED = "denied", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    patient_mrn = models.CharField("MRN", max_length=20, blank=True)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    object_label = models.CharField("Record", max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        # Created by the clinic app before the log moved here; the table keeps its name.
        db_table = "clinic_accesslog"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"], name="accesslog_patient_at_idx")]

    def __str__(self) -> str:
        return (
            f"{self.username} {self.get_action_display().lower()} {self.patient_mrn} at {self.at}"
        )

    def save(self, *args, **kwargs) -> None:
        # Append-only: a row is written once and never changed.
        if self.pk is not None:
            raise ValidationError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Access log rows cannot be deleted.")
