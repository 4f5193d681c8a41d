import datetime as dt
from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone

from patients.forms import CLINICIAN_PERMISSION, assessors
from patients.models import FacialRegion, ScarAssessment
from scheduling.models import Appointment
from treatments import safety
from treatments.modalities import Modality
from treatments.models import (
    LIMITS,
    PROCEDURE_MODEL_BY_MODALITY,
    AdverseEvent,
    CrossProcedure,
    FillerProcedure,
    LaserProcedure,
    Lighting,
    PeelProcedure,
    PhotoView,
    PunchProcedure,
    SkinTest,
    SubcisionProcedure,
    TopicalRegimen,
    TreatmentSession,
)
from treatments.scar_forms import ScarPickMixin
from treatments.services import patient_facts

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _no_future(value, what: str):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return value


class SessionForm(forms.ModelForm):
    class Meta:
        model = TreatmentSession
        fields = [
            "performed_at",
            "clinician",
            "appointment",
            "consent_confirmed",
            "anaesthesia",
            "anaesthesia_agent",
            "photos_taken",
            "antiviral_prophylaxis",
            "aftercare_given",
            "notes",
            "next_session_due",
        ]
        widgets = {
            "performed_at": DATETIME_INPUT,
            "next_session_due": DATE_INPUT,
            "aftercare_given": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, patient, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.fields["performed_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        # Only dermatologists are offered, and accepted, as the treating clinician.
        self.fields["clinician"].queryset = assessors()
        self.fields["clinician"].label_from_instance = lambda u: u.get_full_name() or u.username
        # The patient's visits from a week ago to today, newest first: usually today's.
        today = timezone.localdate()
        self.fields["appointment"].queryset = (
            Appointment.objects.active()
            .filter(
                patient=patient,
                starts_at__date__gte=today - dt.timedelta(days=7),
                starts_at__date__lte=today,
            )
            .order_by("-starts_at")
        )
        self.fields["appointment"].label_from_instance = lambda a: (
            f"{timezone.localtime(a.starts_at):%d %b %Y %H:%M} ({a.get_kind_display()})"
        )
        self.fields["consent_confirmed"].required = True
        self.fields["consent_confirmed"].error_messages["required"] = (
            "Confirm the patient's consent for today's treatment."
        )
        if not self.instance.pk:
            # self.initial, not field.initial: the unsaved instance's empty values are in it.
            self.initial["performed_at"] = timezone.localtime().replace(second=0, microsecond=0)
            if user.has_perm(CLINICIAN_PERMISSION):
                self.initial["clinician"] = user.pk
            todays = [
                a.pk
                for a in self.fields["appointment"].queryset
                if timezone.localtime(a.starts_at).date() == today
            ]
            if len(todays) == 1:
                self.initial["appointment"] = todays[0]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_performed_at(self):
        performed_at = self.cleaned_data["performed_at"]
        if performed_at > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("A session cannot be logged in the future.")
        return performed_at


class ProcedureForm(forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label="Regions treated",
        choices=FacialRegion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "region-choice"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.widget.attrs.setdefault("inputmode", "decimal")
        apply_limits(self)

    def clean_regions(self):
        return list(self.cleaned_data.get("regions") or [])


def apply_limits(form: forms.ModelForm) -> None:
    """Checks the database's physical ranges in the form too, so the message sits by the field
    instead of arriving as a constraint error."""
    for constraint in form._meta.model._meta.constraints:
        limit = LIMITS.get(constraint.name)
        if limit is None or limit.field not in form.fields:
            continue
        if isinstance(form.fields[limit.field], forms.ChoiceField):
            continue  # the choices already are the range
        field = form.fields[limit.field]
        field.validators.append(_range_validator(limit))
        field.widget.attrs.update({"min": limit.low, "max": limit.high})


def _range_validator(limit):
    def validate(value) -> None:
        if value is None:
            return
        too_low = value < limit.low if limit.low_inclusive else value <= limit.low
        if too_low or value > limit.high:
            raise forms.ValidationError(limit.message)

    return validate


BASE_FIELDS = ["regions", "scars_treated", "immediate_endpoint", "notes"]
NOTES = forms.Textarea(attrs={"rows": 2})


class CrossForm(ScarPickMixin, ProcedureForm):
    class Meta:
        model = CrossProcedure
        fields = ["tca_concentration_percent", "applicator", "frost_reached", *BASE_FIELDS]
        widgets = {"notes": NOTES}


class LaserForm(ProcedureForm):
    class Meta:
        model = LaserProcedure
        fields = [
            "device_name",
            "laser_type",
            "wavelength_nm",
            "pulse_energy_mj",
            "fluence_j_cm2",
            "density_percent",
            "spot_size_mm",
            "passes",
            "cooling",
            "test_spot_done",
            *BASE_FIELDS,
        ]
        widgets = {"notes": NOTES}


class PunchForm(ScarPickMixin, ProcedureForm):
    class Meta:
        model = PunchProcedure
        fields = [
            "technique",
            "punch_diameter_mm",
            "closure",
            "suture_material",
            "suture_size",
            "graft_donor_site",
            "suture_removal_due",
            *BASE_FIELDS,
        ]
        widgets = {"notes": NOTES, "suture_removal_due": DATE_INPUT}


class SubcisionForm(ProcedureForm):
    class Meta:
        model = SubcisionProcedure
        fields = ["instrument", "gauge", *BASE_FIELDS]
        widgets = {"notes": NOTES}


class FillerForm(ProcedureForm):
    class Meta:
        model = FillerProcedure
        fields = [
            "product",
            "material",
            "lot_number",
            "expiry_date",
            "volume_ml",
            "reconstitution_ml",
            "device",
            "gauge",
            "depth",
            "technique",
            *BASE_FIELDS,
        ]
        widgets = {"notes": NOTES, "expiry_date": DATE_INPUT}


class PeelForm(ProcedureForm):
    class Meta:
        model = PeelProcedure
        fields = [
            "agent",
            "concentration_percent",
            "coats",
            "contact_time_minutes",
            "frost_level",
            "neutralised",
            *BASE_FIELDS,
        ]
        widgets = {"notes": NOTES}


FORM_BY_MODALITY = {
    Modality.CROSS: CrossForm,
    Modality.SUBCISION: SubcisionForm,
    Modality.PUNCH: PunchForm,
    Modality.LASER: LaserForm,
    Modality.PEEL: PeelForm,
    Modality.FILLER: FillerForm,
}


MAX_PROCEDURES_PER_MODALITY = 10


def procedure_formsets(
    data=None, *, session: TreatmentSession, add: list[str] = (), scars: Sequence = ()
):
    """One formset per modality (prefix = modality). Procedures are never deleted from the app,
    so existing ones are only edited; `add` opens empty forms for the modalities named. CROSS
    and punch forms offer the patient's `scars` (read once) to pick from."""
    formsets = []
    for modality, form_class in FORM_BY_MODALITY.items():
        factory = inlineformset_factory(
            TreatmentSession,
            PROCEDURE_MODEL_BY_MODALITY[modality],
            form=form_class,
            extra=list(add).count(modality.value),
            can_delete=False,
            # A forged TOTAL_FORMS must not make the server build thousands of forms.
            max_num=MAX_PROCEDURES_PER_MODALITY,
            absolute_max=MAX_PROCEDURES_PER_MODALITY,
            validate_max=True,
        )
        kwargs = {"scars": scars} if issubclass(form_class, ScarPickMixin) else {}
        formset = factory(data, instance=session, prefix=modality.value, form_kwargs=kwargs)
        formset.modality = modality
        formsets.append(formset)
    return formsets


class AdverseEventForm(forms.ModelForm):
    class Meta:
        model = AdverseEvent
        fields = ["event_type", "severity", "onset_on", "resolved_on", "duration_days", "notes"]
        widgets = {"onset_on": DATE_INPUT, "resolved_on": DATE_INPUT, "notes": NOTES}

    def __init__(self, *args, session: TreatmentSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.session = session
        self.fields["onset_on"].initial = session.performed_on
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_resolved_on(self):
        return _no_future(self.cleaned_data.get("resolved_on"), "The resolution date")


class TopicalRegimenForm(forms.ModelForm):
    acknowledge = forms.BooleanField(
        label="I have discussed this warning with the patient and start the regimen anyway",
        required=False,
    )

    class Meta:
        model = TopicalRegimen
        fields = ["agent", "agent_detail", "strength_percent", "frequency", "started_on"]
        widgets = {"started_on": DATE_INPUT}

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.patient = patient
        self.fields["started_on"].initial = timezone.localdate()
        apply_limits(self)
        self.warnings: list = []
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        agent = cleaned.get("agent")
        if agent:
            self.warnings = safety.topical_warnings(
                patient=patient_facts(patient=self.patient, on=timezone.localdate()), agent=agent
            )
        if self.warnings and not cleaned.get("acknowledge"):
            self.add_error("acknowledge", " ".join(w.message for w in self.warnings))
        return cleaned


class TopicalStopForm(forms.Form):
    stopped_on = forms.DateField(label="Stopped on", widget=DATE_INPUT)

    def clean_stopped_on(self):
        return _no_future(self.cleaned_data["stopped_on"], "The stop date")


class SkinTestForm(forms.ModelForm):
    class Meta:
        model = SkinTest
        fields = ["product", "material", "tested_on", "read_on", "result"]
        widgets = {"tested_on": DATE_INPUT, "read_on": DATE_INPUT}

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_read_on(self):
        return _no_future(self.cleaned_data.get("read_on"), "The reading date")

    def clean_tested_on(self):
        return _no_future(self.cleaned_data.get("tested_on"), "The placing date")


class SkinTestReadingForm(forms.ModelForm):
    """The reading of a test placed earlier: its date and result, together."""

    class Meta:
        model = SkinTest
        fields = ["read_on", "result"]
        widgets = {"read_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["read_on"].required = True
        self.fields["result"].required = True
        self.fields["read_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_read_on(self):
        return _no_future(self.cleaned_data.get("read_on"), "The reading date")


# ----------------------------------------------------------------------------------------------
# Clinical photos
# ----------------------------------------------------------------------------------------------

STANDARD_VIEWS = [
    PhotoView.FRONTAL,
    PhotoView.LEFT_OBLIQUE,
    PhotoView.RIGHT_OBLIQUE,
    PhotoView.LEFT_LATERAL,
    PhotoView.RIGHT_LATERAL,
    PhotoView.CLOSE_UP,
]


class PhotoVisitForm(forms.Form):
    """What the photos of one upload share: the visit they belong to."""

    taken_on = forms.DateField(
        label="Taken on",
        required=False,
        widget=DATE_INPUT,
        help_text="Leave blank to use the camera's date (or today).",
    )
    session = forms.ModelChoiceField(
        queryset=TreatmentSession.objects.none(), required=False, label="Treatment session"
    )
    assessment = forms.ModelChoiceField(
        queryset=ScarAssessment.objects.none(), required=False, label="Scar assessment"
    )

    def __init__(self, *args, patient, session_pk: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = patient.sessions.current().order_by("-performed_at")
        if session_pk and session_pk.isdigit():
            self.fields["session"].initial = int(session_pk)
        self.fields["session"].label_from_instance = lambda s: f"{s.performed_at:%d %b %Y}"
        self.fields["assessment"].queryset = (
            ScarAssessment.objects.current().filter(patient=patient).order_by("-assessed_on")
        )
        self.fields["assessment"].label_from_instance = lambda a: (
            f"{a.assessed_on:%d %b %Y} (ECCA {a.ecca_score})"
        )

    def clean_taken_on(self):
        return _no_future(self.cleaned_data.get("taken_on"), "The photo date")


class PhotoRowForm(forms.Form):
    file = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"}
        ),
    )
    view = forms.ChoiceField(choices=PhotoView.choices)
    close_up_region = forms.ChoiceField(
        choices=[("", "Region (close-ups)"), *FacialRegion.choices], required=False, label="Region"
    )
    lighting = forms.ChoiceField(choices=Lighting.choices, initial=Lighting.DIFFUSE)
    notes = forms.CharField(max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("file")
            and cleaned.get("view") == PhotoView.CLOSE_UP
            and not cleaned.get("close_up_region")
        ):
            self.add_error("close_up_region", "Choose the region of the close-up.")
        return cleaned


PhotoRowFormSet = forms.formset_factory(
    PhotoRowForm, extra=0, max_num=20, absolute_max=20, validate_max=True
)


def photo_rows(data=None, files=None):
    initial = [{"view": view.value, "lighting": Lighting.DIFFUSE} for view in STANDARD_VIEWS]
    rows = PhotoRowFormSet(data, files, initial=initial, prefix="photo")
    labels = dict(PhotoView.choices)
    for row in rows:
        row.title = labels.get(row["view"].value(), "Photo")
    return rows
