"""Demo shared fund (dana bersama) for Kabupaten Serang, part of ``manage.py seed_demo``.

One fund on the TJSL immunisation agreement of Kecamatan Anyar, restricted to its program, with
pledges through four channels (APBD, CSR/TJSL in three instalments of which the second is
overdue and only partly received, Dana Desa, and in-kind cold-chain equipment), partial
receipts, an extra contribution, one receipt posted to the wrong pledge and reversed, and
disbursements in every state, one of them above the tenant's threshold and still waiting for
an administrator after the manager's approval.

Every write goes through ``programs.fund_services``, so the balance always equals the ledger.
Dates are counted from today. Idempotent: nothing happens once the fund exists. The Dana Desa
pledge needs Pemerintah Desa Anyar to be a party; an agreement seeded before the village joined
the demo gets the fund without it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from organizations.models import Organization, Role, Tenant, User
from partnerships.models import Agreement

from . import fund_services as funds
from .models import Channel, Disbursement, Fund, LedgerEntry, Pledge, Program

FUND_NAME = "Dana Bersama Imunisasi Kejar Kecamatan Anyar"

# Names exactly as organizations/demo.py, partnerships/demo.py and programs/demo.py create them.
AGREEMENT_TJSL = "Imunisasi Kejar Anak Balita di Kecamatan Anyar melalui Dana TJSL PT Krakatau Sejahtera"
PROGRAM = "Imunisasi Kejar Balita Kecamatan Anyar"
DINKES = "Dinas Kesehatan Kabupaten Serang"
KRAKATAU = "PT Krakatau Sejahtera (Unit TJSL)"
DESA_ANYAR = "Pemerintah Desa Anyar"

ADMIN_EMAIL = "admin@serang.mitrasehat.id"
MANAGER_EMAIL = "manajer@serang.mitrasehat.id"
REQUESTER_EMAIL = "koordinator.anyar@serang.mitrasehat.id"  # coordinator of Puskesmas Anyar, the implementer

IN_KIND = (
    "10 unit vaccine carrier 1,7 liter (PQS WHO) @ Rp2.750.000 = Rp27.500.000 dan 2 unit cold box 20 liter "
    "@ Rp12.500.000 = Rp25.000.000, untuk perluasan sasaran imunisasi lanjutan baduta. Valuasi menurut harga "
    "perolehan pada faktur pembelian PT Krakatau Sejahtera; diserahkan dengan berita acara serah terima (BAST) "
    "kepada Puskesmas Anyar."
)


def seed_serang_funds(tenant: Tenant, *, today: datetime.date | None = None) -> int:
    """Create the Serang demo fund unless it exists; returns how many funds were created (0 or 1).
    Runs inside the tenant's scope, after the agreements and programs."""
    today = today or timezone.localdate()
    if Fund.objects.filter(name=FUND_NAME).exists():
        return 0
    agreement = Agreement.objects.filter(title=AGREEMENT_TJSL, status=Agreement.Status.ACTIVE).first()
    program = Program.objects.filter(name=PROGRAM, agreement=agreement).first() if agreement else None
    if program is None:
        return 0
    admin, manager, requester = (
        User.objects.get(email=email) for email in (ADMIN_EMAIL, MANAGER_EMAIL, REQUESTER_EMAIL)
    )
    organizations = {o.name: o for o in Organization.objects.filter(name__in=[DINKES, KRAKATAU, DESA_ANYAR])}

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    fund = funds.fund_create(tenant=tenant, agreement=agreement, actor=manager, name=FUND_NAME, programs=[program])

    # --- pledges and receipts ------------------------------------------------------------
    apbd = funds.pledge_create(
        fund=fund, organization=organizations[DINKES], actor=manager, channel=Channel.APBD, amount=Decimal(120_000_000),
        note=(
            f"DPA Dinas Kesehatan Kabupaten Serang TA {today.year}, sub kegiatan pelayanan imunisasi; "
            "dicairkan sesuai rencana penarikan dana (RPD)."
        ),
    )  # fmt: skip
    tjsl = funds.pledge_create(
        fund=fund, organization=organizations[KRAKATAU], actor=manager, channel=Channel.CSR, amount=Decimal(200_000_000),
        installments=[(day(-100), Decimal(80_000_000)), (day(-21), Decimal(70_000_000)), (day(60), Decimal(50_000_000))],
        note="Dana TJSL PT Krakatau Sejahtera sesuai Adendum I, disalurkan dalam tiga termin.",
    )  # fmt: skip
    natura = funds.pledge_create(
        fund=fund, organization=organizations[KRAKATAU], actor=manager, channel=Channel.NATURA,
        amount=Decimal(52_500_000), in_kind_description=IN_KIND,
    )  # fmt: skip
    _receipt(tjsl, manager, 80_000_000, day(-96), "TRF/TJSL-KS/{year}/0418")
    _receipt(apbd, manager, 36_000_000, day(-74), "BKU/{year}/{month}/0231")
    _receipt(natura, manager, 27_500_000, day(-40), "BAST/027/TJSL-KS/{year}")
    _receipt(apbd, manager, 24_000_000, day(-18), "BKU/{year}/{month}/0377")
    # The second TJSL transfer was first posted to the APBD pledge: reversed, then recorded again.
    wrong = _receipt(apbd, manager, 30_000_000, day(-14), "TRF/TJSL-KS/{year}/0562")
    funds.ledger_reverse(
        entry=wrong, actor=admin,
        reason=(
            "Salah pos: transfer termin II TJSL PT Krakatau Sejahtera tercatat sebagai penerimaan APBD; "
            "dicatat ulang pada komitmen dana TJSL."
        ),
    )  # fmt: skip
    _receipt(tjsl, manager, 30_000_000, day(-14), "TRF/TJSL-KS/{year}/0562")

    village = organizations.get(DESA_ANYAR)
    if village is not None and agreement.parties.filter(organization=village).exists():
        dana_desa = funds.pledge_create(
            fund=fund, organization=village, actor=manager, channel=Channel.DANA_DESA, amount=Decimal(48_000_000),
            installments=[(day(-65), Decimal(24_000_000)), (day(-25), Decimal(24_000_000))],
            note=(
                f"APBDes Desa Anyar TA {today.year}, bidang pembinaan kemasyarakatan, sub bidang kesehatan: "
                "transport kader dan konsumsi pos imunisasi kejar; dua tahap."
            ),
        )  # fmt: skip
        _receipt(dana_desa, manager, 24_000_000, day(-60), "SPP-DD/ANYAR/{year}/014")
        _receipt(dana_desa, manager, 24_000_000, day(-22), "SPP-DD/ANYAR/{year}/031")
        _receipt(dana_desa, manager, 7_500_000, day(-3), "SPP-DD/ANYAR/{year}/047", extra=True)

    # --- disbursements, all requested by the coordinator of Puskesmas Anyar ------------------
    def request(amount: int, planned: int, purpose: str) -> Disbursement:
        return funds.disbursement_request(
            fund=fund,
            program=program,
            actor=requester,
            amount=Decimal(amount),
            purpose=purpose,
            planned_on=day(planned),
        )

    def approve(disbursement: Disbursement) -> Disbursement:
        disbursement = funds.disbursement_approve(disbursement=disbursement, actor=manager, role=Role.MANAGER)
        if disbursement.status == Disbursement.Status.REQUESTED:  # above the threshold
            disbursement = funds.disbursement_approve(disbursement=disbursement, actor=admin, role=Role.ADMIN)
        return disbursement

    for amount, planned, purpose, reference in [
        (
            7_200_000, -52,
            "Transport kader sweeping imunisasi kejar tahap I di Desa Anyar, Sindang Mandi, Cikoneng, Tanjung "
            "Manis, Bandulu dan Bunihara (24 kader × 4 hari × Rp75.000).",
            "BKU/{year}/{month}/0268",
        ),
        (
            9_850_000, -30,
            "Cetak media KIE imunisasi kejar: 2.000 leaflet, 60 poster dan 12 spanduk pos imunisasi.",
            "BKU/{year}/{month}/0319",
        ),
        (
            24_000_000, -6,
            "Konsumsi pos imunisasi kejar di 12 desa (2 sesi × 40 orang × Rp25.000 per desa).",
            "BKU/{year}/{month}/0391",
        ),
    ]:  # fmt: skip
        paid_on = day(planned)
        funds.disbursement_pay(
            disbursement=approve(request(amount, planned, purpose)), actor=manager, paid_on=paid_on,
            reference=_ref(reference, paid_on),
        )  # fmt: skip
    approve(
        request(
            8_500_000, 10,
            "Sewa kendaraan petugas vaksinator ke desa sulit dijangkau (Tambang Ayam dan Grogol Indah), "
            "10 hari × Rp850.000.",
        )
    )  # fmt: skip
    request(
        7_200_000, 21,
        "Transport kader sweeping imunisasi kejar tahap II di Desa Kosambironyok, Banjarsari, Mekarsari, "
        "Sindangkarya, Tambang Ayam dan Grogol Indah (24 kader × 4 hari × Rp75.000).",
    )  # fmt: skip
    request(
        6_000_000, 45,
        "Orientasi imunisasi lanjutan baduta bagi 48 kader posyandu: konsumsi dan transport peserta "
        "(48 × Rp125.000).",
    )  # fmt: skip
    # Above the tenant's threshold: the manager has approved, an administrator has not yet.
    refrigerators = request(
        68_500_000, 30,
        "Pengadaan 2 unit lemari es vaksin ice-lined (PQS WHO) @ Rp32.000.000 dan 2 unit stabilizer @ "
        "Rp2.250.000 untuk pos imunisasi di Pustu Tambang Ayam dan Pustu Cikoneng.",
    )  # fmt: skip
    funds.disbursement_approve(disbursement=refrigerators, actor=manager, role=Role.MANAGER)
    uniforms = request(14_400_000, 14, "Seragam kader imunisasi kejar untuk 48 kader (48 × Rp300.000).")
    funds.disbursement_reject(
        disbursement=uniforms, actor=manager,
        reason=(
            "Seragam kader tidak termasuk rencana kerja tahunan yang disepakati dalam Perjanjian; dapat "
            "diusulkan melalui Dana Desa masing-masing desa."
        ),
    )  # fmt: skip
    _seed_dppm_fund(tenant, manager, today)
    return 1


