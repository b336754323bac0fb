"""Forms for programs and progress reporting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from partnerships.forms import DATE_WIDGET, RegionCodesField
from partnerships.models import Agreement

from .models import Frequency, Indicator, Milestone, Program, ProgressUpdate
from .spm import SPM_TEMPLATES


class ProgramForm(forms.ModelForm):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.unscoped.none())
    implementers = forms.ModelMultipleChoiceField(
        label=_("Implementing organizations"),
        queryset=Organization.unscoped.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chosen among the agreement's parties."),
    )
    regions = RegionCodesField(label=_("Regions"), required=False)

    class Meta:
        model = Program
        fields = ["agreement", "name", "theme", "description", "starts_on", "ends_on", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.exclude(
            status__in=[Agreement.Status.EXPIRED, Agreement.Status.TERMINATED]
        ).order_by("title")
        # Implementers come from the chosen agreement's parties (the service checks it again).
        agreement_id = self.instance.agreement_id or self.data.get("agreement") or (self.initial or {}).get("agreement")
        parties = Organization.objects.filter(parties__isnull=False)
        if agreement_id and str(agreement_id).isdigit():
            parties = Organization.objects.filter(parties__agreement_id=agreement_id)
        self.fields["implementers"].queryset = parties.distinct().order_by("name")
        if self.instance.pk:
            self.fields["agreement"].disabled = True
            if not self.is_bound:
                self.initial["regions"] = ",".join(r.code for r in self.instance.regions.all())
                self.initial["implementers"] = list(self.instance.implementers.all())

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned

    def _post_clean(self) -> None:
        pass  # the service runs the model's checks


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "code", "name", "definition", "unit", "kind", "baseline", "target", "direction", "cumulative",
            "frequency", "priority", "data_source", "verification",
        ]  # fmt: skip
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program: Program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        if self.instance.pk:
            self.fields["target"].disabled = True
            self.fields["target"].help_text = _("Change the target with a revision, giving a reason.")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Indicator.objects.filter(program=self.program, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another indicator of this program has this code."))
        return code

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Indicator.Kind.PERCENT
            and cleaned.get("target") is not None
            and cleaned["target"] > 100
        ):
            self.add_error("target", _("A percentage target cannot exceed 100."))
        return cleaned

    def validate_unique(self) -> None:
        pass

    def _post_clean(self) -> None:
        pass


class TargetRevisionForm(forms.Form):
    new_target = forms.DecimalField(label=_("New target"), max_digits=14, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SpmForm(forms.Form):
    services = forms.TypedMultipleChoiceField(
        label=_("SPM services"),
        coerce=int,
        choices=[(t.number, f"{t.number}. {t.name}") for t in SPM_TEMPLATES],
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTHLY)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "note"]
        widgets = {"due_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 2})}


class ProgressValuesForm(forms.Form):
    """One indicator's values in the report form (prefix = the indicator's id)."""

    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2, required=False)
    numerator = forms.DecimalField(label=_("Numerator"), max_digits=14, decimal_places=2, required=False)
    denominator = forms.DecimalField(label=_("Denominator"), max_digits=14, decimal_places=2, required=False)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False, help_text=_("Photo, PDF, DOCX or XLSX, at most 10 MB.")
    )

    def __init__(self, *args, indicator: Indicator, update: ProgressUpdate | None, **kwargs) -> None:
        initial = kwargs.pop("initial", None) or {}
        if update is not None:
            initial = {f: getattr(update, f) for f in ("value", "numerator", "denominator", "narrative", "explanation")}
        super().__init__(*args, initial=initial, **kwargs)
        self.indicator = indicator
        self.update = update
        self.editable = update is None or update.status in {ProgressUpdate.Status.DRAFT, ProgressUpdate.Status.RETURNED}
        if indicator.kind == Indicator.Kind.RATIO:
            del self.fields["value"]
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
        if not self.editable:
            for field in self.fields.values():
                field.disabled = True

    @property
    def is_filled(self) -> bool:
        return any(self.cleaned_data.get(f) not in (None, "") for f in ("value", "numerator", "denominator"))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What needs fixing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", _("All themes")), *Program.Theme.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Program.Status.choices]
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in XLSX"))
