from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from patients.models import Patient, PhotoConsent

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
            "fitzpatrick_type",
            "active_acne",
            "acne_onset_year",
            "previous_treatments",
            "on_isotretinoin",
            "isotretinoin_stopped_on",
            "allergies",
        ]
        widgets = {
            "date_of_birth": DATE_INPUT,
            "isotretinoin_stopped_on": DATE_INPUT,
            "address": forms.Textarea(attrs={"rows": 2}),
            "previous_treatments": forms.Textarea(attrs={"rows": 2}),
            "allergies": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, submit_label: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
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
            ),
            Submit("submit", submit_label, css_class="btn-primary btn-lg"),
        )


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
