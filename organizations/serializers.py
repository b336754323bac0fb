from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Contact, Membership, Organization, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "path"]


class MyTenantSerializer(serializers.ModelSerializer):
    """A tenant the user belongs to, from the user's membership."""

    slug = serializers.CharField(source="tenant.slug")
    name = serializers.CharField(source="tenant.name")
    time_zone = serializers.CharField(source="tenant.time_zone")

    class Meta:
        model = Membership
        fields = ["slug", "name", "time_zone", "role"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "position", "phone", "email", "is_focal_point"]


class OrganizationSerializer(serializers.ModelSerializer):
    """Read shape of an organization, with its region and contacts."""

    region = RegionSerializer(read_only=True, allow_null=True)
    contacts = ContactSerializer(many=True, read_only=True)
    is_archived = serializers.BooleanField(read_only=True)
    # Declared: a read-only model field loses allow_blank, and its schema would lose the empty value ("").
    email = serializers.EmailField(read_only=True, allow_blank=True)
    website = serializers.URLField(read_only=True, allow_blank=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "sector",
            "region",
            "address",
            "phone",
            "email",
            "website",
            "notes",
            "contacts",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """Write shape: the region by Kemendagri code; contacts only on create."""

    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    sector = serializers.ChoiceField(choices=Organization.Sector.choices, required=False)
    contacts = ContactSerializer(many=True, required=False)

    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "region", "address", "phone", "email", "website", "notes", "contacts"]
        validators: list = []  # uniqueness is checked below with a translated message

    def validate_name(self, value: str) -> str:
        name = " ".join(value.split())
        duplicates = Organization.objects.filter(name__iexact=name)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(_("An organization with this name already exists."))
        return name

    def validate_contacts(self, value: list[dict]) -> list[dict]:
        if self.instance is not None:
            raise serializers.ValidationError(_("Change contacts through the contacts endpoint."))
        if sum(1 for c in value if c.get("is_focal_point")) > 1:
            raise serializers.ValidationError(_("An organization has only one focal point."))
        return value
