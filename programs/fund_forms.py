"""Forms for shared funds. Amounts are typed the Indonesian way (``1.500.000`` or ``Rp1.500.000``)
and become whole-rupiah ``Decimal``s; the services check the rules again."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from partnerships.forms import DATE_WIDGET
from partnerships.models import Agreement

from .models import Channel, Program

RUPIAH_INPUT = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,0+)?$", re.IGNORECASE)
FILE_HELP = _("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB.")


class RupiahField(forms.CharField):
    """Whole rupiah: accepts ``1500000``, ``1.500.000`` and ``Rp1.500.000``; refuses cents,
    negatives and words."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-rupiah": ""})
    default_error_messages = {
        "invalid": _("Enter a whole number of rupiah, for example 1.500.000."),
        "min_value": _("The amount must be more than zero."),
    }

    def to_python(self, value):
        value = super().to_python(value).strip().replace(" ", "")
        if value in self.empty_values:
            return None
        match = RUPIAH_INPUT.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = Decimal(match.group(1).replace(".", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits digits only
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount <= 0:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if len(match.group(1).replace(".", "")) > 18:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.0f}".replace(",", ".")
        return value


class FundForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=Agreement.unscoped.none())
    name = forms.CharField(label=_("Name"), max_length=200)
    programs = forms.ModelMultipleChoiceField(
        label=_("Only for these programs"),
        queryset=Program.unscoped.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to let every program of the agreement request money."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.exclude(
            status__in=[Agreement.Status.EXPIRED, Agreement.Status.TERMINATED]
        ).order_by("title")
        agreement_id = self.data.get("agreement") or (self.initial or {}).get("agreement")
        programs = Program.objects.select_related("agreement").order_by("name")
        if agreement_id and str(agreement_id).isdigit():
            programs = programs.filter(agreement_id=agreement_id)
        self.fields["programs"].queryset = programs


class PledgeForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Contributing party"), queryset=Organization.unscoped.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    amount = RupiahField(label=_("Pledged amount (Rp)"), help_text=_("For in-kind contributions: the valuation."))
    in_kind_description = forms.CharField(
        label=_("In-kind description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for in-kind (natura): what is given and how it was valued."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, fund, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.filter(parties__agreement_id=fund.agreement_id).distinct().order_by("name")
        )


class InstallmentForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)
    amount = RupiahField(label=_("Amount (Rp)"))


class BaseInstallmentFormSet(forms.BaseFormSet):
    def rows(self) -> list[tuple]:
        return [
            (f.cleaned_data["due_on"], f.cleaned_data["amount"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


InstallmentFormSet = forms.formset_factory(InstallmentForm, formset=BaseInstallmentFormSet, extra=4, max_num=12)


class ReceiptForm(forms.Form):
    amount = RupiahField(label=_("Amount received (Rp)"))
    occurred_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=_("Reference"), max_length=100, required=False, help_text=_("Transfer or BKU number, BAST number.")
    )
    extra_contribution = forms.BooleanField(
        label=_("Record as an extra contribution"),
        required=False,
        help_text=_("Only when the party gives more than it pledged."),
    )
    evidence = forms.FileField(label=_("Evidence"), required=False, help_text=FILE_HELP)


class DisbursementForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.unscoped.none())
    amount = RupiahField(label=_("Amount (Rp)"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    planned_on = forms.DateField(label=_("Planned date"), widget=DATE_WIDGET)
    evidence = forms.FileField(
        label=_("Supporting document"),
        required=False,
        help_text=format_lazy("{} {}", _("Budget plan (RAB) or quotation."), FILE_HELP),
    )

    def __init__(self, *args, programs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class FundReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)


class FundFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
