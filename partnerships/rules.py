"""The partnership-type rules: which mix of organizations each type of agreement needs."""

from __future__ import annotations

from collections.abc import Iterable

from organizations.models import Organization

from . import errors
from .models import Agreement

COMMUNITY_SIDE_KINDS = frozenset({Organization.Kind.KOMUNITAS, Organization.Kind.NGO, Organization.Kind.SEKOLAH})


def partnership_type_errors(partnership_type: str, organizations: Iterable[Organization]) -> list[str]:
    """The rule messages the set of party organizations breaks (empty when it is fine)."""
    organizations = list(organizations)
    if len(organizations) < 2:
        return [str(errors.TOO_FEW_PARTIES)]
    providers = [o for o in organizations if o.kind in Organization.PROVIDER_KINDS]
    T = Agreement.PartnershipType
    if partnership_type == T.PROVIDER_PROVIDER and len(providers) < 2:
        return [str(errors.PROVIDER_PROVIDER_RULE)]
    if partnership_type == T.PUBLIC_PRIVATE:
        sectors = {o.sector for o in organizations}
        if not {Organization.Sector.PUBLIC, Organization.Sector.PRIVATE} <= sectors:
            return [str(errors.PUBLIC_PRIVATE_RULE)]
    if partnership_type == T.PROVIDER_COMMUNITY and not (
        providers and any(o.kind in COMMUNITY_SIDE_KINDS for o in organizations)
    ):
        return [str(errors.PROVIDER_COMMUNITY_RULE)]
    if partnership_type == T.PATIENT_PROVIDER and not (
        providers and any(o.kind == Organization.Kind.KELOMPOK_PASIEN for o in organizations)
    ):
        return [str(errors.PATIENT_PROVIDER_RULE)]
    return []
