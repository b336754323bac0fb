"""Demo health reviews for Kabupaten Serang: two years of monthly reviews computed from the
demo history (each at its month's end, oldest first, so trends and hysteresis are real), partner
surveys on three partnerships, and managers' confirmations with the joint review's notes.
Idempotent: nothing happens when the tenant already has reviews."""

from __future__ import annotations

import datetime

from django.utils import timezone

from organizations.models import Membership, Role, Tenant
from partnerships.models import Agreement

from . import services, surveys
from .models import HealthReview, SurveyResponse, SurveyRound

MONTHS = 24

# (agreement title fragment, answers per party kind): public bodies rate higher than companies
# and communities in one of them, so the divergence flag has something to show.
SURVEYS = [
    ("Imunisasi Kejar", {"default": 4, "swasta": 2, "pemerintah_lain": 3}),
    ("TBC", {"default": 4}),
    ("Prolanis", {"default": 3, "kelompok_pasien": 2}),
]
NOTES = [
    "Rapat evaluasi triwulan bersama para pihak; rencana tindak lanjut disepakati dan dicatat di notulen.",
    "Dibahas pada rapat koordinasi lintas sektor; mitra berkomitmen menyusul laporan yang tertunda.",
]


def seed_serang_reviews(tenant: Tenant, *, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if HealthReview.objects.exists():
        return 0
    _seed_surveys(tenant, today)
    created = 0
    for month_end in _month_ends(today, MONTHS):
        created += len(services.reviews_compute(tenant=tenant, today=month_end, notify=False, backfill=True))
    created += len(services.reviews_compute(tenant=tenant, today=today, notify=False))
    _confirm_some(tenant)
    return created


def _month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    ends = []
    for _ in range(months):
        first_previous = (first - datetime.timedelta(days=1)).replace(day=1)
        ends.append(first - datetime.timedelta(days=1))
        first = first_previous
    return list(reversed(ends))


def _seed_surveys(tenant: Tenant, today: datetime.date) -> None:
    for fragment, scores in SURVEYS:
        agreement = Agreement.objects.filter(title__icontains=fragment, status=Agreement.Status.ACTIVE).first()
        if agreement is None or SurveyRound.objects.filter(agreement=agreement).exists():
            continue
        opens_on = today - datetime.timedelta(days=40)
        survey = SurveyRound.objects.create(
            tenant=tenant, agreement=agreement, opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=21)
        )
        for index, party in enumerate(agreement.parties.select_related("organization").order_by("organization__name")):
            base = scores.get(party.organization.kind, scores["default"])
            answers = {code: max(1, min(5, base + (1 if (n + index) % 4 == 0 else 0))) for n, (code, _c, _t) in
                       enumerate(surveys.ITEMS)}  # fmt: skip
            response = SurveyResponse.objects.create(
                tenant=tenant, round=survey, organization=party.organization, answers=answers,
                respondent_name=f"Narahubung {party.organization.name}",
            )  # fmt: skip
            SurveyResponse.objects.filter(pk=response.pk).update(
                submitted_at=timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(10)))
                + datetime.timedelta(days=2 + index)
            )


def _confirm_some(tenant: Tenant) -> None:
    manager = Membership.objects.filter(tenant=tenant, role=Role.MANAGER).select_related("user").order_by("pk").first()
    if manager is None:
        return
    latest = HealthReview.objects.order_by("agreement_id", "-review_date")
    seen: set[int] = set()
    notes = iter(NOTES)
    for review in latest:
        if review.agreement_id in seen:
            continue
        seen.add(review.agreement_id)
        if review.band in ("at_risk", "watch"):
            note = next(notes, None)
            if note is None:
                return
            services.review_confirm(review=review, actor=manager.user, note=note)
