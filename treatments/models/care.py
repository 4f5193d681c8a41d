"""After the session and around it: adverse events, topical regimens, skin tests."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.display import format_measurement
from patients.models import Patient
from treatments import safety
from treatments.models.fillers import FillerMaterial
from treatments.models.limits import _positive
from treatments.models.session import TreatmentSession


class AdverseEventType(models.TextChoices):
    PIH = "pih", "Hyperpigmentation (PIH)"
    HYPOPIGMENTATION = "hypopigmentation", "Hypopigmentation"
    PROLONGED_ERYTHEMA = "prolonged_erythema", "Prolonged erythema"
    OEDEMA = "oedema", "Oedema"
    CRUSTING = "crusting", "Crusting"
    BACTERIAL_INFECTION = "bacterial_infection", "Infection: bacterial"
    HERPES = "herpes", "Infection: herpes simplex reactivation"
    SCARRING = "scarring", "New or worse scarring"
    BRUISING = "bruising", "Bruising / haematoma"
    NODULE = "nodule", "Filler nodule or granuloma"
    VASCULAR_OCCLUSION = "vascular_occlusion", "Vascular occlusion"
    SKIN_TEST_REACTION = "skin_test_reaction", "Skin-test reaction"
    LOSS_OF_IMPROVEMENT = "loss_of_improvement", "Loss of improvement"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class AdverseEvent(models.Model):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="adverse_events"
    )
    event_type = models.CharField("Event", max_length=30, choices=AdverseEventType.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    onset_on = models.DateField("Onset")
    resolved_on = models.DateField("Resolved", null=True, blank=True)
    duration_days = models.PositiveSmallIntegerField(
        "Duration (days)", null=True, blank=True, help_text="For prolonged erythema, if known."
    )
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["onset_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("onset_on")),
                name="adverse_event_resolved_after_onset",
                violation_error_message="An event cannot resolve before it began.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} ({self.get_severity_display().lower()})"

    def clean(self) -> None:
        if self.onset_on and self.session_id and self.onset_on < self.session.performed_on:
            raise ValidationError({"onset_on": "Onset cannot be before the session."})
        if self.onset_on and self.onset_on > timezone.localdate():
            raise ValidationError({"onset_on": "Onset cannot be in the future."})


class TopicalAgent(models.TextChoices):
    ADAPALENE = "adapalene", "Adapalene"
    TRETINOIN = "tretinoin", "Tretinoin"
    BENZOYL_PEROXIDE = "benzoyl_peroxide", "Benzoyl peroxide"
    SALICYLIC_ACID = "salicylic_acid", "Salicylic acid"
    AZELAIC_ACID = "azelaic_acid", "Azelaic acid"
    ADAPALENE_BPO = "adapalene_bpo", "Adapalene + benzoyl peroxide"
    OTHER = "other", "Other"


class TopicalRegimenQuerySet(models.QuerySet):
    def current_on(self, day: dt.date) -> "TopicalRegimenQuerySet":
        return self.filter(started_on__lte=day).filter(
            Q(stopped_on__isnull=True) | Q(stopped_on__gt=day)
        )


class TopicalRegimen(models.Model):
    """A topical the patient uses at home: patient-level, not part of a session."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="topicals")
    agent = models.CharField(max_length=30, choices=TopicalAgent.choices)
    agent_detail = models.CharField(max_length=100, blank=True, help_text="Product, if relevant.")
    strength_percent = models.DecimalField("Strength (%)", max_digits=5, decimal_places=2)
    frequency = models.CharField(max_length=100, help_text="e.g. nightly; alternate nights")
    started_on = models.DateField()
    stopped_on = models.DateField(null=True, blank=True)
    prescribed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_warning = models.TextField(
        blank=True, editable=False, help_text="A safety warning the prescriber acknowledged."
    )
    history = HistoricalRecords()
    objects = TopicalRegimenQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [
            _positive("strength_percent", 100, "topical_strength_0_to_100"),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=F("started_on")),
                name="topical_stopped_after_started",
                violation_error_message="A regimen cannot stop before it started.",
            ),
        ]

    def __str__(self) -> str:
        strength = format_measurement(self.strength_percent)
        return f"{self.get_agent_display()} {strength} % {self.frequency}"

    def is_current_on(self, day: dt.date) -> bool:
        """The same rule as TopicalRegimenQuerySet.current_on, for rows already loaded."""
        return self.started_on <= day and (self.stopped_on is None or self.stopped_on > day)


class SkinTestResult(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    POSITIVE = "positive", "Positive"
    EQUIVOCAL = "equivocal", "Equivocal"


class SkinTest(models.Model):
    """A pre-treatment skin test (e.g. for PMMA-collagen filler), read weeks after placing it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="skin_tests")
    product = models.CharField(max_length=100)
    material = models.CharField(
        max_length=20, choices=FillerMaterial.choices, default=FillerMaterial.PMMA_COLLAGEN
    )
    tested_on = models.DateField("Test placed on")
    read_on = models.DateField(
        "Result read on", null=True, blank=True, help_text="Leave blank until the test is read."
    )
    result = models.CharField(
        max_length=10, choices=SkinTestResult.choices, blank=True, help_text="Once read."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(read_on__isnull=True) | Q(read_on__gte=F("tested_on")),
                name="skintest_read_after_placed",
                violation_error_message="A skin test is read after it is placed.",
            ),
            models.CheckConstraint(
                condition=Q(read_on__isnull=True, result="")
                | (Q(read_on__isnull=False) & ~Q(result="")),
                name="skintest_result_with_reading",
                violation_error_message="Record the reading date and the result together.",
            ),
        ]

    def __str__(self) -> str:
        if self.read_on is None:
            return f"{self.product} skin test placed {self.tested_on}: awaiting reading"
        return f"{self.product} skin test {self.read_on}: {self.get_result_display().lower()}"

    def clean(self) -> None:
        if (self.read_on is None) != (not self.result):
            field = "result" if self.read_on else "read_on"
            raise ValidationError({field: "Record the reading date and the result together."})

    def fact(self) -> safety.SkinTestFact:
        return safety.SkinTestFact(self.tested_on, self.read_on, self.result or None)
