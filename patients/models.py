import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

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
        matches = Q(mrn__iexact=normalise_mrn(query))
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
        "Fitzpatrick skin type", choices=FitzpatrickType.choices
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
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
                condition=Q(fitzpatrick_type__gte=1, fitzpatrick_type__lte=6),
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
    def fitzpatrick(self) -> FitzpatrickType:
        return FitzpatrickType(self.fitzpatrick_type)

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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

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
