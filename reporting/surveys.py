"""The partner survey: 13 items in our own wording (Likert 1–5), seven constructs, signed
expiring links for each party's focal point, one response per organization.

Decision (HEALTH_REVIEW.md §2 D7 asks for 3 respondents from ≥ 2 organisations): each
organization answers once — its focal point speaks for it, which is what gives every
organization an equal voice — so the minimum becomes "≥ 2 organizations and ≥ 40% of the
member organizations" (reporting.scoring applies it)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Contact, Organization, User
from partnerships.models import Agreement

from .models import SurveyResponse, SurveyRound

SALT = "mitrasehat.survey"
DEFAULT_DAYS = 21

# (code, construct, Indonesian-first English msgid). Our own wording, not PSAT's or Wilder's.
ITEMS: list[tuple[str, str, object]] = [
    ("q1", "S1", _("The partners understand the goals of this partnership in the same way.")),
    ("q2", "S1", _("The targets we agreed on are realistic for every partner.")),
    ("q3", "S2", _("Partners do what they committed to do.")),
    ("q4", "S2", _("Partners share information openly and honestly, including problems.")),
    ("q5", "S3", _("Information we need reaches us in time.")),
    ("q6", "S3", _("Coordination between partners (meetings, WhatsApp groups, letters) works well.")),
    ("q7", "S4", _("Our organization's opinion counts when decisions are made.")),
    ("q8", "S4", _("Benefits and burdens of the partnership are shared fairly.")),
    ("q9", "S5", _("The partnership has enough funds, staff and logistics for its activities.")),
    ("q10", "S5", _("Every partner contributes the resources it agreed to.")),
    ("q11", "S6", _("Disagreements between partners get resolved.")),
    ("q12", "S6", _("The partnership adapts when policies, budgets or leaders change.")),
    ("q13", "S7", _("For our organization, the benefits of this partnership outweigh its costs.")),
]
SCALE = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neutral")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]
ROUND_CLOSED = _("This survey has closed; thank you for your interest.")
ALREADY_ANSWERED = _("Your organization has already answered this survey.")
NOT_A_PARTY = _("Only parties to the agreement answer its survey.")


def round_open(*, agreement: Agreement, actor: User | None, days: int = DEFAULT_DAYS, today=None) -> SurveyRound:
    """Open a round and email each party's focal point their organization's link."""
    from organizations.emails import send_templated_email

    today = today or timezone.localdate()
    if days < 3 or days > 90:
        raise ValidationError({"days": [_("A survey stays open between 3 and 90 days.")]})
    if SurveyRound.objects.filter(agreement=agreement, closed_at__isnull=True, closes_on__gte=today).exists():
        raise ValidationError({"days": [_("A survey round for this agreement is still open.")]})
    survey = SurveyRound.objects.create(
        tenant_id=agreement.tenant_id, agreement=agreement, opens_on=today,
        closes_on=today + datetime.timedelta(days=days), opened_by=actor,
    )  # fmt: skip
    focal = {
        c.organization_id: c
        for c in Contact.objects.filter(
            organization__parties__agreement=agreement, is_focal_point=True, email__gt=""
        ).select_related("organization")
    }
    base = settings.SITE_URL.rstrip("/")
    for contact in focal.values():
        url = base + link_for(survey, contact.organization)
        context = {"contact": contact, "agreement": agreement, "survey": survey, "url": url}
        transaction.on_commit(
            lambda c=context, to=contact.email: send_templated_email(template="survey_invitation", to=[to], context=c)
        )
    return survey


def round_close(*, survey: SurveyRound, actor: User | None) -> SurveyRound:
    survey.closed_at = timezone.now()
    survey.save(update_fields=["closed_at", "updated_at"])
    return survey


def token_for(survey: SurveyRound, organization: Organization) -> str:
    return signing.dumps({"r": survey.pk, "o": organization.pk, "t": survey.tenant_id}, salt=SALT, compress=True)


def link_for(survey: SurveyRound, organization: Organization) -> str:
    from django.urls import reverse

    return reverse("survey_public", kwargs={"token": token_for(survey, organization)})


def read_token(token: str) -> tuple[int, int, int]:
    """(tenant id, round id, organization id) from a link; BadSignature when tampered with.
    Links stop working when the round closes (checked against the round) and after 120 days
    in any case (the signature's age)."""
    data = signing.loads(token, salt=SALT, max_age=datetime.timedelta(days=120))
    return int(data["t"]), int(data["r"]), int(data["o"])


def clean_answers(raw: dict) -> dict[str, int]:
    answers = {}
    errors = {}
    for code, _construct, _text in ITEMS:
        try:
            value = int(raw.get(code))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[code] = [_("Choose an answer from 1 to 5.")]
        else:
            answers[code] = value
    if errors:
        raise ValidationError(errors)
    return answers


def response_submit(
    *, survey: SurveyRound, organization: Organization, answers: dict, user: User | None = None,
    respondent_name: str = "", comment: str = "", today=None,
) -> SurveyResponse:  # fmt: skip
    today = today or timezone.localdate()
    if not survey.is_open(today):
        raise ValidationError(ROUND_CLOSED)
    if not survey.agreement.parties.filter(organization=organization).exists():
        raise ValidationError(NOT_A_PARTY)
    cleaned = clean_answers(answers)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                tenant_id=survey.tenant_id, round=survey, organization=organization, answers=cleaned, user=user,
                respondent_name=respondent_name.strip()[:150], comment=comment.strip(),
            )  # fmt: skip
    except IntegrityError as exc:
        raise ValidationError(ALREADY_ANSWERED) from exc
