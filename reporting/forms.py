from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement

from .method import DEFAULT_WEIGHTS, WEIGHT_BOUNDS
from .models import Band
from .templatetags.health import DIMENSIONS


class OverviewFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    band = forms.ChoiceField(required=False, choices=[("", _("All bands")), *Band.choices])
    type = forms.ChoiceField(required=False, choices=[("", _("All types")), *Agreement.PartnershipType.choices])
    region = forms.CharField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("score", _("Lowest score first")),
            ("-score", _("Highest score first")),
            ("title", _("Title")),
            ("date", _("Latest review first")),
        ],
    )


class ConfirmForm(forms.Form):
    band = forms.ChoiceField(
        label=_("Band"),
        required=False,
        choices=[("", _("As computed")), *[(b, label) for b, label in Band.choices if b != Band.EARLY]],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you change the band. Record here the conclusions of the joint review meeting."),
    )


class WeightsForm(forms.Form):
    def __init__(self, *args, current: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, name in DIMENSIONS.items():
            self.fields[code] = forms.DecimalField(
                label=f"{code} · {name}",
                min_value=WEIGHT_BOUNDS[code][0],
                max_value=WEIGHT_BOUNDS[code][1],
                decimal_places=1,
                initial=current.get(code, DEFAULT_WEIGHTS[code]),
                help_text=_("Default %(weight)s; between %(low)s and %(high)s.")
                % {"weight": DEFAULT_WEIGHTS[code], "low": WEIGHT_BOUNDS[code][0], "high": WEIGHT_BOUNDS[code][1]},
            )
