import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
        return self.filter(is_archived=False)

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
        # (patients migration 0004), so the OR below is a BitmapOr of index scans, not a scan.
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


class Patient(models.Model):
    # The skin and acne history: the dermatologist's to record; front desk never sees its values.
    CLINICAL_FIELDS = (
        "fitzpatrick_type",
        "active_acne",
        "acne_onset_year",
        "previous_treatments",
        "on_isotretinoin",
        "isotretinoin_stopped_on",
        "allergies",
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

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_archived = models.BooleanField("Archived", default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("view_clinical_details", "Can view a patient's clinical details and safety flags"),
            ("archive_patient", "Can archive and restore a patient"),
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
                condition=Q(is_archived=False) | Q(archived_at__isnull=False),
                name="patient_archived_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="patient_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["is_archived", "last_name"], name="patient_archived_name_idx"),
            # The dashboard's "recently updated patients": the newest eight without a sort.
            models.Index(
                fields=["-updated_at"],
                condition=Q(is_archived=False),
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
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

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

    def archive(self, *, by) -> None:
        self.is_archived = True
        self.archived_at = timezone.now()
        self.archived_by = by
        self.updated_by = by
        self.save(update_fields=["is_archived", "archived_at", "archived_by", "updated_by"])

    def unarchive(self, *, by) -> None:
        self.is_archived = False
        self.archived_at = None
        self.archived_by = None
        self.updated_by = by
        self.save(update_fields=["is_archived", "archived_at", "archived_by", "updated_by"])

    def current_consents(self) -> dict[str, "PhotoConsent"]:
        """Consents in force, by use; uses prefetched rows when the caller prefetched them."""
        return {c.use: c for c in self.photo_consents.all() if c.withdrawn_on is None}

    def has_photo_consent(self, use: str) -> bool:
        return use in self.current_consents()


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


CADI_FIELDS = [f"cadi_{n}" for n in range(1, 6)]
DLQI_FIELDS = [f"dlqi_{n}" for n in range(1, 11)]
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


class ScarAssessmentQuerySet(ArchivableQuerySet):
    def for_chart(self, patient: Patient) -> "ScarAssessmentQuerySet":
        return self.current().filter(patient=patient).select_related("assessor")


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
    dlqi_1 = _answer("DLQI 1")
    dlqi_2 = _answer("DLQI 2")
    dlqi_3 = _answer("DLQI 3")
    dlqi_4 = _answer("DLQI 4")
    dlqi_5 = _answer("DLQI 5")
    dlqi_6 = _answer("DLQI 6")
    dlqi_7 = _answer("DLQI 7")
    dlqi_8 = _answer("DLQI 8")
    dlqi_9 = _answer("DLQI 9")
    dlqi_10 = _answer("DLQI 10")
    notes = models.TextField(blank=True)

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
                condition=_each_between(CADI_FIELDS + DLQI_FIELDS, 0, 3),
                name="assessment_answers_0_to_3",
            ),
            models.CheckConstraint(
                condition=_all_or_none(CADI_FIELDS),
                name="assessment_cadi_complete_or_absent",
                violation_error_message="Answer all five CADI questions or none.",
            ),
            models.CheckConstraint(
                condition=_all_or_none(DLQI_FIELDS),
                name="assessment_dlqi_complete_or_absent",
                violation_error_message="Answer all ten DLQI questions or none.",
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

    def dlqi_answers(self) -> list[int] | None:
        answers = [getattr(self, name) for name in DLQI_FIELDS]
        return None if answers[0] is None else answers

    def compute_scores(self, ecca_counts: dict[str, int]) -> dict[str, int | None]:
        """All totals for these answers and the given ECCA counts per scar type."""
        cadi = self.cadi_answers()
        dlqi = self.dlqi_answers()
        return {
            "ecca_score": scoring.ecca_score(ecca_counts),
            "gb_quantitative_score": scoring.goodman_baron_quantitative(
                self.gb_counts(), self.keloid_area_cm2
            ),
            "cadi_score": None if cadi is None else scoring.cadi_score(cadi),
            "dlqi_score": None if dlqi is None else scoring.dlqi_score(dlqi).total,
        }

    def set_scores(self, ecca_counts: dict[str, int]) -> None:
        for name, value in self.compute_scores(ecca_counts).items():
            setattr(self, name, value)
        self.ecca_version = scoring.ECCA_VERSION
        self.gb_version = scoring.GOODMAN_BARON_VERSION

    def stored_ecca_counts(self) -> dict[str, int]:
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
