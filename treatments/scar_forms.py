"""Forms of the scar register, and the scar picker of the CROSS and punch procedure forms."""

from collections.abc import Sequence

from django import forms
from django.utils import timezone

from patients.models import FacialRegion
from treatments import facemap
from treatments.models import Scar, ScarStatus, ScarType
from treatments.models.scars import MAX_WIDTH_MM

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
POSITION = {"min": 0, "max": 1, "step": "0.001", "inputmode": "decimal"}


class ScarForm(forms.ModelForm):
    class Meta:
        model = Scar
        fields = ["scar_type", "width_mm", "depth", "view", "x", "y", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "x": forms.NumberInput(attrs=POSITION),
            "y": forms.NumberInput(attrs=POSITION),
            "width_mm": forms.NumberInput(
                attrs={"min": 0.1, "max": MAX_WIDTH_MM, "step": "0.1", "inputmode": "decimal"}
            ),
        }

    def clean_width_mm(self):
        width = self.cleaned_data.get("width_mm")
        if width is not None and not 0 < width <= MAX_WIDTH_MM:
            raise forms.ValidationError(f"Enter a width above 0, up to {MAX_WIDTH_MM} mm.")
        return width

    def _check_position(self, cleaned: dict) -> None:
        for name in ("x", "y"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, "Enter a position from 0 to 1 (a fraction of the diagram).")


class ScarPlaceForm(ScarForm):
    """A tap fills view, x and y; without a script (or by keyboard) give the view and either
    x and y or a region, and the scar is put in a free spot of that region."""

    place_region = forms.ChoiceField(
        label="Or place in region",
        choices=[("", "(use x and y)"), *FacialRegion.choices[:-1]],
        required=False,
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.patient = patient
        self.fields["x"].required = self.fields["y"].required = False
        self.fields["scar_type"].initial = ScarType.ICE_PICK
        self.fields["width_mm"].help_text = "Ice pick < 2, boxcar 1.5-4, rolling > 4 mm."
        self.fields["x"].help_text = self.fields["y"].help_text = "0 to 1"

    def clean(self):
        cleaned = super().clean()
        self._check_position(cleaned)
        view, region = cleaned.get("view"), cleaned.get("place_region")
        has_xy = cleaned.get("x") is not None and cleaned.get("y") is not None
        if view and not has_xy and "x" not in self.errors and "y" not in self.errors:
            if not region:
                raise forms.ValidationError(
                    "Tap the diagram where the scar is, or choose its region (or give x and y)."
                )
            placed = Scar.objects.filter(
                patient=self.instance.patient, view=view, region=region
            ).count()
            try:
                cleaned["x"], cleaned["y"] = facemap.region_point(view, region, nth=placed)
            except ValueError as exc:
                self.add_error("place_region", str(exc))
        return cleaned


class ScarEditForm(ScarForm):
    def clean(self):
        cleaned = super().clean()
        self._check_position(cleaned)
        return cleaned


class ScarStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ScarStatus.choices, widget=forms.RadioSelect)
    recorded_on = forms.DateField(label="Recorded on", widget=DATE_INPUT)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()

    def clean_recorded_on(self):
        day = self.cleaned_data["recorded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A status cannot be recorded in the future.")
        return day


class ScarPickMixin:
    """For CROSS and punch: pick the scars treated on the map (or tick them in the list), or
    all active ice pick scars of a region; the scar count then follows the selection. The
    patient's scars are read once per page and passed in as `scars`."""

    def __init__(self, *args, scars: Sequence[Scar] = (), **kwargs):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.picked_scars: list[Scar] | None = None
        self.scar_options = {scar.pk: scar for scar in scars if scar.archived_at is None}
        if not self.scar_options:
            return
        fields = self.fields  # type: ignore[attr-defined]
        fields["scars"] = forms.MultipleChoiceField(
            label="Scars treated (from the register)",
            choices=[(pk, _scar_label(s)) for pk, s in self.scar_options.items()],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Tap scars on the map or tick them here; the number of scars follows.",
        )
        fields["pick_region"] = forms.ChoiceField(
            label="Also pick all active ice pick scars in",
            choices=[("", "(no region)"), *FacialRegion.choices[:-1]],
            required=False,
        )
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk:
            linked = [link.scar_id for link in instance.scar_links.all()]
            fields["scars"].initial = [str(pk) for pk in linked]

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        if not self.scar_options:
            return cleaned
        picked = {int(pk): self.scar_options[int(pk)] for pk in cleaned.get("scars") or []}
        region = cleaned.get("pick_region")
        if region:
            picked |= {
                scar.pk: scar
                for scar in self.scar_options.values()
                if scar.region == region
                and scar.scar_type == ScarType.ICE_PICK
                and scar.status == ScarStatus.ACTIVE
            }
        had_links = bool(self.fields["scars"].initial)  # type: ignore[attr-defined]
        if picked or had_links:
            self.picked_scars = sorted(picked.values(), key=lambda s: s.number)
        if picked:
            cleaned["scars_treated"] = len(picked)
        return cleaned

    def scar_views(self):
        """The diagram for picking, with the scars ticked in this form marked."""
        from treatments.scar_map import face_map

        field = self["scars"]  # type: ignore[index]
        picked = {int(v) for v in (field.value() or []) if str(v).isdigit()}
        return face_map(self.scar_options.values(), picked=sorted(picked))


def _scar_label(scar: Scar) -> str:
    return (
        f"{scar.number}: {scar.get_scar_type_display().lower()}, {scar.get_region_display()}, "
        f"{scar.get_status_display().lower()}"
    )
