"""Demo partnership agreements for Kabupaten Serang, part of ``manage.py seed_demo``.

Idempotent: an agreement whose number (or title) already exists is left as it is, and the
renewal draft is made only while the expired MoU has no successor. Dates are counted from
today so the demo always shows current, ending-soon, suspended, expired and draft agreements;
the agreement numbers carry the year the agreement was signed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from organizations.models import Organization, Region, Tenant, User
from organizations.tenancy import tenant_scope

from . import services
from .documents import document_upload
from .models import Agreement, Document, Party

DEMO_ACTOR_EMAIL = "manajer@serang.mitrasehat.id"

T = Agreement.PartnershipType
R = Party.Role
S = Agreement.Status

# Organization names exactly as organizations/demo.py creates them.
DINKES = "Dinas Kesehatan Kabupaten Serang"
RSUD = "RSUD dr. Dradjat Prawiranegara"
PKM_CIRUAS = "Puskesmas Ciruas"
PKM_KRAMATWATU = "Puskesmas Kramatwatu"
PKM_CIKANDE = "Puskesmas Cikande"
PKM_ANYAR = "Puskesmas Anyar"
LABKESDA = "Labkesda Kabupaten Serang"
KLINIK = "Klinik Pratama Medika Cikande"
BPJS = "BPJS Kesehatan Kantor Cabang Serang"
KRAKATAU = "PT Krakatau Sejahtera (Unit TJSL)"
DESA_ANYAR = "Pemerintah Desa Anyar"
YAYASAN_TBC = "Yayasan Peduli TBC Banten"
KADER_CIRUAS = "Perkumpulan Kader Posyandu Ciruas"
PASIEN_DM = "Kelompok Pasien Diabetes Prolanis Serang"
UNTIRTA = "Universitas Sultan Ageng Tirtayasa — Fakultas Kedokteran"
SMPN1_CIRUAS = "SMP Negeri 1 Ciruas"
SDN_KRAMATWATU2 = "SD Negeri Kramatwatu 2"

# Signatories (name, position), reused across agreements.
SIGN_KADINKES = ("dr. Hj. Rina Kurniasih, M.K.M.", "Kepala Dinas Kesehatan Kabupaten Serang")
SIGN_KADINKES_2022 = ("dr. H. Agus Gunawan, M.Kes.", "Kepala Dinas Kesehatan Kabupaten Serang")
SIGN_DIREKTUR_RSUD = ("dr. Ahmad Syarifudin, M.A.R.S.", "Direktur RSUD dr. Dradjat Prawiranegara")
SIGN_WADIR_RSUD = ("dr. Bambang Hermawan, Sp.PD", "Wakil Direktur Pelayanan, atas nama Direktur RSUD")
SIGN_PKM_CIRUAS = ("dr. Siti Rahmawati", "Kepala UPT Puskesmas Ciruas")
SIGN_PKM_KRAMATWATU = ("dr. Ahmad Fauzi", "Kepala UPT Puskesmas Kramatwatu")
SIGN_PKM_CIKANDE = ("drg. Yayan Sofyan, M.K.M.", "Kepala UPT Puskesmas Cikande")
SIGN_PKM_ANYAR = ("dr. Nurul Aini", "Kepala UPT Puskesmas Anyar")
SIGN_LABKESDA = ("Rina Marlina, A.Md.AK", "Kepala UPT Laboratorium Kesehatan Daerah")
SIGN_KLINIK = ("dr. Hendra Gunawan", "Penanggung Jawab Klinik Pratama Medika Cikande")
SIGN_BPJS = ("Dwi Handayani, S.E., M.M.", "Kepala BPJS Kesehatan Kantor Cabang Serang")
SIGN_KRAKATAU = ("Hendro Wibowo, S.T., M.M.", "Direktur Utama PT Krakatau Sejahtera")
SIGN_KADES_ANYAR = ("H. Sukarna", "Kepala Desa Anyar")
SIGN_YAYASAN = ("Hj. Euis Rohaeti, S.Sos.", "Ketua Pengurus Yayasan Peduli TBC Banten")
SIGN_KADER = ("Ibu Ela Nurlaela", "Ketua Perkumpulan Kader Posyandu Ciruas")
SIGN_PASIEN = ("Bapak Dedi Supriadi", "Ketua Kelompok Pasien Diabetes Prolanis Serang")
SIGN_UNTIRTA = ("Prof. Dr. dr. Hadi Santoso, Sp.OG", "Dekan Fakultas Kedokteran Universitas Sultan Ageng Tirtayasa")
SIGN_SMPN1 = ("H. Endang Suherman, S.Pd., M.Pd.", "Kepala SMP Negeri 1 Ciruas")
SIGN_SDN2 = ("Nining Kurniasih, S.Pd.SD", "Kepala SD Negeri Kramatwatu 2")


@dataclass(frozen=True)
class DemoObligation:
    description: str
    due_on: datetime.date | None = None
    done: bool = False  # marked done on its due date, once that date has passed


@dataclass(frozen=True)
class DemoParty:
    organization: str
    role: str
    signatory: tuple[str, str]
    obligations: tuple[DemoObligation, ...] = ()


@dataclass(frozen=True)
class DemoAmendment:
    signed_on: datetime.date
    effective_on: datetime.date
    summary: str
    new_terms: dict


@dataclass(frozen=True)
class DemoRenewal:
    reason: str
    title: str
    scope: str
    starts_on: datetime.date
    ends_on: datetime.date
    parties: tuple[DemoParty, ...]


@dataclass(frozen=True)
class DemoAgreement:
    number: str
    title: str
    kind: str
    partnership_type: str
    status: str  # the state the demo leaves it in
    objective: str
    scope: str
    financing_summary: str
    reporting_duty: str
    regions: tuple[str, ...]
    parties: tuple[DemoParty, ...]
    signed_on: datetime.date | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    dispute_settlement: str = ""
    termination_clause: str = ""
    activated_on: datetime.date | None = None  # "today" for activation when it happened in the past
    suspend_reason: str = ""
    amendment: DemoAmendment | None = None
    renewal: DemoRenewal | None = None


def dispute_settlement(document: str = "Perjanjian") -> str:
    return (
        f"Perselisihan yang timbul dalam pelaksanaan {document} ini diselesaikan terlebih dahulu secara "
        "musyawarah untuk mufakat paling lama 30 (tiga puluh) hari kalender sejak salah satu Pihak "
        "menyampaikan pemberitahuan tertulis. Apabila musyawarah tidak mencapai mufakat, Para Pihak "
        "menempuh mediasi yang difasilitasi Dinas Kesehatan Kabupaten Serang bersama Bagian Kerja Sama "
        "Sekretariat Daerah Kabupaten Serang. Apabila mediasi tidak berhasil, Para Pihak sepakat memilih "
        "domisili hukum yang tetap di Kepaniteraan Pengadilan Negeri Serang."
    )


def termination_clause(document: str = "Perjanjian", extra: str = "") -> str:
    text = (
        f"{document} ini berakhir pada tanggal yang ditetapkan, atau dapat diakhiri lebih awal oleh salah "
        "satu Pihak dengan pemberitahuan tertulis paling lambat 30 (tiga puluh) hari kalender sebelumnya "
        "apabila: (a) Pihak lain tidak melaksanakan kewajibannya setelah diberi teguran tertulis 2 (dua) "
        "kali berturut-turut; (b) terjadi keadaan kahar (force majeure) yang berlangsung lebih dari 90 "
        "(sembilan puluh) hari kalender; atau (c) terdapat perubahan peraturan perundang-undangan yang "
        f"menyebabkan {document} ini tidak dapat dilaksanakan. Pengakhiran tidak menghapus hak dan "
        "kewajiban yang telah timbul sebelum tanggal pengakhiran."
    )
    return f"{text} {extra}".strip()


def _last_day_of_month(day: datetime.date) -> datetime.date:
    next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def demo_agreements(today: datetime.date) -> list[DemoAgreement]:
    """The Serang agreements, with dates counted from ``today``."""
    y = today.year

    def d(year_offset: int, month: int, day: int) -> datetime.date:
        return datetime.date(y + year_offset, month, day)

    def ob(description: str, due_on: datetime.date | None = None, done: bool = False) -> DemoObligation:
        return DemoObligation(description, due_on, done)

    # BPJS Prolanis: a two-year PKS whose end falls 30–60 days from today.
    prolanis_ends = _last_day_of_month(today + datetime.timedelta(days=30))
    after = prolanis_ends + datetime.timedelta(days=1)
    prolanis_starts = datetime.date(after.year - 2, after.month, 1)
    prolanis_signed = prolanis_starts - datetime.timedelta(days=14)

    tjsl_financing = (
        "Sumber dana: Tanggung Jawab Sosial dan Lingkungan (TJSL/CSR) PT Krakatau Sejahtera sebesar "
        "Rp{amount} ({words}) untuk seluruh jangka waktu Perjanjian, disalurkan langsung oleh PT Krakatau "
        "Sejahtera dalam bentuk barang dan kegiatan (vaccine carrier dan cold box, transportasi petugas ke "
        "desa sulit dijangkau, konsumsi kader, serta media KIE) sesuai rencana kerja tahunan yang disepakati; "
        "tidak ada penyerahan uang tunai kepada Pemerintah Daerah. Vaksin dan logistik imunisasi program "
        "disediakan Pemerintah melalui Dinas Kesehatan (APBN/APBD); operasional petugas Puskesmas Anyar "
        "dibiayai BLUD Puskesmas Anyar. Pemerintah Desa Anyar mendukung transport kader dan konsumsi pos "
        "imunisasi kejar di Desa Anyar dari Dana Desa melalui APBDes."
    )

    mou_parties = (
        DemoParty(
            DINKES,
            R.LEAD,
            SIGN_KADINKES_2022,
            (
                ob(
                    "Menyelenggarakan pelatihan bagi 60 kader posyandu Kecamatan Ciruas",
                    datetime.date(2022, 10, 31),
                    True,
                ),
            ),
        ),
        DemoParty(
            UNTIRTA,
            R.IMPLEMENTER,
            SIGN_UNTIRTA,
            (
                ob("Menyusun modul pelatihan kader posyandu", datetime.date(2022, 6, 30), True),
                ob(
                    "Menempatkan mahasiswa kepaniteraan klinik kedokteran komunitas di Puskesmas Ciruas setiap semester",
                    datetime.date(2024, 6, 30),
                    True,
                ),
                ob("Menyampaikan laporan evaluasi akhir kerja sama", datetime.date(2024, 9, 30)),
            ),
        ),
        DemoParty(
            PKM_CIRUAS,
            R.IMPLEMENTER,
            SIGN_PKM_CIRUAS,
            (ob("Menyediakan pembimbing lapangan dan wahana praktik kedokteran komunitas"),),
        ),
        DemoParty(
            KADER_CIRUAS,
            R.COMMUNITY_REPRESENTATIVE,
            SIGN_KADER,
            (
                ob(
                    "Menerapkan pemantauan pertumbuhan balita sesuai modul di setiap posyandu",
                    datetime.date(2023, 12, 31),
                    True,
                ),
            ),
        ),
    )

    return [
        # --- provider–provider ---------------------------------------------------------------
        DemoAgreement(
            number=f"445/017/PKS/Dinkes/{y - 1}",
            title="Rujukan Berjenjang dan Program Rujuk Balik RSUD dr. Dradjat Prawiranegara – UPT Puskesmas Ciruas",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PROVIDER_PROVIDER,
            status=S.ACTIVE,
            objective=(
                "Menjamin kesinambungan pelayanan pasien melalui sistem rujukan berjenjang dari UPT Puskesmas "
                "Ciruas ke RSUD dr. Dradjat Prawiranegara dan rujuk balik pasien penyakit kronis yang telah "
                "stabil ke puskesmas, sehingga pasien mendapatkan pelayanan yang tepat waktu dan bermutu serta "
                "tidak terjadi duplikasi pemeriksaan."
            ),
            scope=(
                "1. Rujukan pasien gawat darurat, maternal-neonatal, dan rawat jalan spesialistik dari "
                "Puskesmas Ciruas melalui aplikasi SISRUTE disertai surat rujukan dan resume medis.\n"
                "2. Rujuk balik pasien hipertensi, diabetes melitus, dan penyakit kronis lain yang telah stabil "
                "dengan surat rujuk balik (SRB) dan rencana terapi.\n"
                "3. Telekonsultasi dokter puskesmas kepada dokter spesialis RSUD.\n"
                "4. Umpan balik rujukan dan audit rujukan maternal-neonatal bersama setiap triwulan.\n"
                "5. Peningkatan kapasitas tenaga kesehatan puskesmas dalam penanganan kegawatdaruratan."
            ),
            financing_summary=(
                "Pelayanan peserta JKN dibiayai BPJS Kesehatan: kapitasi JKN di Puskesmas Ciruas dan tarif "
                "INA-CBG di RSUD. Pasien non-JKN membayar sesuai Peraturan Bupati tentang tarif layanan BLUD. "
                "Audit rujukan dan pelatihan dibiayai BLUD RSUD dr. Dradjat Prawiranegara dan BLUD Puskesmas "
                "Ciruas masing-masing sesuai RBA tahun berjalan; tidak ada pengalihan dana antar-pihak."
            ),
            reporting_duty=(
                "Puskesmas Ciruas menyampaikan rekapitulasi rujukan keluar dan rujuk balik yang diterima "
                "setiap bulan paling lambat tanggal 10 bulan berikutnya; RSUD menyampaikan rekapitulasi umpan "
                "balik rujukan pada periode yang sama. Laporan evaluasi bersama disampaikan kepada Kepala Dinas "
                "Kesehatan Kabupaten Serang setiap triwulan."
            ),
            regions=("36.04.09",),
            signed_on=d(-1, 1, 20),
            starts_on=d(-1, 2, 1),
            ends_on=d(1, 12, 31),
            parties=(
                DemoParty(
                    RSUD,
                    R.LEAD,
                    SIGN_DIREKTUR_RSUD,
                    (
                        ob(
                            "Menjawab setiap rujukan melalui SISRUTE paling lama 1×24 jam dan mengirim umpan balik rujukan"
                        ),
                        ob(
                            "Melatih 10 tenaga kesehatan Puskesmas Ciruas dalam penanganan kegawatdaruratan maternal-neonatal",
                            d(-1, 9, 30),
                            True,
                        ),
                        ob("Menyelenggarakan audit rujukan maternal-neonatal bersama triwulan IV", d(0, 12, 15)),
                    ),
                ),
                DemoParty(
                    PKM_CIRUAS,
                    R.IMPLEMENTER,
                    SIGN_PKM_CIRUAS,
                    (
                        ob("Merujuk pasien sesuai indikasi medis dan kompetensi FKTP melalui SISRUTE"),
                        ob("Melanjutkan terapi pasien rujuk balik sesuai SRB dan menyediakan obat PRB"),
                        ob("Menyampaikan rekapitulasi rujukan semester I", d(0, 7, 10), True),
                    ),
                ),
            ),
        ),
        DemoAgreement(
            number=f"445/118/PKS/Dinkes/{y}",
            title="Pemeriksaan Spesimen Dahak Terduga Tuberkulosis oleh Labkesda bagi Puskesmas Ciruas, Kramatwatu, dan Cikande",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PROVIDER_PROVIDER,
            status=S.PROPOSED,
            objective=(
                "Mempercepat penegakan diagnosis tuberkulosis (TBC) melalui pemeriksaan Tes Cepat Molekuler "
                "(TCM) dan mikroskopis spesimen dahak terduga TBC dari puskesmas, dengan hasil tersedia paling "
                "lama 2 (dua) hari kerja, untuk mendukung pencapaian SPM pelayanan orang dengan terduga TBC."
            ),
            scope=(
                "1. Pengambilan, pengemasan tiga lapis (triple packaging), dan pengiriman spesimen dahak dari "
                "puskesmas ke Labkesda sesuai standar keamanan hayati.\n"
                "2. Pemeriksaan TCM dan mikroskopis BTA oleh Labkesda serta pengiriman hasil melalui Sistem "
                "Informasi Tuberkulosis (SITB).\n"
                "3. Pemantapan mutu eksternal (uji silang) sediaan mikroskopis puskesmas.\n"
                "4. Pencatatan dan pelaporan hasil pemeriksaan di SITB."
            ),
            financing_summary=(
                "Kartrid TCM dan bahan pemeriksaan dibiayai APBD Kabupaten Serang melalui DPA Dinas Kesehatan "
                "(program penanggulangan TBC) dan logistik program nasional; transportasi spesimen dibiayai BLUD "
                "masing-masing puskesmas. Pemeriksaan tidak dipungut biaya dari pasien."
            ),
            reporting_duty=(
                "Labkesda mengunggah hasil pemeriksaan ke SITB paling lama 2 hari kerja sejak spesimen diterima "
                "dan menyampaikan rekapitulasi bulanan (jumlah spesimen, hasil positif, spesimen ditolak) kepada "
                "puskesmas pengirim dan Dinas Kesehatan paling lambat tanggal 10 bulan berikutnya."
            ),
            regions=("36.04.09", "36.04.05", "36.04.15"),
            starts_on=d(1, 1, 1),
            ends_on=d(2, 12, 31),
            parties=(
                DemoParty(
                    LABKESDA,
                    R.LEAD,
                    SIGN_LABKESDA,
                    (
                        ob("Menyediakan pot dahak dan wadah pengiriman spesimen bagi ketiga puskesmas", d(1, 1, 15)),
                        ob("Mengunggah hasil TCM dan mikroskopis ke SITB paling lama 2 hari kerja"),
                    ),
                ),
                DemoParty(
                    PKM_CIRUAS,
                    R.IMPLEMENTER,
                    SIGN_PKM_CIRUAS,
                    (ob("Mengirim spesimen dahak terduga TBC ke Labkesda paling lambat 1 hari setelah pengambilan"),),
                ),
                DemoParty(
                    PKM_KRAMATWATU,
                    R.IMPLEMENTER,
                    SIGN_PKM_KRAMATWATU,
                    (ob("Mengirim spesimen dahak terduga TBC ke Labkesda paling lambat 1 hari setelah pengambilan"),),
                ),
                DemoParty(
                    PKM_CIKANDE,
                    R.IMPLEMENTER,
                    SIGN_PKM_CIKANDE,
                    (
                        ob("Menunjuk petugas laboratorium penanggung jawab pengiriman spesimen", d(1, 1, 10)),
                        ob("Mengirim spesimen dahak terduga TBC ke Labkesda paling lambat 1 hari setelah pengambilan"),
                    ),
                ),
            ),
        ),
        # --- public–private ------------------------------------------------------------------
        DemoAgreement(
            number=f"445/031/PKS/Dinkes/{y - 1}",
            title="Imunisasi Kejar Anak Balita di Kecamatan Anyar melalui Dana TJSL PT Krakatau Sejahtera",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PUBLIC_PRIVATE,
            status=S.ACTIVE,
            objective=(
                "Meningkatkan cakupan imunisasi dasar lengkap dan imunisasi lanjutan di wilayah kerja UPT "
                "Puskesmas Anyar melalui imunisasi kejar bagi anak usia di bawah lima tahun yang belum atau "
                "tidak lengkap status imunisasinya, agar masyarakat memperoleh informasi yang jelas tentang "
                "pentingnya imunisasi serta akses mudah untuk mendapatkan vaksin tanpa biaya."
            ),
            scope=(
                "1. Pendataan sasaran anak yang belum lengkap imunisasinya bersama kader posyandu di 12 desa "
                "Kecamatan Anyar.\n"
                "2. Sweeping dan pos imunisasi kejar di posyandu, PAUD, dan balai desa.\n"
                "3. Penguatan rantai dingin (vaccine carrier dan cold box) dan transportasi petugas ke desa "
                "sulit dijangkau.\n"
                "4. Komunikasi, informasi, dan edukasi (KIE) kepada orang tua dan tokoh masyarakat.\n"
                "5. Pencatatan hasil imunisasi pada aplikasi ASIK."
            ),
            financing_summary=tjsl_financing.format(amount="350.000.000", words="tiga ratus lima puluh juta rupiah"),
            reporting_duty=(
                "Puskesmas Anyar melaporkan cakupan imunisasi kejar per desa setiap bulan kepada Dinas Kesehatan. "
                "Dinas Kesehatan menyampaikan laporan kemajuan program dan realisasi pemanfaatan dana TJSL kepada "
                "PT Krakatau Sejahtera setiap triwulan, serta laporan akhir dengan dokumentasi paling lambat 30 "
                "hari kalender setelah Perjanjian berakhir."
            ),
            regions=("36.04.30",),
            signed_on=d(-1, 3, 10),
            starts_on=d(-1, 4, 1),
            ends_on=d(0, 12, 31),
            parties=(
                DemoParty(
                    DINKES,
                    R.LEAD,
                    SIGN_KADINKES,
                    (
                        ob("Menjamin ketersediaan vaksin dan logistik imunisasi program bagi Puskesmas Anyar"),
                        ob(
                            "Menyampaikan laporan realisasi pemanfaatan dana TJSL triwulan III kepada PT Krakatau Sejahtera",
                            d(0, 10, 15),
                        ),
                    ),
                ),
                DemoParty(
                    KRAKATAU,
                    R.FUNDER,
                    SIGN_KRAKATAU,
                    (
                        ob(
                            "Menyerahkan 20 unit vaccine carrier dan 4 unit cold box kepada Puskesmas Anyar",
                            d(-1, 6, 30),
                            True,
                        ),
                        ob(
                            "Menyalurkan dukungan transportasi petugas dan konsumsi kader sesuai rencana kerja tahunan",
                            d(0, 3, 31),
                            True,
                        ),
                    ),
                ),
                DemoParty(
                    DESA_ANYAR,
                    R.FUNDER,
                    SIGN_KADES_ANYAR,
                    (
                        ob(
                            "Menganggarkan transport kader dan konsumsi pos imunisasi kejar Desa Anyar dalam APBDes",
                            d(0, 1, 31),
                            True,
                        ),
                        ob("Menyediakan balai desa sebagai pos imunisasi kejar setiap hari Sabtu"),
                    ),
                ),
                DemoParty(
                    PKM_ANYAR,
                    R.IMPLEMENTER,
                    SIGN_PKM_ANYAR,
                    (
                        ob("Melaksanakan sweeping imunisasi kejar di seluruh 12 desa Kecamatan Anyar", d(0, 12, 31)),
                        ob("Melaporkan cakupan imunisasi kejar per desa setiap bulan melalui ASIK"),
                    ),
                ),
            ),
            amendment=DemoAmendment(
                signed_on=today - datetime.timedelta(days=21),
                effective_on=today - datetime.timedelta(days=21),
                summary=(
                    f"Perpanjangan jangka waktu sampai 31 Desember {y + 1} dan penambahan dana TJSL menjadi "
                    "Rp475.000.000 untuk memperluas sasaran ke imunisasi lanjutan baduta."
                ),
                new_terms={
                    "ends_on": d(1, 12, 31),
                    "financing_summary": tjsl_financing.format(
                        amount="475.000.000", words="empat ratus tujuh puluh lima juta rupiah"
                    ),
                },
            ),
        ),
        DemoAgreement(
            number=f"445/004/PKS/Dinkes/{prolanis_signed.year}",
            title="Penyelenggaraan Program Pengelolaan Penyakit Kronis (Prolanis) Diabetes Melitus dan Hipertensi",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PUBLIC_PRIVATE,
            status=S.ACTIVE,
            objective=(
                "Meningkatkan kualitas hidup peserta JKN penyandang diabetes melitus tipe 2 dan hipertensi melalui "
                "pengelolaan penyakit kronis yang terintegrasi antara FKTP, rumah sakit, BPJS Kesehatan, dan Dinas "
                "Kesehatan, dengan sasaran meningkatnya Rasio Peserta Prolanis Terkendali (RPPT) pada kapitasi "
                "berbasis kinerja."
            ),
            scope=(
                "1. Pendaftaran dan pemetaan peserta Prolanis DM dan HT di Puskesmas Ciruas dan Klinik Pratama "
                "Medika Cikande.\n"
                "2. Klub Prolanis bulanan: edukasi, senam, konsultasi medis, dan pemantauan status kesehatan.\n"
                "3. Pemeriksaan penunjang berkala (gula darah, HbA1c, profil lipid, fungsi ginjal) sesuai panduan "
                "Prolanis.\n"
                "4. Program Rujuk Balik (PRB) dari RSUD dr. Dradjat Prawiranegara ke FKTP.\n"
                "5. Pertukaran data peserta dengan memperhatikan pelindungan data pribadi (UU 27/2022)."
            ),
            financing_summary=(
                "Pelayanan Prolanis di FKTP dibiayai dana kapitasi JKN (kapitasi berbasis kinerja), sedangkan "
                "pemeriksaan penunjang Prolanis dibayar BPJS Kesehatan sebagai klaim non-kapitasi; pelayanan "
                "rujukan di RSUD dibayar dengan tarif INA-CBG. Pembinaan, supervisi, dan rapat koordinasi "
                "dibiayai APBD melalui DPA Dinas Kesehatan. Peserta tidak dipungut biaya."
            ),
            reporting_duty=(
                "FKTP menginput kegiatan klub dan hasil pemeriksaan peserta Prolanis di aplikasi P-Care setiap "
                "pelayanan. BPJS Kesehatan menyampaikan umpan balik capaian RPPT setiap bulan kepada FKTP dan "
                "Dinas Kesehatan. Rapat evaluasi bersama diselenggarakan setiap triwulan dan laporan tahunan "
                "disampaikan kepada Kepala Dinas Kesehatan dan Kepala Kantor Cabang."
            ),
            termination_clause=termination_clause(
                extra=(
                    "Keikutsertaan FKTP berakhir dengan sendirinya apabila perjanjian kerja sama FKTP tersebut "
                    "dengan BPJS Kesehatan berakhir atau hasil kredensialing ulang tidak memenuhi persyaratan."
                )
            ),
            regions=("36.04",),
            signed_on=prolanis_signed,
            starts_on=prolanis_starts,
            ends_on=prolanis_ends,
            parties=(
                DemoParty(
                    BPJS,
                    R.FUNDER,
                    SIGN_BPJS,
                    (
                        ob(
                            "Membayar klaim pemeriksaan penunjang Prolanis paling lambat 15 hari kerja sejak berkas lengkap"
                        ),
                        ob("Menyampaikan umpan balik capaian RPPT bulanan kepada FKTP dan Dinas Kesehatan"),
                    ),
                ),
                DemoParty(
                    DINKES,
                    R.FACILITATOR,
                    SIGN_KADINKES,
                    (
                        ob(
                            "Melaksanakan supervisi klub Prolanis di FKTP",
                            prolanis_starts + datetime.timedelta(days=180),
                            True,
                        ),
                        ob(
                            "Menyusun laporan evaluasi akhir kerja sama sebagai bahan perpanjangan",
                            prolanis_ends - datetime.timedelta(days=14),
                        ),
                    ),
                ),
                DemoParty(
                    RSUD,
                    R.IMPLEMENTER,
                    SIGN_DIREKTUR_RSUD,
                    (ob("Menerbitkan surat rujuk balik bagi pasien DM dan HT yang telah stabil"),),
                ),
                DemoParty(
                    PKM_CIRUAS,
                    R.IMPLEMENTER,
                    SIGN_PKM_CIRUAS,
                    (ob("Menyelenggarakan klub Prolanis setiap bulan dan pemeriksaan HbA1c setiap 6 bulan"),),
                ),
                DemoParty(
                    KLINIK,
                    R.IMPLEMENTER,
                    SIGN_KLINIK,
                    (ob("Menyelenggarakan klub Prolanis setiap bulan dan menginput hasilnya di P-Care"),),
                ),
            ),
        ),
        DemoAgreement(
            number=f"445/046/PKS/PKM-Cikande/{y - 1}",
            title="Jejaring Layanan Tuberkulosis Fasilitas Swasta (DPPM) Puskesmas Cikande – Klinik Pratama Medika Cikande",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PUBLIC_PRIVATE,
            status=S.SUSPENDED,
            objective=(
                "Memperluas penemuan dan pengobatan kasus TBC di kawasan industri Cikande dengan melibatkan klinik "
                "swasta dalam jejaring layanan TBC (District-based Public-Private Mix/DPPM), sehingga setiap "
                "terduga TBC yang datang ke klinik diperiksa, diobati sesuai standar, dan tercatat di SITB."
            ),
            scope=(
                "1. Penjaringan terduga TBC pada pekerja dan keluarganya oleh Klinik Pratama Medika Cikande.\n"
                "2. Rujukan spesimen dahak dari klinik ke Puskesmas Cikande untuk pemeriksaan TCM.\n"
                "3. Pengobatan pasien TBC sensitif obat di klinik dengan OAT program melalui Puskesmas Cikande.\n"
                "4. Pelacakan pasien mangkir dan investigasi kontak bersama puskesmas.\n"
                "5. Pencatatan dan pelaporan kasus di SITB."
            ),
            financing_summary=(
                "Pelayanan peserta JKN di klinik dibiayai kapitasi JKN klinik; OAT dan logistik laboratorium "
                "disediakan program TBC pemerintah (APBN/APBD) tanpa biaya melalui Puskesmas Cikande; "
                "transportasi spesimen dibiayai BLUD Puskesmas Cikande. Tidak ada pembayaran antar-pihak."
            ),
            reporting_duty=(
                "Klinik melaporkan terduga dan pasien TBC yang ditemukan serta diobati melalui SITB setiap bulan "
                "paling lambat tanggal 5 bulan berikutnya. Puskesmas Cikande memvalidasi data dan melaporkan "
                "kinerja jejaring DPPM kepada Dinas Kesehatan setiap triwulan."
            ),
            regions=("36.04.15",),
            signed_on=d(-1, 6, 12),
            starts_on=d(-1, 7, 1),
            ends_on=d(1, 6, 30),
            suspend_reason=(
                "Klinik tidak melaporkan kasus TBC ke SITB selama dua triwulan berturut-turut dan izin "
                "operasional klinik sedang dalam proses perpanjangan di DPMPTSP Kabupaten Serang. Kerja sama "
                "dihentikan sementara sampai izin terbit dan pelaporan dipulihkan."
            ),
            parties=(
                DemoParty(
                    PKM_CIKANDE,
                    R.LEAD,
                    SIGN_PKM_CIKANDE,
                    (
                        ob(
                            "Melatih dokter dan perawat klinik tentang tata laksana TBC dan pelaporan SITB",
                            d(-1, 8, 31),
                            True,
                        ),
                        ob("Menyediakan OAT program dan pot dahak bagi klinik"),
                    ),
                ),
                DemoParty(
                    KLINIK,
                    R.IMPLEMENTER,
                    SIGN_KLINIK,
                    (
                        ob("Melengkapi laporan kasus TBC triwulan I dan II di SITB", d(0, 7, 15)),
                        ob("Menyampaikan salinan izin operasional klinik yang telah diperpanjang", d(0, 12, 31)),
                    ),
                ),
            ),
        ),
        # --- provider–community --------------------------------------------------------------
        DemoAgreement(
            number=f"445/058/PKS/Dinkes/{y - 1}",
            title="Penemuan Kasus Tuberkulosis Berbasis Masyarakat melalui Skrining oleh Kader di Kecamatan Ciruas",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PROVIDER_COMMUNITY,
            status=S.ACTIVE,
            objective=(
                "Meningkatkan penemuan kasus TBC secara aktif melalui skrining gejala dan investigasi kontak "
                "serumah oleh kader kesehatan di masing-masing desa, serta pendampingan pasien hingga sembuh, "
                "untuk mendukung eliminasi TBC di Kabupaten Serang."
            ),
            scope=(
                "1. Pelatihan kader posyandu sebagai kader TBC: skrining gejala, investigasi kontak, dan etika "
                "pendampingan pasien.\n"
                "2. Skrining gejala TBC dari rumah ke rumah dan pada hari buka posyandu di 15 desa Kecamatan "
                "Ciruas.\n"
                "3. Pengumpulan dan pengantaran pot dahak terduga TBC ke Puskesmas Ciruas.\n"
                "4. Investigasi kontak serumah pasien TBC terkonfirmasi dan rujukan kontak bergejala.\n"
                "5. Pendampingan minum obat dan pelacakan pasien mangkir.\n"
                "6. Penyuluhan kesehatan di tingkat desa untuk mengurangi stigma TBC."
            ),
            financing_summary=(
                "Transport kader dan konsumsi pertemuan dibiayai BLUD Puskesmas Ciruas dan dana Bantuan "
                "Operasional Kesehatan (BOK); pelatihan kader dan insentif penemuan kasus dibiayai Yayasan Peduli "
                "TBC Banten dari dana hibah program TBC yang dikelolanya; kader berkontribusi secara swadaya "
                "(waktu dan tenaga) dengan dukungan Dana Desa untuk kegiatan posyandu."
            ),
            reporting_duty=(
                "Kader menyerahkan formulir hasil skrining kepada pengelola program TBC Puskesmas Ciruas setiap "
                "minggu. Yayasan Peduli TBC Banten merekap investigasi kontak dan pendampingan pasien setiap "
                "bulan. Puskesmas Ciruas melaporkan capaian penemuan kasus kepada Dinas Kesehatan setiap triwulan."
            ),
            regions=("36.04.09",),
            signed_on=d(-1, 8, 19),
            starts_on=d(-1, 9, 1),
            ends_on=d(1, 8, 31),
            parties=(
                DemoParty(
                    PKM_CIRUAS,
                    R.LEAD,
                    SIGN_PKM_CIRUAS,
                    (
                        ob(
                            "Memeriksa spesimen dahak kiriman kader dan memberikan umpan balik hasil paling lama 2 hari kerja"
                        ),
                        ob("Menyelenggarakan pertemuan evaluasi kader TBC semester II", d(0, 12, 20)),
                    ),
                ),
                DemoParty(
                    KADER_CIRUAS,
                    R.COMMUNITY_REPRESENTATIVE,
                    SIGN_KADER,
                    (
                        ob("Melakukan skrining gejala TBC di seluruh posyandu Kecamatan Ciruas minimal sebulan sekali"),
                        ob(
                            "Melaksanakan investigasi kontak serumah paling lambat 2 minggu setelah pasien terdiagnosis"
                        ),
                    ),
                ),
                DemoParty(
                    YAYASAN_TBC,
                    R.FACILITATOR,
                    SIGN_YAYASAN,
                    (
                        ob("Melatih 40 kader TBC di Kecamatan Ciruas", d(-1, 10, 31), True),
                        ob("Menyediakan insentif penemuan kasus dan pendampingan pasien bagi kader"),
                        ob("Menyampaikan laporan semester I pendampingan pasien", d(0, 7, 15), True),
                    ),
                ),
            ),
        ),
        DemoAgreement(
            number=f"445/121/PKS/Dinkes/{y}",
            title="Pembinaan Usaha Kesehatan Sekolah (UKS) di SD Negeri Kramatwatu 2 dan SMP Negeri 1 Ciruas",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PROVIDER_COMMUNITY,
            status=S.DRAFT,
            objective=(
                "Meningkatkan derajat kesehatan peserta didik melalui Trias UKS (pendidikan kesehatan, pelayanan "
                "kesehatan, dan pembinaan lingkungan sekolah sehat) dan memenuhi SPM pelayanan kesehatan usia "
                "pendidikan dasar, dengan menjadikan anak-anak sebagai agen perubahan pola hidup sehat di "
                "keluarga dan lingkungannya."
            ),
            scope=(
                "1. Penjaringan kesehatan peserta didik kelas 1 dan kelas 7 serta pemeriksaan berkala kelas lain.\n"
                "2. Bulan Imunisasi Anak Sekolah (BIAS).\n"
                "3. Pembinaan dokter kecil dan kader kesehatan remaja.\n"
                "4. Penyuluhan gizi seimbang, cuci tangan pakai sabun, kesehatan reproduksi remaja, dan "
                "pencegahan perundungan.\n"
                "5. Pemberian tablet tambah darah bagi siswi SMP.\n"
                "6. Pembinaan kantin sehat dan kawasan sekolah tanpa rokok."
            ),
            financing_summary=(
                "Pelayanan kesehatan dibiayai BLUD Puskesmas Kramatwatu dan BLUD Puskesmas Ciruas serta dana BOK; "
                "sekolah menganggarkan kegiatan UKS dalam RKAS dari Dana BOS; vaksin BIAS dan tablet tambah darah "
                "disediakan program pemerintah (APBN/APBD); komite sekolah dapat berkontribusi secara swadaya."
            ),
            reporting_duty=(
                "Puskesmas menyampaikan hasil penjaringan kesehatan kepada sekolah dan orang tua paling lambat 1 "
                "bulan setelah pemeriksaan dan melaporkan cakupan SPM usia pendidikan dasar kepada Dinas Kesehatan "
                "setiap semester. Sekolah melaporkan kegiatan UKS kepada Tim Pembina UKS Kecamatan setiap semester."
            ),
            regions=("36.04.05", "36.04.09"),
            starts_on=d(1, 1, 1),
            ends_on=d(2, 12, 31),
            parties=(
                DemoParty(
                    PKM_KRAMATWATU,
                    R.LEAD,
                    SIGN_PKM_KRAMATWATU,
                    (
                        ob(
                            "Melaksanakan penjaringan kesehatan peserta didik kelas 1 SD Negeri Kramatwatu 2",
                            d(1, 8, 31),
                        ),
                    ),
                ),
                DemoParty(
                    PKM_CIRUAS,
                    R.IMPLEMENTER,
                    SIGN_PKM_CIRUAS,
                    (
                        ob(
                            "Melaksanakan penjaringan kesehatan kelas 7 dan pemberian tablet tambah darah di SMP Negeri 1 Ciruas",
                            d(1, 8, 31),
                        ),
                    ),
                ),
                DemoParty(
                    SDN_KRAMATWATU2,
                    R.IMPLEMENTER,
                    SIGN_SDN2,
                    (ob("Membentuk dan membina paling sedikit 10 dokter kecil", d(1, 3, 31)),),
                ),
                DemoParty(
                    SMPN1_CIRUAS,
                    R.IMPLEMENTER,
                    SIGN_SMPN1,
                    (
                        ob("Menganggarkan kegiatan UKS dalam RKAS dari Dana BOS", d(1, 1, 31)),
                        ob("Menyediakan ruang UKS dengan perlengkapan P3K dan timbangan", d(1, 6, 30)),
                    ),
                ),
            ),
        ),
        # --- patient–provider ----------------------------------------------------------------
        DemoAgreement(
            number=f"445/072/PKS/RSUD-DP/{y - 1}",
            title="Forum Penasihat Pasien Diabetes Melitus RSUD dr. Dradjat Prawiranegara",
            kind=Agreement.Kind.PKS,
            partnership_type=T.PATIENT_PROVIDER,
            status=S.ACTIVE,
            objective=(
                "Melibatkan pasien diabetes melitus dalam perbaikan mutu pelayanan RSUD dr. Dradjat Prawiranegara "
                "melalui forum penasihat pasien, agar pelayanan berpusat pada pasien, keluhan ditindaklanjuti, dan "
                "pasien terlibat dalam pengambilan keputusan tentang perawatan mereka."
            ),
            scope=(
                "1. Pembentukan Forum Penasihat Pasien beranggotakan 7 perwakilan kelompok pasien serta perwakilan "
                "manajemen, Komite Mutu, dan poliklinik penyakit dalam.\n"
                "2. Pertemuan forum setiap triwulan membahas hasil survei kepuasan, keluhan, dan alur pelayanan "
                "poliklinik penyakit dalam, farmasi, dan program rujuk balik.\n"
                "3. Edukasi sebaya oleh anggota kelompok bagi pasien baru diabetes di ruang tunggu poliklinik.\n"
                "4. Pelibatan perwakilan pasien dalam penyusunan materi edukasi dan uji coba perubahan alur layanan.\n"
                "5. Penjagaan kerahasiaan data pasien yang dibahas dalam forum."
            ),
            financing_summary=(
                "Konsumsi pertemuan, materi edukasi, dan pelatihan edukator sebaya dibiayai BLUD RSUD dr. Dradjat "
                "Prawiranegara sesuai RBA tahun berjalan, termasuk penggantian transport perwakilan pasien sesuai "
                "standar biaya BLUD; anggota kelompok pasien berpartisipasi secara sukarela dan swadaya."
            ),
            reporting_duty=(
                "RSUD menyusun notulen dan rencana tindak lanjut setiap pertemuan forum dan menyampaikannya kepada "
                "kelompok pasien paling lambat 14 hari setelah pertemuan. Laporan tindak lanjut rekomendasi forum "
                "disampaikan kepada Direktur dan Komite Mutu setiap semester dengan tembusan Dinas Kesehatan."
            ),
            regions=("36.04",),
            signed_on=d(-1, 10, 14),
            starts_on=d(-1, 11, 1),
            ends_on=d(1, 10, 31),
            parties=(
                DemoParty(
                    RSUD,
                    R.LEAD,
                    SIGN_WADIR_RSUD,
                    (
                        ob("Melatih 10 anggota kelompok sebagai edukator sebaya", d(0, 3, 31), True),
                        ob(
                            "Menindaklanjuti rekomendasi forum tentang waktu tunggu pelayanan farmasi",
                            d(0, 9, 30),
                            True,
                        ),
                        ob("Menyelenggarakan pertemuan forum penasihat pasien triwulan IV", d(0, 12, 10)),
                    ),
                ),
                DemoParty(
                    PASIEN_DM,
                    R.BENEFICIARY_REPRESENTATIVE,
                    SIGN_PASIEN,
                    (
                        ob("Menunjuk 7 perwakilan pasien sebagai anggota forum", d(-1, 11, 30), True),
                        ob(
                            "Menjadwalkan edukator sebaya di ruang tunggu poliklinik penyakit dalam dua hari setiap minggu"
                        ),
                    ),
                ),
            ),
        ),
        # --- an expired MoU (2022–2024) and its renewal in draft -----------------------------
        # A university is neither a provider nor private, so the MoU brings in Puskesmas Ciruas
        # (practice site) and the Ciruas cadres: provider–community.
        DemoAgreement(
            number="445/009/NK/Dinkes/2022",
            title="Nota Kesepahaman Peningkatan Kapasitas Kader Posyandu dan Pendidikan Kedokteran Berbasis Komunitas",
            kind=Agreement.Kind.MOU,
            partnership_type=T.PROVIDER_COMMUNITY,
            status=S.EXPIRED,
            objective=(
                "Meningkatkan kompetensi kader posyandu di Kecamatan Ciruas melalui program pelatihan kolaboratif "
                "antara pemerintah daerah dan Fakultas Kedokteran Universitas Sultan Ageng Tirtayasa, dengan "
                "melibatkan mahasiswa dan tenaga kesehatan dalam kegiatan praktik dan penelitian di Puskesmas Ciruas."
            ),
            scope=(
                "1. Pelatihan kader posyandu tentang pemantauan pertumbuhan balita, deteksi dini stunting, dan "
                "penyuluhan gizi.\n"
                "2. Penempatan mahasiswa kepaniteraan klinik kedokteran komunitas di Puskesmas Ciruas dengan "
                "pendampingan kader.\n"
                "3. Penelitian operasional bersama tentang kinerja posyandu.\n"
                "4. Penyusunan modul pelatihan kader."
            ),
            financing_summary=(
                "Nota Kesepahaman ini tidak menimbulkan kewajiban pembayaran antar-pihak. Pelatihan kader dibiayai "
                "APBD Kabupaten Serang melalui DPA Dinas Kesehatan dan dana pengabdian kepada masyarakat FK "
                "Untirta; kader berpartisipasi secara swadaya."
            ),
            reporting_duty=(
                "FK Untirta dan Puskesmas Ciruas menyampaikan laporan pelaksanaan kegiatan setiap semester kepada "
                "Dinas Kesehatan; laporan evaluasi akhir disampaikan paling lambat 3 bulan sebelum Nota "
                "Kesepahaman berakhir sebagai bahan pertimbangan perpanjangan."
            ),
            dispute_settlement=dispute_settlement("Nota Kesepahaman"),
            termination_clause=termination_clause("Nota Kesepahaman"),
            regions=("36.04.09",),
            signed_on=datetime.date(2022, 3, 14),
            starts_on=datetime.date(2022, 4, 1),
            ends_on=datetime.date(2024, 12, 31),
            activated_on=datetime.date(2022, 4, 1),
            parties=mou_parties,
            renewal=DemoRenewal(
                reason=(
                    "Perpanjangan berdasarkan evaluasi bersama: cakupan diperluas ke pelatihan kader Integrasi "
                    "Layanan Primer (ILP) untuk semua siklus hidup dan skrining TBC."
                ),
                title=(
                    "Nota Kesepahaman Peningkatan Kapasitas Kader Posyandu dan Pendidikan Kedokteran Berbasis "
                    "Komunitas (Perpanjangan)"
                ),
                scope=(
                    "1. Pelatihan kader posyandu Integrasi Layanan Primer (ILP) untuk semua siklus hidup, termasuk "
                    "deteksi dini stunting, skrining penyakit tidak menular, dan skrining gejala TBC.\n"
                    "2. Penempatan mahasiswa kepaniteraan klinik kedokteran komunitas di Puskesmas Ciruas dengan "
                    "pendampingan kader.\n"
                    "3. Penelitian operasional bersama tentang kinerja posyandu ILP.\n"
                    "4. Pemutakhiran modul pelatihan kader."
                ),
                starts_on=d(1, 1, 1),
                ends_on=d(3, 12, 31),
                parties=tuple(
                    DemoParty(p.organization, p.role, SIGN_KADINKES if p.organization == DINKES else p.signatory)
                    for p in mou_parties
                ),
            ),
        ),
    ]


# --- seeding -------------------------------------------------------------------------------


def seed_serang_agreements(tenant: Tenant, *, today: datetime.date | None = None) -> int:
    """Create the Serang demo agreements that do not exist yet; returns how many were created.
    Runs inside the tenant's scope."""
    today = today or timezone.localdate()
    actor = User.objects.filter(email=DEMO_ACTOR_EMAIL).first()
    organizations = {o.name: o for o in Organization.objects.all()}
    created = 0
    for spec in demo_agreements(today):
        agreement = Agreement.objects.filter(Q(number=spec.number) | Q(title=spec.title)).first()
        if agreement is None:
            agreement = _seed_agreement(tenant, actor, spec, organizations, today)
            created += 1
        if spec.renewal and agreement.status == S.EXPIRED and not agreement.successors.exists():
            _seed_renewal(agreement, actor, spec.renewal, organizations)
            created += 1
    return created