def _seed_dppm_fund(tenant: Tenant, manager: User, today: datetime.date) -> None:
    """A second, troubled fund: the private clinic's pledge to the DPPM TB network fell due four
    months ago and nothing has arrived (the health review flags it)."""
    agreement = Agreement.objects.filter(title__startswith="Jejaring Layanan Tuberkulosis Fasilitas Swasta").first()
    if agreement is None:
        return
    parties = {p.organization.kind: p.organization for p in agreement.parties.select_related("organization")}
    clinic, puskesmas = parties.get("klinik"), parties.get("puskesmas")
    if clinic is None or puskesmas is None:
        return
    fund = funds.fund_create(
        tenant=tenant, agreement=agreement, actor=manager, name="Dana Bersama Jejaring DPPM Tuberkulosis"
    )
    blud = funds.pledge_create(
        fund=fund, organization=puskesmas, actor=manager, channel=Channel.BLUD, amount=Decimal(12_000_000),
        note="Pendapatan BLUD Puskesmas untuk transport pengantaran spesimen dahak ke TCM.",
    )  # fmt: skip
    _receipt(blud, manager, 12_000_000, today - datetime.timedelta(days=150), "BKU/{year}/{month}/0112")
    funds.pledge_create(
        fund=fund, organization=clinic, actor=manager, channel=Channel.SWADAYA, amount=Decimal(24_000_000),
        installments=[(today - datetime.timedelta(days=125), Decimal(24_000_000))],
        note="Kontribusi klinik untuk insentif pelacakan kontak dan pelaporan SITB pasien TBC klinik.",
    )  # fmt: skip


def _ref(template: str, on: datetime.date) -> str:
    return template.format(year=on.year, month=f"{on.month:02d}")


def _receipt(
    pledge: Pledge, actor: User, amount: int, on: datetime.date, reference: str, *, extra: bool = False
) -> LedgerEntry:
    return funds.receipt_record(
        pledge=pledge, actor=actor, amount=Decimal(amount), occurred_on=on, reference=_ref(reference, on),
        extra_contribution=extra,
    )  # fmt: skip
