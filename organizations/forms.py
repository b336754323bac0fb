"""Forms validate and normalise; the views hand ``cleaned_data`` to a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contact, Organization, Region, Role


class RegionField(forms.ModelChoiceField):
    """A region chosen by its Kemendagri code through the htmx picker (``includes/_region_picker.html``)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class OrganizationForm(forms.ModelForm):
    region = RegionField(label=_("Region"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "region", "address", "phone", "email", "website", "notes"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, tenant=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        if self.instance.region_id and not self.is_bound:
            self.initial["region"] = self.instance.region.code  # the picker works with codes
        self.fields["kind"].choices = [("", _("Choose a kind…")), *Organization.Kind.choices]
        self.fields["sector"].required = False
        self.fields["sector"].choices = [("", _("Automatic (from the kind)")), *Organization.Sector.choices]
        self.fields["sector"].help_text = _("Left empty, the usual sector of the kind is used.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        duplicates = Organization.objects.filter(name__iexact=name)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("An organization with this name already exists."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not all(c.isdigit() or c in "+-() " for c in phone):
            raise forms.ValidationError(_("Enter a phone number using digits, spaces, + and -."))
        return phone

    def validate_unique(self) -> None:
        # Uniqueness is checked in clean_name with a translated message; the service checks again.
        pass


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "phone", "email", "is_focal_point"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(_("Give a phone number or an email address so the contact can be reached."))
        return cleaned

    def validate_unique(self) -> None:
        pass  # the service moves the focal point; no unique error here


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organization.Kind.choices]
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Organization.Sector.choices]
    )
    region = forms.CharField(label=_("Region"), required=False, widget=forms.HiddenInput)
    archived = forms.BooleanField(label=_("Show archived"), required=False)


class _RoleOrganizationMixin:
    def _setup_organization(self) -> None:
        from .selectors import organization_choices

        self.fields["organization"].queryset = organization_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.COORDINATOR and not cleaned.get("organization"):
            self.add_error("organization", _("A partner coordinator must be linked to an organization."))
        return cleaned


class InvitationForm(_RoleOrganizationMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.unscoped.none(),
        required=False,
        help_text=_("Required for partner coordinators."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_organization()


class MembershipForm(_RoleOrganizationMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.unscoped.none(), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._setup_organization()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from .models import User

        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1, user=User(email=self.email, full_name=cleaned.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80, help_text=_("For example: Power BI Dinkes"))
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))],
        initial=90,
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class AuditFilterForm(forms.Form):
    source = forms.ChoiceField(label=_("Records"), required=False)
    user = forms.TypedChoiceField(label=_("Changed by"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, tenant, **kwargs) -> None:
        from .audit import SOURCES
        from .models import Membership

        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(key, source.label) for key, source in SOURCES.items()]
        people = Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__email")
        self.fields["user"].choices = [("", _("Anyone")), *((m.user_id, m.user.display_name) for m in people)]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