def _party_data(parties: tuple[DemoParty, ...], organizations: dict[str, Organization]) -> list[services.PartyData]:
    return [
        services.PartyData(
            organization=organizations[p.organization],
            role=p.role,
            signatory_name=p.signatory[0],
            signatory_position=p.signatory[1],
        )
        for p in parties
    ]


def _seed_agreement(
    tenant: Tenant,
    actor: User | None,
    spec: DemoAgreement,
    organizations: dict[str, Organization],
    today: datetime.date,
) -> Agreement:
    document_word = "Nota Kesepahaman" if spec.kind == Agreement.Kind.MOU else "Perjanjian"
    agreement = services.agreement_create(
        tenant=tenant,
        actor=actor,
        parties=_party_data(spec.parties, organizations),
        regions=Region.objects.filter(code__in=spec.regions),
        number=spec.number,
        title=spec.title,
        kind=spec.kind,
        partnership_type=spec.partnership_type,
        objective=spec.objective,
        scope=spec.scope,
        financing_summary=spec.financing_summary,
        reporting_duty=spec.reporting_duty,
        dispute_settlement=spec.dispute_settlement or dispute_settlement(document_word),
        termination_clause=spec.termination_clause or termination_clause(document_word),
        signed_on=spec.signed_on,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
    )
    parties = {p.organization.name: p for p in agreement.parties.select_related("organization")}
    for demo_party in spec.parties:
        for demo_obligation in demo_party.obligations:
            obligation = services.obligation_create(
                party=parties[demo_party.organization],
                actor=actor,
                description=demo_obligation.description,
                due_on=demo_obligation.due_on,
            )
            if demo_obligation.done and demo_obligation.due_on and demo_obligation.due_on <= today:
                services.obligation_update(obligation=obligation, actor=actor, done_on=demo_obligation.due_on)

    if spec.status == S.DRAFT:
        return agreement
    agreement = services.agreement_propose(agreement=agreement, actor=actor)
    if spec.status == S.PROPOSED:
        return agreement

    document_upload(
        agreement=agreement,
        actor=actor,
        kind=Document.Kind.SIGNED,
        title=f"Naskah {document_word.lower()} bertanda tangan {spec.number}",
        name="nota-kesepahaman.pdf" if spec.kind == Agreement.Kind.MOU else "pks.pdf",
        content=_demo_pdf([f"{document_word} {spec.number}", spec.title, "Dokumen contoh MitraSehat (data demo)."]),
    )
    agreement = services.agreement_activate(agreement=agreement, actor=actor, today=spec.activated_on or today)
    if spec.amendment:
        amendment_document = document_upload(
            agreement=agreement,
            actor=actor,
            kind=Document.Kind.AMENDMENT,
            title=f"Adendum I {spec.number}",
            name="adendum-1.pdf",
            content=_demo_pdf([f"Adendum I {spec.number}", spec.amendment.summary]),
        )
        services.amendment_create(
            agreement=agreement,
            actor=actor,
            signed_on=spec.amendment.signed_on,
            effective_on=spec.amendment.effective_on,
            summary=spec.amendment.summary,
            new_terms=spec.amendment.new_terms,
            document=amendment_document,
        )
    if spec.status == S.SUSPENDED:
        agreement = services.agreement_suspend(agreement=agreement, actor=actor, reason=spec.suspend_reason)
    elif spec.status == S.EXPIRED:
        # Expiry is the daily job's step, so it carries no actor.
        agreement = services.agreement_expire(agreement=agreement, actor=None)
    return agreement


def _seed_renewal(
    agreement: Agreement, actor: User | None, renewal: DemoRenewal, organizations: dict[str, Organization]
) -> Agreement:
    successor = services.agreement_renew(agreement=agreement, actor=actor, reason=renewal.reason)
    return services.agreement_update(
        agreement=successor,
        actor=actor,
        parties=_party_data(renewal.parties, organizations),
        title=renewal.title,
        scope=renewal.scope,
        starts_on=renewal.starts_on,
        ends_on=renewal.ends_on,
    )


def serang_agreement_count() -> int:
    """How many agreements the Serang demo tenant has (0 before it exists), for the command."""
    tenant = Tenant.objects.filter(slug="serang").first()
    if tenant is None:
        return 0
    with tenant_scope(tenant):
        return Agreement.objects.count()


def _demo_pdf(lines: list[str]) -> bytes:
    """A small valid one-page PDF showing ``lines`` (standard Helvetica, so ASCII only)."""

    def escape(text: str) -> str:
        text = text.replace("—", "-").replace("–", "-").replace("×", "x")
        text = text.encode("ascii", "replace").decode("ascii")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(f"({escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")
