"""The one place that decides what each role may do.

Rules take the acting :class:`~organizations.models.Membership` (user + tenant + role +
organization) and optionally the object. Views, the API and templates all ask
:func:`can`; nothing else compares roles.

Later issues add their permissions to ``RULES`` (agreement.*, program.*, fund.*, ...).
"""

from __future__ import annotations

import rules

from .models import Membership, Role


@rules.predicate
def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.ADMIN


@rules.predicate
def is_manager(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.MANAGER


@rules.predicate
def is_coordinator(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.COORDINATOR


@rules.predicate
def is_viewer(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.VIEWER


@rules.predicate
def is_party_to_agreement(membership: Membership | None, agreement) -> bool:
    """The coordinator's organization is a party to ``agreement`` (any object with
    ``parties``; prefetch them to avoid a query). Without an object: list level, where the
    queryset already narrows to the coordinator's agreements."""
    if agreement is None:
        return True
    organization_id = getattr(membership, "organization_id", None)
    return organization_id is not None and any(p.organization_id == organization_id for p in agreement.parties.all())


@rules.predicate
def is_own_organization(membership: Membership | None, obj) -> bool:
    """``obj`` (anything with ``organization_id``) belongs to the coordinator's organization.
    Without an object: list level, where the queryset already narrows."""
    if obj is None:
        return True
    organization_id = getattr(membership, "organization_id", None)
    return organization_id is not None and getattr(obj, "organization_id", None) == organization_id


is_member = is_admin | is_manager | is_coordinator | is_viewer
is_staff_editor = is_admin | is_manager  # Dinas Kesehatan staff who change records


RULES: dict[str, rules.Predicate] = {
    # tenant and people
    "tenant.view": is_member,
    "tenant.settings": is_admin,
    "membership.view": is_admin,
    "membership.manage": is_admin,
    "audit.view": is_admin,
    # partner organizations
    "organization.view": is_member,
    "organization.add": is_staff_editor,
    "organization.change": is_staff_editor,
    "organization.archive": is_staff_editor,
    "organization.import": is_staff_editor,
    "organization.history": is_staff_editor | is_viewer,
    # partnership agreements
    "agreement.view": is_admin | is_manager | is_viewer | (is_coordinator & is_party_to_agreement),
    "agreement.add": is_staff_editor,
    "agreement.change": is_staff_editor,
    "agreement.transition": is_staff_editor,
    "agreement.amend": is_staff_editor,
    "agreement.renew": is_staff_editor,
    "agreement.obligations": is_staff_editor,
    # coordinators of a party add minutes and evidence; staff add every kind
    "agreement.document_upload": is_staff_editor | (is_coordinator & is_party_to_agreement),
    "agreement.document_delete": is_staff_editor,
    # programs and progress reporting (coordinators: querysets narrow to their organization)
    "program.view": is_member,
    "program.add": is_staff_editor,
    "program.change": is_staff_editor,
    "progress.view": is_member,
    "progress.edit": is_staff_editor | (is_coordinator & is_own_organization),
    "progress.review": is_staff_editor,
    "period.reopen": is_staff_editor,
    # shared funds (coordinators: querysets narrow to their organization's agreements)
    "fund.view": is_member,
    "fund.change": is_staff_editor,
    "fund.receipt": is_staff_editor,
    "fund.request": is_staff_editor | is_coordinator,
    "fund.approve": is_staff_editor,
    "fund.pay": is_staff_editor,
    "fund.reverse": is_admin,
    # health reviews are the health office's own assessment: staff and viewers read them;
    # coordinators answer the partner survey instead
    "dashboard.view": is_admin | is_manager | is_viewer,
    "report.download": is_admin | is_manager | is_viewer,
    "review.view": is_admin | is_manager | is_viewer,
    "review.run": is_staff_editor,
    "review.confirm": is_staff_editor,
    "review.weights": is_admin,
    "survey.manage": is_staff_editor,
    "survey.view": is_admin | is_manager | is_viewer | is_coordinator,
    "survey.answer": is_coordinator,
}

ruleset = rules.RuleSet()
for _name, _predicate in RULES.items():
    ruleset.add_rule(_name, _predicate)


def can(membership: Membership | None, permission: str, obj: object | None = None) -> bool:
    """Whether ``membership`` may do ``permission`` (optionally on ``obj``)."""
    if permission not in RULES:
        raise KeyError(f"Unknown permission {permission!r}; add it to organizations.permissions.RULES")
    return ruleset.test_rule(permission, membership, obj)


def roles_allowed(permission: str) -> list[str]:
    """Which roles hold ``permission`` (object-independent part), for docs and the role matrix test."""
    return [role for role in Role.values if can(Membership(role=role), permission)]
