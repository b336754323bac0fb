"""Demo data for Kabupaten Serang (``manage.py seed_demo``). Idempotent: running it twice
changes nothing. Later issues extend ``seed_demo`` with agreements, programs and funds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from partnerships.demo import seed_serang_agreements
from programs.demo import seed_serang_programs
from programs.fund_demo import seed_serang_funds
from reporting.demo import seed_serang_reviews

from . import services
from .models import Membership, Organization, Region, Role, Tenant, User
from .tenancy import tenant_scope

DEMO_PASSWORD = "MitraSehat-Demo-2026"  # printed by the command and listed in the README


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    organization: str | None = None


SERANG_ORGANIZATIONS = [
    # name, kind, region code, address, focal point (name, position, phone, email)
    (
        "Dinas Kesehatan Kabupaten Serang",
        "dinas_kesehatan",
        "36.04",
        "Jl. Veteran No. 1, Serang",
        (
            "Hj. Nurhasanah, S.KM., M.Kes.",
            "Kepala Bidang Kesehatan Masyarakat",
            "0254-200100",
            "kesmas@dinkes.serangkab.example.id",
        ),
    ),
    (
        "Puskesmas Ciruas",
        "puskesmas",
        "36.04.09",
        "Jl. Raya Ciruas No. 12, Ciruas",
        ("dr. Siti Rahmawati", "Kepala Puskesmas", "0812-8000-1201", "pkm.ciruas@example.id"),
    ),
    (
        "Puskesmas Kramatwatu",
        "puskesmas",
        "36.04.05",
        "Jl. Raya Serang–Cilegon Km 8, Kramatwatu",
        ("dr. Ahmad Fauzi", "Kepala Puskesmas", "0812-8000-1202", "pkm.kramatwatu@example.id"),
    ),
    (
        "Puskesmas Cikande",
        "puskesmas",
        "36.04.15",
        "Jl. Raya Jakarta Km 68, Cikande",
        ("Ns. Dewi Kartika, S.Kep.", "Koordinator Program TBC", "0812-8000-1203", "pkm.cikande@example.id"),
    ),
    (
        "Puskesmas Anyar",
        "puskesmas",
        "36.04.30",
        "Jl. Raya Anyar No. 3, Anyar",
        ("Bidan Yuliani, Amd.Keb.", "Koordinator KIA", "0812-8000-1204", "pkm.anyar@example.id"),
    ),
    (
        "RSUD dr. Dradjat Prawiranegara",
        "rumah_sakit",
        "36.04",
        "Jl. Rumah Sakit Umum No. 1, Serang",
        ("dr. Bambang Hermawan, Sp.PD", "Wakil Direktur Pelayanan", "0254-200200", "humas@rsud-drajat.example.id"),
    ),
    (
        "Labkesda Kabupaten Serang",
        "laboratorium",
        "36.04",
        "Jl. Veteran No. 5, Serang",
        ("Rina Marlina, A.Md.AK", "Kepala Labkesda", "0254-200300", "labkesda@example.id"),
    ),
    (
        "Klinik Pratama Medika Cikande",
        "klinik",
        "36.04.15",
        "Kawasan Industri Modern Cikande Blok A",
        ("dr. Hendra Gunawan", "Penanggung Jawab Klinik", "0812-8000-1301", "klinik.medika@example.id"),
    ),
    (
        "BPJS Kesehatan Kantor Cabang Serang",
        "asuransi",
        "36.73",
        "Jl. Jend. Sudirman No. 24, Kota Serang",
        ("Agus Setiawan", "Kepala Bidang Penjaminan Manfaat Primer", "0254-200400", "kc.serang@bpjs.example.id"),
    ),
    (
        "PT Krakatau Sejahtera (Unit TJSL)",
        "swasta",
        "36.04.30",
        "Kawasan Industri Anyer",
        ("Maya Puspitasari", "Manajer TJSL", "0812-8000-1401", "tjsl@krakatau-sejahtera.example.id"),
    ),
    (
        "Pemerintah Desa Anyar",
        "pemerintah_lain",
        "36.04.30.2001",
        "Kantor Desa Anyar, Jl. Raya Anyar No. 21, Anyar",
        ("Ujang Saepudin", "Sekretaris Desa", "0812-8000-1901", "pemdes.anyar@example.id"),
    ),
    (
        "Yayasan Peduli TBC Banten",
        "ngo",
        "36.04",
        "Jl. Ki Ajurum No. 7, Serang",
        ("Rudi Hartono", "Koordinator Program", "0812-8000-1501", "info@pedulitbc.example.id"),
    ),
    (
        "Perkumpulan Kader Posyandu Ciruas",
        "komunitas",
        "36.04.09",
        "Desa Ciruas",
        ("Ibu Ela Nurlaela", "Ketua Kader", "0812-8000-1601", ""),
    ),
    (
        "Kelompok Pasien Diabetes Prolanis Serang",
        "kelompok_pasien",
        "36.04",
        "Sekretariat di Puskesmas Ciruas",
        ("Bapak Dedi Supriadi", "Ketua Kelompok", "0812-8000-1701", ""),
    ),
    (
        "Universitas Sultan Ageng Tirtayasa — Fakultas Kedokteran",
        "universitas",
        "36.73",
        "Jl. Raya Palka Km 3, Sindangsari",
        ("Dr. dr. Lina Marlina, M.Kes.", "Wakil Dekan Bidang Kerja Sama", "0254-200500", "fk@untirta.example.id"),
    ),
    (
        "SMP Negeri 1 Ciruas",
        "sekolah",
        "36.04.09",
        "Jl. Raya Ciruas No. 40",
        ("Drs. Asep Saepudin", "Pembina UKS", "0812-8000-1801", "smpn1ciruas@example.id"),
    ),
    (
        "SD Negeri Kramatwatu 2",
        "sekolah",
        "36.04.05",
        "Kramatwatu",
        ("Sri Wahyuni, S.Pd.", "Guru UKS", "0812-8000-1802", ""),
    ),
]

SERANG_USERS = [
    DemoUser("admin@serang.mitrasehat.id", "Rahmat Hidayat", Role.ADMIN),
    DemoUser("manajer@serang.mitrasehat.id", "Dewi Lestari", Role.MANAGER),
    DemoUser("koordinator@serang.mitrasehat.id", "Rudi Hartono", Role.COORDINATOR, "Yayasan Peduli TBC Banten"),
    # Requests shared-fund disbursements for the Anyar immunisation program (programs/fund_demo.py).
    DemoUser("koordinator.anyar@serang.mitrasehat.id", "Yuliani, Amd.Keb.", Role.COORDINATOR, "Puskesmas Anyar"),
    DemoUser("pemantau@serang.mitrasehat.id", "Sri Mulyani", Role.VIEWER),
]

PANDEGLANG_ORGANIZATIONS = [
    (
        "Dinas Kesehatan Kabupaten Pandeglang",
        "dinas_kesehatan",
        "36.01",
        "Jl. Mayor Widagdo, Pandeglang",
        ("dr. Yudi Pratama", "Sekretaris Dinas", "0253-100100", "dinkes@pandeglangkab.example.id"),
    ),
    (
        "Puskesmas Labuan",
        "puskesmas",
        "36.01",
        "Jl. Raya Labuan",
        ("dr. Fitri Handayani", "Kepala Puskesmas", "0812-9000-0001", ""),
    ),
    (
        "RSUD Berkah Pandeglang",
        "rumah_sakit",
        "36.01",
        "Jl. Raya Labuan Km 5",
        ("dr. Irwan", "Direktur", "0253-100200", ""),
    ),
]

PANDEGLANG_USERS = [
    DemoUser("admin@pandeglang.mitrasehat.id", "Yudi Pratama", Role.ADMIN),
    # One person in both tenants, to show the tenant chooser and switcher.
    DemoUser("manajer@serang.mitrasehat.id", "Dewi Lestari", Role.VIEWER),
]


def seed_demo() -> list[tuple[str, str, str]]:
    """Create (or leave as they are) the two demo tenants; returns (tenant, email, role) rows."""
    accounts = []
    with transaction.atomic():
        for name, slug, region_code, organizations, users in [
            ("Dinas Kesehatan Kabupaten Serang", "serang", "36.04", SERANG_ORGANIZATIONS, SERANG_USERS),
            ("Dinas Kesehatan Kabupaten Pandeglang", "pandeglang", "36.01", PANDEGLANG_ORGANIZATIONS, PANDEGLANG_USERS),
        ]:
            tenant, _ = Tenant.objects.get_or_create(
                slug=slug, defaults={"name": name, "region": Region.objects.filter(code=region_code).first()}
            )
            with tenant_scope(tenant):
                _seed_organizations(tenant, organizations)
                for demo_user in users:
                    _seed_member(tenant, demo_user)
                    accounts.append((tenant.name, demo_user.email, demo_user.role))
                if slug == "serang":
                    seed_serang_agreements(tenant)
                    seed_serang_programs(tenant)
                    seed_serang_funds(tenant)
                    seed_serang_reviews(tenant)
    return accounts


def _seed_organizations(tenant: Tenant, rows) -> None:
    regions = dict(Region.objects.filter(code__in=[r[2] for r in rows]).values_list("code", "id"))
    for name, kind, region_code, address, (contact, position, phone, email) in rows:
        if Organization.objects.filter(name=name).exists():
            continue
        services.organization_create(
            tenant=tenant,
            actor=None,
            name=name,
            kind=kind,
            region=Region.objects.filter(pk=regions.get(region_code)).first(),
            address=address,
            contacts=[{"name": contact, "position": position, "phone": phone, "email": email, "is_focal_point": True}],
        )


def _seed_member(tenant: Tenant, demo_user: DemoUser) -> None:
    user = User.objects.filter(email=demo_user.email).first()
    if user is None:
        user = User.objects.create_user(email=demo_user.email, password=DEMO_PASSWORD, full_name=demo_user.full_name)
    if Membership.objects.filter(tenant=tenant, user=user).exists():
        return
    organization = Organization.objects.get(name=demo_user.organization) if demo_user.organization else None
    services.membership_create(tenant=tenant, user=user, role=demo_user.role, organization=organization, actor=None)
