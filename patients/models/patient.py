import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.dates import age_on
from clinic.models import Attributed
from patients.flags import RiskFactors
from patients.identifiers import (
    MRN_PATTERN,
    new_mrn,
    normalise_mrn,
    phone_digits,
    whole_generated_mrn,
)

if TYPE_CHECKING:
    from patients.models.consent import PhotoConsent

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
            matches |= Q(phone_digits__contains=digits)
            # A whole generated MRN, its check digit right, means that patient: the exact path
            # (hyphen optional). Looking for it inside every other MRN read thousands of trigram
            # index entries at 100,000 patients, since MRNs' digits share so many trigrams, to
            # find at most an imported MRN that happens to contain it. A fragment is still
            # looked for within MRNs.
            if whole := whole_generated_mrn(query):
                matches |= Q(mrn=whole)
            else:
                matches |= Q(mrn__contains=query)
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


class Patient(ArchiveState, Attributed):
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

    created_by = models.ForeignKey(
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

    def risk_factors(self) -> RiskFactors:
        """The answers the chart's flags and the session safety rules both read."""
        return RiskFactors(
            fitzpatrick_type=self.fitzpatrick_type,
            active_acne=self.active_acne,
            on_isotretinoin=self.on_isotretinoin,
            isotretinoin_stopped_on=self.isotretinoin_stopped_on,
            pregnancy_status=self.pregnancy_status,
            on_anticoagulant=self.on_anticoagulant,
            anticoagulant_agent=self.anticoagulant_agent,
            keloid_history=self.keloid_history,
            herpes_labialis_history=self.herpes_labialis_history,
        )

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
