"""Tenant isolation across every route.

Every URL pattern must be classified as tenant / public / staff; an unclassified route fails
the test, so routes added by later issues are covered automatically. Each tenant route is
called by tenant B's admin — with tenant A's slug, and with B's own slug but A's ids — over
the session and with an API token, for every method; the answer must be 404 (or 405 for a
method the route does not have) and A's rows must be unchanged.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organizations.models import ApiToken, Contact, ImportJob, Invitation, Membership, Notification, Organization
from organizations.tenancy import scopes_disabled, tenant_scope
from partnerships import services as agreement_services
from partnerships.documents import document_upload
from partnerships.models import Agreement, AgreementEvent, Amendment, Document, Obligation, Party
from partnerships.services import PartyData
from programs import fund_services
from programs import services as program_services
from programs.models import (
    Disbursement,
    Evidence,
    Fund,
    FundEvidence,
    Indicator,
    LedgerEntry,
    Milestone,
    PeriodReopening,
    Pledge,
    Program,
    ProgressUpdate,
    ReportingPeriod,
)
from reporting.models import ExportJob, HealthReview, ReviewRun, SurveyResponse, SurveyRound

from .factories import ContactFactory, OrganizationFactory

# Routes outside any tenant, reachable anonymously or by any signed-in user.
PUBLIC_ROUTES = {
    "root",
    "healthz",
    "tenant_chooser",
    "profile",
    "token_revoke",
    "invitation_accept",
    "survey_public",
    "set_language",
    "api-schema",
    "api-docs",
    "api-redoc",
    "api-my-tenants",
    "api-regions",
}
PUBLIC_PREFIXES = ("akun/",)  # django-allauth's sign-in, sign-out, password reset pages
STAFF_PREFIXES = ("admin/",)

METHODS = ["get", "post", "put", "patch", "delete"]


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")


def _walk(patterns, prefix: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes += _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern) and _params(pattern))
            routes.append(Route(pattern=pattern, name=entry.name, params=params))
    return routes


def _params(pattern: str) -> list[str]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern) + re.findall(r"\(\?P<(\w+)>", pattern)
    return sorted(set(names))


def all_routes() -> list[Route]:
    return _walk(get_resolver().url_patterns)


def classify(route: Route) -> str | None:
    if "tenant_slug" in route.params:
        return "tenant"
    if route.name in PUBLIC_ROUTES or route.pattern.startswith(PUBLIC_PREFIXES):
        return "public"
    if route.pattern.startswith(STAFF_PREFIXES):
        return "staff"
    return None


def test_every_route_is_classified():
    unclassified = [r.pattern for r in all_routes() if classify(r) is None]
    assert unclassified == [], f"Classify these routes in tests/test_isolation.py: {unclassified}"


def test_tenant_routes_are_enumerated():
    names = {r.name for r in all_routes() if classify(r) == "tenant"}
    # A sample that must be present; the enumeration itself covers everything else.
    assert {
        "organization_list",
        "organization_detail",
        "organization-list",
        "organization-detail",
        "member_edit",
    } <= names


# --- filling route parameters with tenant A's objects ---------------------------------------


def _a_objects(world) -> dict[str, int]:
    with tenant_scope(world.tenant_a):
        organization = world.partner_a
        contact = ContactFactory(tenant=world.tenant_a, organization=organization, name="Narahubung A")
        job = ImportJob.objects.create(tenant=world.tenant_a, created_by=world.admin.user, file_name="a.csv")
        invitation = Invitation.objects.create(tenant=world.tenant_a, email="baru@serang.test", role="viewer")
        puskesmas = OrganizationFactory(tenant=world.tenant_a, name="Puskesmas A", kind="puskesmas")
        agreement = agreement_services.agreement_create(
            tenant=world.tenant_a,
            actor=world.manager.user,
            parties=[
                PartyData(organization=puskesmas, role="lead"),
                PartyData(organization=organization, role="implementer"),
            ],
            title="Skrining TBC A",
            partnership_type="provider_community",
        )
        document = document_upload(
            agreement=agreement, actor=None, kind="signed", title="PKS", name="a.pdf", content=b"%PDF-1.4 a"
        )
        obligation = agreement_services.obligation_create(party=agreement.parties.first(), actor=None, description="A")
        amendment = Amendment.objects.create(
            tenant=world.tenant_a,
            agreement=agreement,
            number=1,
            signed_on="2026-01-01",
            effective_on="2026-01-01",
            summary="A",
        )
        program = program_services.program_create(
            tenant=world.tenant_a, agreement=agreement, actor=None, implementers=[organization], name="Program A",
            theme="tbc", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
        )  # fmt: skip
        indicator = program_services.indicator_create(
            program=program, actor=None, code="A-1", name="A", target=Decimal(10)
        )
        period = ReportingPeriod.objects.filter(program=program).first()
        update = ProgressUpdate.objects.create(
            tenant=world.tenant_a, indicator=indicator, period=period, organization=organization, value=1
        )
        milestone = program_services.milestone_create(
            program=program, actor=None, title="A", due_on=datetime.date(2026, 6, 1)
        )
        fund = fund_services.fund_create(tenant=world.tenant_a, agreement=agreement, actor=None, name="Dana A")
        pledge = fund_services.pledge_create(
            fund=fund, organization=organization, actor=None, channel="blud", amount=Decimal(100)
        )
        ledger_entry = fund_services.receipt_record(
            pledge=pledge, actor=None, amount=Decimal(60), evidence=[("bukti.pdf", b"%PDF-1.4 a")]
        )
        fund_evidence = ledger_entry.evidence.get()
        disbursement = fund_services.disbursement_request(
            fund=fund,
            program=program,
            actor=None,
            amount=Decimal(10),
            purpose="A",
            planned_on=datetime.date(2026, 6, 1),
        )
        evidence = program_services.evidence_upload(
            program=program, actor=None, update=update, name="a.pdf", content=b"%PDF-1.4 a"
        )
        health_review = HealthReview.objects.create(
            tenant=world.tenant_a, agreement=agreement, period="2026-05", review_date=datetime.date(2026, 5, 31),
            method_version="phr-v1", input_hash="0" * 64, score=Decimal("61.5"), band="watch", computed_band="watch",
            confidence=Decimal("0.80"), computed_at=datetime.datetime(2026, 5, 31, tzinfo=datetime.UTC),
        )  # fmt: skip
        review_run = ReviewRun.objects.create(tenant=world.tenant_a, period="2026-05")
        export_job = ExportJob.objects.create(
            tenant=world.tenant_a, user=world.outsider.user, name="organisasi", fmt="csv"
        )
        survey_round = SurveyRound.objects.create(
            tenant=world.tenant_a, agreement=agreement, opens_on=datetime.date(2026, 5, 1),
            closes_on=datetime.date(2099, 5, 21),
        )  # fmt: skip
        notification = Notification.objects.create(
            tenant=world.tenant_a, user=world.manager.user, kind="agreement_ending", key="a", params={}, link="/"
        )
    return {
        "organization": organization.pk,
        "contact": contact.pk,
        "import": job.pk,
        "membership": world.viewer.membership.pk,
        "invitation": invitation.pk,
        "agreement": agreement.pk,
        "document": document.pk,
        "obligation": obligation.pk,
        "amendment": amendment.pk,
        "notification": notification.pk,
        "program": program.pk,
        "indicator": indicator.pk,
        "period": period.pk,
        "update": update.pk,
        "milestone": milestone.pk,
        "evidence": evidence.pk,
        "fund": fund.pk,
        "pledge": pledge.pk,
        "ledger_entry": ledger_entry.pk,
        "disbursement": disbursement.pk,
        "fund_evidence": fund_evidence.pk,
        "health_review": health_review.pk,
        "run": review_run.pk,
        "export_job": export_job.pk,
        "survey_round": survey_round.pk,
    }


# What ``<pk>`` means, by the route name's prefix (first match wins).
PK_KINDS = [
    ("organization_import", "import"),
    ("member_", "membership"),
    ("invitation_", "invitation"),
    ("organization-contact", "contact"),
    ("agreement-obligation", "obligation"),
    ("agreement-amendment", "amendment"),
    ("agreement-document", "document"),
    ("notification_", "notification"),
    ("health_review", "health_review"),
    ("survey_", "agreement"),
    ("health-review", "health_review"),
    ("review-run", "run"),
    ("survey-round", "survey_round"),
    ("progress-update", "update"),
    ("fund-pledge", "pledge"),
    ("fund-disbursement", "disbursement"),
    ("fund-ledger-entry", "ledger_entry"),
    ("fund", "fund"),
    ("pledge_", "fund"),
    ("receipt_", "fund"),
    ("disbursement_", "fund"),
    ("ledger_reverse", "fund"),
    ("program_", "program"),
    ("indicator_", "program"),
    ("milestone_", "program"),
    ("report_", "program"),
    ("evidence_", "program"),
    ("period_reopen", "program"),
    ("program", "program"),
    ("indicator", "indicator"),
    ("period", "period"),
    ("milestone", "milestone"),
    ("agreement", "agreement"),
    ("document_", "agreement"),
    ("amendment_", "agreement"),
    ("obligation_", "agreement"),
    ("organization", "organization"),
    ("contact_", "organization"),
]


def _pk_kind(route: Route) -> str:
    name = route.name or ""
    for prefix, kind in PK_KINDS:
        if name.startswith(prefix):
            return kind
    raise AssertionError(f"Teach tests/test_isolation.py what <pk> means in {route.name}")


def _kwargs(route: Route, slug: str, ids: dict[str, int]) -> dict[str, str]:
    values = {}
    for param in route.params:
        if param == "tenant_slug":
            values[param] = slug
        elif param == "pk":
            values[param] = str(ids[_pk_kind(route)])
        elif param == "contact_pk":
            values[param] = str(ids["contact"])
        elif param == "organization_pk":
            values[param] = str(ids["organization"])
        elif param == "agreement_pk":
            values[param] = str(ids["agreement"])
        elif param == "document_pk":
            values[param] = str(ids["document"])
        elif param == "obligation_pk":
            values[param] = str(ids["obligation"])
        elif param == "action":
            values[param] = "suspend"
        elif param == "evidence_pk" and route.name == "fund_evidence_download":
            values[param] = str(ids["fund_evidence"])
        elif param in ("pledge_pk", "disbursement_pk"):
            values[param] = str(ids[param.removesuffix("_pk")])
        elif param == "job_pk":
            values[param] = str(ids["export_job"])
        elif param == "name":
            values[param] = "organisasi"
        elif param == "round_pk":
            values[param] = str(ids["survey_round"])
        elif param == "run_pk":
            values[param] = str(ids["run"])
        elif param == "entry_pk":
            values[param] = str(ids["ledger_entry"])
        elif param in ("period_pk", "indicator_pk", "milestone_pk", "update_pk", "evidence_pk", "fund_pk"):
            values[param] = str(ids[param.removesuffix("_pk")])
        elif param == "decision":
            values[param] = "approve"
        elif param == "fmt":
            values[param] = "xlsx"
        elif param == "section":
            values[param] = "kemitraan"
        elif param == "format":
            values[param] = "json"
        else:
            raise AssertionError(f"Teach tests/test_isolation.py how to fill <{param}> in {route.pattern}")
    return values


def _url(route: Route, kwargs: dict[str, str]) -> str:
    return reverse(route.name, kwargs=kwargs)


def _snapshot(world) -> dict:
    with scopes_disabled():
        return {
            "organizations": list(Organization.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "contacts": list(Contact.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "memberships": list(Membership.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "invitations": list(Invitation.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "imports": list(ImportJob.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "agreements": list(Agreement.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "parties": list(Party.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "obligations": list(Obligation.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "documents": list(Document.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "amendments": list(Amendment.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "events": AgreementEvent.objects.filter(tenant=world.tenant_a).count(),
            "notifications": list(Notification.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "programs": list(Program.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "indicators": list(Indicator.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "periods": ReportingPeriod.objects.filter(tenant=world.tenant_a).count(),
            "updates": list(ProgressUpdate.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "milestones": list(Milestone.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "reopenings": PeriodReopening.objects.filter(tenant=world.tenant_a).count(),
            "evidence": list(Evidence.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "funds": list(Fund.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "pledges": list(Pledge.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "ledger": list(LedgerEntry.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "disbursements": list(Disbursement.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "fund_evidence": list(FundEvidence.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "health_reviews": list(HealthReview.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "review_runs": list(ReviewRun.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "export_jobs": list(ExportJob.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "survey_rounds": list(SurveyRound.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
            "survey_responses": list(SurveyResponse.objects.filter(tenant=world.tenant_a).order_by("pk").values()),
        }


def _token_client(user) -> Client:
    _instance, token = ApiToken.objects.create(user=user, name="isolation")
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.mark.django_db
def test_tenant_b_cannot_reach_tenant_a_through_any_route(world):
    ids = _a_objects(world)
    before = _snapshot(world)
    session = world.outsider.client
    token = _token_client(world.outsider.user)
    failures = []
    tenant_routes = [r for r in all_routes() if classify(r) == "tenant"]
    assert len(tenant_routes) > 20
    for route in tenant_routes:
        clients = [("session", session)] + ([("token", token)] if route.is_api else [])
        variants = [("A's slug", world.tenant_a.slug, {404})]
        if any(
            p in route.params
            for p in (
                "pk",
                "contact_pk",
                "organization_pk",
                "agreement_pk",
                "document_pk",
                "obligation_pk",
                "fund_pk",
                "run_pk",
                "round_pk",
            )
        ):
            variants.append(("B's slug, A's ids", world.tenant_b.slug, {404, 405}))
        for label, slug, allowed in variants:
            url = _url(route, _kwargs(route, slug, ids))
            for client_name, client in clients:
                for method in METHODS:
                    response = getattr(client, method)(url)
                    if response.status_code not in allowed:
                        failures.append(f"{method.upper()} {url} ({client_name}, {label}) → {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert _snapshot(world) == before


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_sign_in_for_tenant_pages(world):
    response = Client().get(f"/t/{world.tenant_a.slug}/organisasi/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/login/")
    api = Client().get(f"/api/v1/t/{world.tenant_a.slug}/organizations/")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"
