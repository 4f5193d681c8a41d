from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from clinic.users import users_with_perm
from patients import scoring
from patients.models import (
    CADI_FIELDS,
    DLQI_FIELDS,
    DLQI_WORK_PROBLEM_FIELD,
    GB_COUNT_FIELDS,
    MAX_COUNT_PER_CELL,
    MAX_KELOID_AREA_CM2,
    FacialRegion,
    Patient,
    PhotoConsent,
    PregnancyStatus,
    ScarAssessment,
)

CLINICIAN_PERMISSION = "patients.act_as_clinician"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex_at_birth",
            "mrn",
            "phone",
            "email",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            # The skin and acne history, in the model's order (hidden from the front desk).
            *Patient.CLINICAL_FIELDS,
        ]
        widgets = {
            "date_of_birth": DATE_INPUT,
            "isotretinoin_stopped_on": DATE_INPUT,
            "pregnancy_status_recorded_on": DATE_INPUT,
            "address": forms.Textarea(attrs={"rows": 2}),
            "previous_treatments": forms.Textarea(attrs={"rows": 2}),
            "allergies": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, submit_label: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        # Front desk registers and updates contact details; the skin and acne history is the
        # dermatologist's, and front desk does not see its values.
        self.shows_clinical = user.has_perm("patients.view_clinical_details")
        if not self.shows_clinical:
            for name in Patient.CLINICAL_FIELDS:
                del self.fields[name]
        else:
            # Not asked yet reads as "neither", as the model's default does.
            self.fields["pregnancy_status"].required = False
        self.fields["date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["date_of_birth"].widget.attrs["min"] = "1900-01-01"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["emergency_contact_phone"].widget.attrs["inputmode"] = "tel"
        if self.instance.pk:
            self.fields["mrn"].help_text = "Medical record number."
            self.fields["mrn"].required = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Identity",
                Row(
                    Column("first_name", css_class="col-md-4"),
                    Column("last_name", css_class="col-md-4"),
                    Column("preferred_name", css_class="col-md-4"),
                ),
                Row(
                    Column("date_of_birth", css_class="col-md-4"),
                    Column("sex_at_birth", css_class="col-md-4"),
                    Column("mrn", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                "Contact",
                Row(Column("phone", css_class="col-md-6"), Column("email", css_class="col-md-6")),
                "address",
                Row(
                    Column("emergency_contact_name", css_class="col-md-6"),
                    Column("emergency_contact_phone", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Skin and acne history",
                Row(
                    Column("fitzpatrick_type", css_class="col-md-6"),
                    Column("acne_onset_year", css_class="col-md-6"),
                ),
                "active_acne",
                "previous_treatments",
                Row(
                    Column("on_isotretinoin", css_class="col-md-6 pt-md-4"),
                    Column("isotretinoin_stopped_on", css_class="col-md-6"),
                ),
                "allergies",
            )
            if self.shows_clinical
            else HTML(
                '<p class="text-secondary">The skin and acne history is recorded by the '
                "dermatologist at the first visit.</p>"
            ),
            Fieldset(
                "Risk factors before procedures",
                Row(
                    Column("pregnancy_status", css_class="col-md-6"),
                    Column("pregnancy_status_recorded_on", css_class="col-md-6"),
                ),
                Row(
                    Column("on_anticoagulant", css_class="col-md-6 pt-md-4"),
                    Column("anticoagulant_agent", css_class="col-md-6"),
                ),
                Row(
                    Column("keloid_history", css_class="col-md-6"),
                    Column("herpes_labialis_history", css_class="col-md-6"),
                ),
            )
            if self.shows_clinical
            else HTML(""),
            Submit("submit", submit_label, css_class="btn-primary btn-lg"),
        )

    def clean_pregnancy_status(self):
        return self.cleaned_data.get("pregnancy_status") or PregnancyStatus.NO


class ConsentGiveForm(forms.ModelForm):
    class Meta:
        model = PhotoConsent
        fields = ["use", "given_on", "notes"]
        widgets = {"given_on": DATE_INPUT}
        labels = {"use": "Consent to photographs for", "given_on": "Consent given on"}

    def __init__(self, *args, patient: Patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.fields["given_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        use = cleaned.get("use")
        patient = self.instance.patient
        # The database rule, checked here for a clear message: one unwithdrawn consent per use.
        in_force = patient.photo_consents.filter(use=use, withdrawn_on__isnull=True)
        if use and in_force.exists():
            self.add_error(
                "use",
                "Consent for this use is already in force. Withdraw it first to record a new one.",
            )
        return cleaned

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("Consent cannot be dated in the future.")
        return given_on


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="Withdrawn on", widget=DATE_INPUT)

    def __init__(self, *args, consent: PhotoConsent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on > timezone.localdate():
            raise forms.ValidationError("A withdrawal cannot be dated in the future.")
        if withdrawn_on < self.consent.given_on:
            given = f"{self.consent.given_on:%d %b %Y}"
            raise forms.ValidationError(
                f"A withdrawal cannot be dated before the consent ({given})."
            )
        return withdrawn_on


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "Name, MRN, date of birth or phone", "type": "search"}
        ),
    )
    archived = forms.BooleanField(label="Include archived", required=False)


# ----------------------------------------------------------------------------------------------
# Scar assessments
# ----------------------------------------------------------------------------------------------

ANSWER_CHOICES = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


def _answer_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=ANSWER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _dlqi_field(label: str, choices) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, empty_value=None, required=False, widget=forms.RadioSelect
    )


def _dlqi_choices(item: int) -> list[tuple[str, str]]:
    """The answers with their meaning and score, as shown next to each item."""
    if item == scoring.DLQI_WORK_ITEM:
        # "No" alone scores 0, or the second part decides; so no score beside it.
        return [
            (scoring.DlqiWorkAnswer.YES.value, "Yes (3)"),
            (scoring.DlqiWorkAnswer.NO.value, "No"),
            (scoring.DlqiWorkAnswer.NOT_RELEVANT.value, "Not relevant (0)"),
        ]
    return [
        (a.value, f"{a.label} ({a.score})")
        for a in scoring.DlqiAnswer
        if a is not scoring.DlqiAnswer.NOT_RELEVANT or item in scoring.DLQI_NOT_RELEVANT_ITEMS
    ]


def _count_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT_PER_CELL,
        error_messages={
            "invalid": "Enter a whole number of scars.",
            "min_value": "A count cannot be negative.",
            "max_value": f"At most {MAX_COUNT_PER_CELL}: check the count.",
        },
        widget=forms.NumberInput(
            attrs={
                "inputmode": "numeric",
                "min": 0,
                "max": MAX_COUNT_PER_CELL,
                "step": 1,
                "placeholder": "0",
            }
        ),
    )


def cell_name(region: str, scar_type: str) -> str:
    return f"cell_{region}__{scar_type}"


@dataclass
class GridRow:
    region: FacialRegion
    cells: list


class ScarAssessmentForm(forms.ModelForm):
    """The visit's assessment: a region x scar-type grid, the qualitative grade, Goodman & Baron
    subtype counts and the patient's CADI / DLQI answers."""

    class Meta:
        model = ScarAssessment
        fields = [
            "assessed_on",
            "assessor",
            "gb_grade",
            *GB_COUNT_FIELDS.values(),
            "keloid_area_cm2",
            *CADI_FIELDS,
            *DLQI_FIELDS,
            DLQI_WORK_PROBLEM_FIELD,
            "notes",
        ]
        widgets = {
            "assessed_on": DATE_INPUT,
            "gb_grade": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, patient: Patient, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        today = timezone.localdate()
        self.fields["assessed_on"].widget.attrs["max"] = today.isoformat()
        if not self.instance.pk:
            self.fields["assessed_on"].initial = today
            if user.has_perm(CLINICIAN_PERMISSION):
                self.fields["assessor"].initial = user.pk
        self.fields["assessor"].queryset = assessors()
        self.fields["assessor"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["gb_grade"].choices = [
            (grade.value, grade.label) for grade in scoring.GoodmanBaronGrade
        ]
        # Zero shows as an empty cell on a new form, so typing a count never means deleting a 0
        # first. When amending, the stored counts (0 included) come from the instance: a mapped
        # subtype's stored 0 is then a typed 0 and is kept (see clean), not refilled from the grid.
        for subtype, name in GB_COUNT_FIELDS.items():
            self.fields[name] = _count_field(subtype.label)
            self.fields[name].initial = getattr(self.instance, name, 0) or None
        self.fields["keloid_area_cm2"].min_value = 0
        self.fields["keloid_area_cm2"].widget.attrs.update(
            {"min": 0, "max": MAX_KELOID_AREA_CM2, "step": "0.1", "inputmode": "decimal"}
        )
        self.fields["keloid_area_cm2"].validators.append(MinValueValidator(0))
        self.fields["keloid_area_cm2"].validators.append(MaxValueValidator(MAX_KELOID_AREA_CM2))
        for number, (name, topic) in enumerate(
            zip(CADI_FIELDS, scoring.CADI_ITEM_TOPICS, strict=True), 1
        ):
            self.fields[name] = _answer_field(f"{number}. {topic}")
        for number, (name, topic) in enumerate(
            zip(DLQI_FIELDS, scoring.DLQI_ITEM_TOPICS, strict=True), 1
        ):
            self.fields[name] = _dlqi_field(f"{number}. {topic}", _dlqi_choices(number))
        self.fields[DLQI_WORK_PROBLEM_FIELD] = _dlqi_field(
            "7. If no: how much of a problem at work or study?",
            [(p.value, f"{p.label} ({p.score})") for p in scoring.DlqiWorkProblem],
        )
        stored = {}
        if self.instance.pk:
            stored = {(c.region, c.scar_type): c.count for c in self.instance.scar_counts.all()}
        for region in FacialRegion:
            for scar_type in scoring.EccaScarType:
                field = _count_field(f"{region.label}, {scar_type.label}")
                field.initial = stored.get((region.value, scar_type.value)) or None
                self.fields[cell_name(region.value, scar_type.value)] = field

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError("The assessment date cannot be in the future.")
        return assessed_on

    def clean(self):
        cleaned = super().clean()
        # The DLQI has its own rule for missing answers (scoring.dlqi_from_answers); CADI does not.
        for scale, names, count in (("CADI", CADI_FIELDS, 5),):
            answered = [cleaned.get(name) is not None for name in names]
            if any(answered) and not all(answered):
                missing = ", ".join(str(i) for i, done in enumerate(answered, 1) if not done)
                self.add_error(
                    None,
                    f"{scale}: answer all {count} questions or none (unanswered: {missing}).",
                )
                # The form error says it all; spare the model the same complaint in its words.
                for name in names:
                    cleaned[name] = None
        # Item 7's second part is asked only after "no": "yes" scores 3 whatever it says.
        if cleaned.get(f"dlqi_{scoring.DLQI_WORK_ITEM}") == scoring.DlqiWorkAnswer.YES:
            cleaned[DLQI_WORK_PROBLEM_FIELD] = None
        # Counts entered once: a mapped subtype left empty takes the grid's count (a typed
        # number, 0 included, is the dermatologist's and is kept).
        implied = scoring.gb_counts_from_ecca(self.ecca_totals())
        for subtype, name in GB_COUNT_FIELDS.items():
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = implied.get(subtype, 0)
        return cleaned

    def ecca_totals(self) -> dict[scoring.EccaScarType, int]:
        return _type_totals(self.grid())

    def grid(self) -> dict[tuple[str, str], int]:
        return {
            (region.value, scar_type.value): self.cleaned_data.get(
                cell_name(region.value, scar_type.value)
            )
            or 0
            for region in FacialRegion
            for scar_type in scoring.EccaScarType
        }

    # Structures for the template, which lays the fields out as tables.
    def grid_rows(self) -> list[GridRow]:
        return [
            GridRow(
                region,
                [self[cell_name(region.value, t.value)] for t in scoring.EccaScarType],
            )
            for region in FacialRegion
        ]

    def grid_has_errors(self) -> bool:
        return any(name.startswith("cell_") for name in self.errors)

    def gb_rows(self):
        """(subtype, field, ECCA type it is filled from or None) for the template."""
        source = {subtype: t for t, subtype in scoring.GB_SUBTYPE_FROM_ECCA.items()}
        return [(s, self[name], source.get(s)) for s, name in GB_COUNT_FIELDS.items()]

    def cadi_rows(self):
        return [self[name] for name in CADI_FIELDS]

    def dlqi_rows(self):
        """(item number, field) for each item; the template lays item 7 out in two parts."""
        return [(number, self[name]) for number, name in enumerate(DLQI_FIELDS, 1)]

    def dlqi_work_fields(self):
        return self[f"dlqi_{scoring.DLQI_WORK_ITEM}"], self[DLQI_WORK_PROBLEM_FIELD]


def _type_totals(grid) -> dict[scoring.EccaScarType, int]:
    totals = dict.fromkeys(scoring.EccaScarType, 0)
    for (_region, scar_type), count in grid.items():
        totals[scoring.EccaScarType(scar_type)] += count or 0
    return totals


def assessors():
    """Users who may be recorded as the assessor or the treating clinician: the dermatologist
    role's own permission, so a clinic admin who is not also a dermatologist is not offered."""
    return users_with_perm(CLINICIAN_PERMISSION)
