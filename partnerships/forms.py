"""Forms for agreements: they validate and normalise; views hand the result to services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, Region

from .models import Agreement, Document, Party
from .services import PartyData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegionCodesField(forms.CharField):
    """Several regions as comma-separated Kemendagri codes (the multi-region picker)."""

    widget = forms.HiddenInput

    def to_python(self, value) -> list[Region]:
        codes = [c.strip() for c in (value or "").split(",") if c.strip()]
        regions = list(Region.objects.filter(code__in=codes))
        unknown = set(codes) - {r.code for r in regions}
        if unknown:
            raise forms.ValidationError(_("Unknown region code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
        return regions

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class AgreementForm(forms.ModelForm):
    regions = RegionCodesField(label=_("Regions covered"), required=False)

    class Meta:
        model = Agreement
        fields = [
            "number", "title", "kind", "partnership_type", "objective", "scope", "financing_summary",
            "reporting_duty", "dispute_settlement", "termination_clause", "signed_on", "starts_on", "ends_on",
        ]  # fmt: skip
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 3}),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "financing_summary": forms.Textarea(attrs={"rows": 2}),
            "reporting_duty": forms.Textarea(attrs={"rows": 2}),
            "dispute_settlement": forms.Textarea(attrs={"rows": 2}),
            "termination_clause": forms.Textarea(attrs={"rows": 2}),
            "signed_on": DATE_WIDGET,
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership_type"].choices = [("", _("Choose a type…")), *Agreement.PartnershipType.choices]
        if self.instance.pk and not self.is_bound:
            self.initial["regions"] = ",".join(r.code for r in self.instance.regions.all())

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if number and Agreement.objects.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another agreement already has this number."))
        return number

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned

    def validate_unique(self) -> None:
        pass  # checked in clean_number with a translated message

    def _post_clean(self) -> None:
        # The model's own full_clean runs in the service; here only the form's checks.
        pass


class PartyForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.unscoped.none())
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role…")), *Party.Role.choices])
    signatory_name = forms.CharField(label=_("Signatory"), max_length=150, required=False)
    signatory_position = forms.CharField(label=_("Position"), max_length=150, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.active().order_by("name")


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        organizations = [
            f.cleaned_data["organization"] for f in self.forms if f.cleaned_data and not self._should_delete_form(f)
        ]
        if len(organizations) != len(set(organizations)):
            raise forms.ValidationError(_("Each organization can be a party only once."))

    def party_data(self) -> list[PartyData]:
        fields = ("organization", "role", "signatory_name", "signatory_position")
        return [
            PartyData(**{name: f.cleaned_data.get(name, "") for name in fields})
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f) and f.cleaned_data.get("organization")
        ]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=0, can_delete=True, min_num=2, validate_min=True
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."))

    def __init__(self, *args, kinds=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in Document.Kind.choices if c[0] in kinds]


class AmendmentForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE_WIDGET)
    summary = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(label=_("New end date"), widget=DATE_WIDGET, required=False)
    title = forms.CharField(label=_("New title"), max_length=255, required=False)
    objective = forms.CharField(label=_("New objective"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    scope = forms.CharField(label=_("New scope"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    financing_summary = forms.CharField(
        label=_("New financing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reporting_duty = forms.CharField(
        label=_("New reporting duty"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    file = forms.FileField(label=_("Signed amendment (optional)"), required=False)

    def __init__(self, *args, agreement: Agreement | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.agreement = agreement

    def clean(self):
        cleaned = super().clean()
        ends = cleaned.get("ends_on")
        if ends and self.agreement and self.agreement.starts_on and ends < self.agreement.starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned

    def new_terms(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in Agreement.AMENDABLE_FIELDS if self.cleaned_data.get(f)}


class ObligationForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.unscoped.none())
    description = forms.CharField(label=_("Obligation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args, agreement: Agreement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = Party.objects.filter(agreement=agreement).select_related("organization")


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    type = forms.ChoiceField(
        label=_("Partnership type"), required=False, choices=[("", _("All types")), *Agreement.PartnershipType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Agreement.Status.choices]
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.unscoped.none(),
        empty_label=_("All organizations"),
    )
    region = forms.CharField(label=_("Region"), required=False, widget=forms.HiddenInput)
    ends_within = forms.TypedChoiceField(
        label=_("Ends within"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any time")), (30, _("30 days")), (90, _("90 days")), (180, _("180 days"))],
    )

    # A select of every partner grows with the tenant (a district has hundreds); past this many
    # the field is hidden — links from an organization's page still filter by it — and the
    # search box matches party names instead.
    ORGANIZATION_SELECT_MAX = 200

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.order_by("name").only("id", "name")
        first = list(field.queryset.values_list("id", "name")[: self.ORGANIZATION_SELECT_MAX + 1])  # one query
        if len(first) > self.ORGANIZATION_SELECT_MAX:
            field.widget = forms.HiddenInput()
        else:
            field.widget.choices = [("", field.empty_label), *first]
