"""Demo joint programs for Kabupaten Serang, part of ``manage.py seed_demo``.

Under the active and suspended Serang agreements (see ``partnerships/demo.py``) this creates
seven programs with indicators, milestones, one target revision and about two years of
progress updates in every state: mostly approved, some late, a few returned (one of them in a
locked period that a manager reopened), a couple resubmitted and approved, the latest periods
submitted or in draft, and some periods never reported.

Every write goes through ``programs.services``; the services stamp submissions and reviews
with the current time, so the historical ``submitted_at``/``reviewed_at`` (and created/updated)
times are set afterwards in one ``bulk_update``, the way the reporting-rate tests do, so that
timeliness shows realistic figures.

Idempotent: a program whose name already exists in the tenant is skipped with all its
indicators, milestones and updates. Dates are counted from today; values come from a fixed
seed per program.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from organizations.models import Organization, Region, Tenant, User
from organizations.tenancy import tenant_scope
from partnerships.models import Agreement

from . import services
from .models import Frequency, Indicator, Milestone, Program, ProgressUpdate, ReportingPeriod

SEED = 3604  # the Kemendagri code of Kabupaten Serang

MANAGER_EMAIL = "manajer@serang.mitrasehat.id"
ADMIN_EMAIL = "admin@serang.mitrasehat.id"
COORDINATOR_EMAIL = "koordinator@serang.mitrasehat.id"

# Organization names and agreement titles exactly as organizations/demo.py and
# partnerships/demo.py create them.
DINKES = "Dinas Kesehatan Kabupaten Serang"
RSUD = "RSUD dr. Dradjat Prawiranegara"
PKM_CIRUAS = "Puskesmas Ciruas"
PKM_CIKANDE = "Puskesmas Cikande"
PKM_ANYAR = "Puskesmas Anyar"
KLINIK = "Klinik Pratama Medika Cikande"
YAYASAN_TBC = "Yayasan Peduli TBC Banten"  # the coordinator's organization
PASIEN_DM = "Kelompok Pasien Diabetes Prolanis Serang"

AGREEMENT_RUJUKAN = "Rujukan Berjenjang dan Program Rujuk Balik RSUD dr. Dradjat Prawiranegara – UPT Puskesmas Ciruas"
AGREEMENT_TJSL = "Imunisasi Kejar Anak Balita di Kecamatan Anyar melalui Dana TJSL PT Krakatau Sejahtera"
AGREEMENT_PROLANIS = "Penyelenggaraan Program Pengelolaan Penyakit Kronis (Prolanis) Diabetes Melitus dan Hipertensi"
AGREEMENT_DPPM = (
    "Jejaring Layanan Tuberkulosis Fasilitas Swasta (DPPM) Puskesmas Cikande – Klinik Pratama Medika Cikande"
)
AGREEMENT_TBC_KADER = "Penemuan Kasus Tuberkulosis Berbasis Masyarakat melalui Skrining oleh Kader di Kecamatan Ciruas"
AGREEMENT_FORUM_PASIEN = "Forum Penasihat Pasien Diabetes Melitus RSUD dr. Dradjat Prawiranegara"

K = Indicator.Kind
MONTHLY, QUARTERLY = Frequency.MONTHLY, Frequency.QUARTERLY
DOWN = Indicator.Direction.DOWN
HIGH, LOW = Indicator.Priority.HIGH, Indicator.Priority.LOW
U = ProgressUpdate.Status

RETURN_NOTES = (
    "Mohon lampirkan register kader sebagai bukti dukung.",
    "Angka belum sesuai dengan rekap di aplikasi, mohon dicek ulang.",
    "Penyebut berbeda dengan data sasaran Dinas Kesehatan tahun berjalan, mohon disesuaikan.",
    "Mohon lengkapi narasi kendala dan rencana tindak lanjut.",
    "Mohon lampirkan daftar hadir kegiatan dan dokumentasi.",
)
FIXES = (
    "Register kader telah dilampirkan.",
    "Angka telah disesuaikan dengan rekap aplikasi.",
    "Penyebut disesuaikan dengan data sasaran Dinas Kesehatan.",
    "Narasi kendala dan rencana tindak lanjut telah dilengkapi.",
    "Daftar hadir dan dokumentasi kegiatan telah dilampirkan.",
)


# --- specifications ------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """How an indicator's values move from the program's start to today, per organization:
    counts give the amount per period (cumulative ones add it to a running total starting at
    ``initial``), percentages the value, ratios the rate in percent with a denominator drawn
    from ``size``. ``yearly`` ratios count up within each calendar year (SPM style)."""

    start: float
    end: float
    size: tuple[int, int] = (0, 0)
    initial: int = 0
    yearly: bool = False
    narratives: tuple[str, ...] = ()
    dip: tuple[int, int, str] | None = None  # (period index, amount, explanation), first implementer


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    definition: str
    unit: str
    kind: str
    target: str
    story: Story
    baseline: str | None = None
    frequency: str = MONTHLY
    cumulative: bool = False
    direction: str = Indicator.Direction.UP
    priority: str = Indicator.Priority.MEDIUM
    data_source: str = ""
    verification: str = ""


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    days: int  # from the anchor
    anchor: str = "start"  # "start" or "end" of the program, or "today"
    done: int | None = None  # done this many days after the due date (negative: early)
    note: str = ""


@dataclass(frozen=True)
class DemoProgram:
    name: str
    theme: str
    agreement: str
    implementers: tuple[tuple[str, float], ...]  # organization, weight of its values
    regions: tuple[str, ...]
    description: str
    indicators: tuple[DemoIndicator, ...]
    milestones: tuple[DemoMilestone, ...]
    spm: tuple[tuple[int, Story], ...] = ()
    revision: tuple[str, str, str] | None = None  # indicator code, new target, reason
    reopen: tuple[str, str, str, str] | None = None  # organization, indicator code, note, reason
    silent_from: dict[str, datetime.date] = field(default_factory=dict)  # stops reporting from
    missing: dict[str, float] = field(default_factory=dict)  # chance a past period is never reported
    late: dict[str, float] = field(default_factory=dict)  # chance a report comes after due + grace


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month - (day.month - 1) % 3, 1)


def demo_programs(today: datetime.date) -> list[DemoProgram]:
    return [
        DemoProgram(
            name="Imunisasi Kejar Balita Kecamatan Anyar",
            theme=Program.Theme.IMUNISASI,
            agreement=AGREEMENT_TJSL,
            implementers=((PKM_ANYAR, 1.0),),
            regions=("36.04.30",),
            description=(
                "Imunisasi kejar bagi anak balita yang belum atau tidak lengkap status imunisasinya di 12 desa "
                "Kecamatan Anyar: pendataan sasaran bersama kader posyandu, sweeping dan pos imunisasi kejar di "
                "posyandu, PAUD dan balai desa, penguatan rantai dingin dari dana TJSL PT Krakatau Sejahtera, "
                "serta KIE kepada orang tua dan tokoh masyarakat. Vaksin disediakan Pemerintah tanpa biaya."
            ),
            indicators=(
                DemoIndicator(
                    "IMK-01",
                    "Anak balita yang dilengkapi imunisasinya melalui imunisasi kejar",
                    "Jumlah kumulatif anak usia 12–59 bulan yang belum atau tidak lengkap status imunisasinya dan "
                    "telah menerima seluruh dosis kejar sesuai jadwal, dihitung sejak awal program.",
                    "anak",
                    K.COUNT,
                    "600",
                    Story(
                        22,
                        40,
                        narratives=(
                            "Sweeping di posyandu dan PAUD berjalan sesuai jadwal; sasaran dicatat di ASIK.",
                            "Pos imunisasi kejar dibuka di balai desa pada hari Sabtu agar orang tua yang bekerja dapat hadir.",
                            "Kader mendampingi petugas ke dusun yang sulit dijangkau dengan transportasi dari dana TJSL.",
                            "Sebagian orang tua masih ragu; KIE bersama tokoh agama dilanjutkan bulan depan.",
                        ),
                        dip=(
                            8,
                            9,
                            "Koreksi data: 9 anak tercatat ganda di ASIK (NIK sama di dua desa) dan dihapus setelah "
                            "validasi bersama Dinas Kesehatan.",
                        ),
                    ),
                    baseline="0",
                    cumulative=True,
                    priority=HIGH,
                    data_source="Aplikasi ASIK dan register kohort imunisasi",
                    verification="Rekap ASIK per desa dan salinan buku KIA",
                ),
                DemoIndicator(
                    "IMK-02",
                    "Cakupan imunisasi dasar lengkap (IDL) pada baduta",
                    "Persentase anak usia 12–23 bulan di wilayah kerja Puskesmas Anyar yang telah menerima "
                    "imunisasi dasar lengkap menurut kohort imunisasi pada akhir bulan pelaporan.",
                    "%",
                    K.PERCENT,
                    "95",
                    Story(
                        74,
                        92,
                        narratives=(
                            "Cakupan naik setelah imunisasi kejar di desa dengan cakupan terendah.",
                            "Kohort diperbarui bersama bidan desa; beberapa anak pindah domisili.",
                            "Cakupan stabil; desa pesisir masih di bawah rata-rata kecamatan.",
                        ),
                    ),
                    baseline="72.5",
                    priority=HIGH,
                    data_source="Kohort imunisasi Puskesmas Anyar",
                    verification="Laporan PWS imunisasi bulanan",
                ),
                DemoIndicator(
                    "IMK-03",
                    "Desa yang melaksanakan sweeping imunisasi kejar",
                    "Jumlah desa yang melaksanakan sweeping imunisasi kejar dalam triwulan dibagi seluruh desa di "
                    "Kecamatan Anyar (12 desa).",
                    "%",
                    K.RATIO,
                    "100",
                    Story(
                        50,
                        100,
                        size=(12, 12),
                        narratives=(
                            "Jadwal sweeping disusun bersama kepala desa dalam lokakarya mini triwulan.",
                            "Dua desa menunda sweeping karena bertepatan dengan musim panen.",
                        ),
                    ),
                    baseline="25",
                    frequency=QUARTERLY,
                    data_source="Jadwal dan laporan kegiatan sweeping",
                    verification="Berita acara kegiatan yang ditandatangani kepala desa",
                ),
                DemoIndicator(
                    "IMK-04",
                    "Angka drop out DPT-HB-Hib 1 – Campak Rubela",
                    "Selisih jumlah bayi yang menerima DPT-HB-Hib 1 dan Campak Rubela dibagi jumlah bayi yang "
                    "menerima DPT-HB-Hib 1, dalam persen. Semakin rendah semakin baik.",
                    "%",
                    K.PERCENT,
                    "5",
                    Story(
                        11.5,
                        5.5,
                        narratives=(
                            "Pelacakan bayi yang belum kembali dilakukan kader melalui kunjungan rumah.",
                            "Drop out turun setelah pengingat jadwal imunisasi melalui grup WhatsApp posyandu.",
                        ),
                    ),
                    baseline="12",
                    frequency=QUARTERLY,
                    direction=DOWN,
                    data_source="Kohort imunisasi Puskesmas Anyar",
                    verification="Laporan PWS imunisasi triwulan",
                ),
            ),
            milestones=(
                DemoMilestone(
                    "Pendataan sasaran anak belum lengkap imunisasi di 12 desa bersama kader posyandu", 45, done=8
                ),
                DemoMilestone(
                    "Serah terima 20 vaccine carrier dan 4 cold box dari PT Krakatau Sejahtera",
                    90,
                    done=-3,
                    note="Berita acara serah terima barang TJSL ditandatangani Kepala Puskesmas Anyar.",
                ),
                DemoMilestone(
                    "Laporan kemajuan dan realisasi dana TJSL triwulan III kepada PT Krakatau Sejahtera",
                    -40,
                    anchor="today",
                    note="Menunggu rekap realisasi kegiatan dari Puskesmas Anyar.",
                ),
                DemoMilestone("Perluasan sasaran ke imunisasi lanjutan baduta sesuai Adendum I", 35, anchor="today"),
            ),
            revision=(
                "IMK-01",
                "850",
                "Adendum I memperpanjang jangka waktu perjanjian dan menambah dana TJSL untuk memperluas sasaran "
                "ke imunisasi lanjutan baduta; target kumulatif disesuaikan.",
            ),
        ),
        DemoProgram(
            name="Skrining TBC oleh Kader di Kecamatan Ciruas",
            theme=Program.Theme.TBC,
            agreement=AGREEMENT_TBC_KADER,
            implementers=((PKM_CIRUAS, 0.9), (YAYASAN_TBC, 1.2)),
            regions=("36.04.09",),
            description=(
                "Penemuan kasus TBC secara aktif oleh kader kesehatan di 15 desa Kecamatan Ciruas: skrining gejala "
                "dari rumah ke rumah dan pada hari buka posyandu, pengantaran pot dahak terduga TBC ke Puskesmas "
                "Ciruas, investigasi kontak serumah, serta penyuluhan untuk mengurangi stigma TBC. Yayasan Peduli "
                "TBC Banten melaporkan kader binaannya, Puskesmas Ciruas kader posyandu binaan puskesmas."
            ),
            indicators=(
                DemoIndicator(
                    "TBK-01",
                    "Orang yang diskrining gejala TBC oleh kader",
                    "Jumlah orang yang ditanya gejala TBC (batuk ≥ 2 minggu, demam, keringat malam, penurunan berat "
                    "badan) oleh kader terlatih dalam bulan pelaporan, tercatat di formulir skrining kader.",
                    "orang",
                    K.COUNT,
                    "10000",
                    Story(
                        180,
                        320,
                        narratives=(
                            "Skrining dari rumah ke rumah di desa dengan kasus tertinggi tahun lalu.",
                            "Skrining dilakukan pada hari buka posyandu dan pengajian ibu-ibu.",
                            "Beberapa kader berhalangan karena musim tanam; jadwal digeser ke akhir bulan.",
                            "Kader menyasar pabrik kecil dan pesantren di wilayah Ciruas.",
                        ),
                    ),
                    priority=HIGH,
                    data_source="Formulir skrining kader, direkap pengelola program TBC",
                    verification="Register kader dan rekap mingguan pengelola program TBC Puskesmas Ciruas",
                ),
                DemoIndicator(
                    "TBK-02",
                    "Terduga TBC rujukan kader yang diperiksa dahak",
                    "Jumlah terduga TBC rujukan kader yang spesimen dahaknya diperiksa (TCM atau mikroskopis) dibagi "
                    "jumlah terduga TBC yang dirujuk kader dalam bulan pelaporan.",
                    "%",
                    K.RATIO,
                    "90",
                    Story(
                        62,
                        88,
                        size=(12, 30),
                        narratives=(
                            "Pot dahak diantar kader ke puskesmas pada hari yang sama.",
                            "Sebagian terduga belum bisa mengeluarkan dahak; dijadwalkan ulang minggu berikutnya.",
                            "Hasil TCM diterima dalam 2 hari kerja dan disampaikan kader kepada pasien.",
                        ),
                    ),
                    baseline="55",
                    data_source="SITB dan register rujukan kader",
                    verification="Formulir rujukan terduga TBC (TBC.05) dan hasil laboratorium",
                ),
                DemoIndicator(
                    "TBK-03",
                    "Kasus TBC terkonfirmasi dari rujukan kader",
                    "Jumlah kumulatif pasien TBC terkonfirmasi bakteriologis atau klinis yang berasal dari rujukan "
                    "kader sejak awal program.",
                    "kasus",
                    K.COUNT,
                    "120",
                    Story(
                        6,
                        11,
                        narratives=(
                            "Semua pasien baru langsung memulai pengobatan dan didampingi kader.",
                            "Dua kasus anak ditemukan dari investigasi kontak serumah.",
                        ),
                    ),
                    baseline="0",
                    frequency=QUARTERLY,
                    cumulative=True,
                    priority=HIGH,
                    data_source="SITB",
                    verification="Rekap SITB per sumber rujukan, divalidasi pengelola program TBC",
                ),
                DemoIndicator(
                    "TBK-04",
                    "Kontak serumah pasien TBC yang diinvestigasi",
                    "Persentase kontak serumah pasien TBC terkonfirmasi yang dikunjungi dan diskrining kader paling "
                    "lambat 2 minggu setelah pasien terdiagnosis.",
                    "%",
                    K.PERCENT,
                    "90",
                    Story(
                        55,
                        85,
                        narratives=(
                            "Investigasi kontak dilakukan bersama petugas puskesmas.",
                            "Beberapa keluarga menolak dikunjungi; pendekatan melalui ketua RT.",
                        ),
                    ),
                    baseline="40",
                    frequency=QUARTERLY,
                    data_source="Formulir investigasi kontak",
                    verification="Register investigasi kontak dan SITB",
                ),
            ),
            milestones=(
                DemoMilestone("Peluncuran skrining TBC dari rumah ke rumah di 15 desa Kecamatan Ciruas", 30, done=-2),
                DemoMilestone("Pertemuan evaluasi kader TBC semester I", 300, done=5),
                DemoMilestone(
                    "Rekap skrining kader terintegrasi di SITB",
                    -30,
                    anchor="today",
                    note="Akun SITB kader masih menunggu aktivasi dari Dinas Kesehatan.",
                ),
                DemoMilestone("Pertemuan evaluasi kader TBC semester II", 25, anchor="today"),
            ),
            reopen=(
                YAYASAN_TBC,
                "TBK-01",
                "Mohon lampirkan register kader; jumlah skrining desa Kaserangan berbeda dengan rekap mingguan.",
                "Periode dibuka kembali agar Yayasan dapat memperbaiki rekap skrining sesuai register kader desa.",
            ),
            missing={YAYASAN_TBC: 0.03},
            late={YAYASAN_TBC: 0.08},
        ),
        DemoProgram(
            name="Skrining TBC dan HIV bagi Pekerja Kawasan Industri Cikande",
            theme=Program.Theme.HIV,
            agreement=AGREEMENT_DPPM,
            implementers=((PKM_CIKANDE, 1.0), (KLINIK, 0.8)),
            regions=("36.04.15",),
            description=(
                "Skrining gejala TBC dan tes HIV bagi pekerja kawasan industri Cikande dan keluarganya di Puskesmas "
                "Cikande dan Klinik Pratama Medika Cikande, rujukan spesimen untuk TCM, dan penawaran tes HIV bagi "
                "setiap pasien TBC. Pelaporan klinik terhenti sejak awal tahun dan kerja sama sedang dihentikan "
                "sementara sampai izin operasional klinik diperpanjang."
            ),
            indicators=(
                DemoIndicator(
                    "SKR-01",
                    "Pekerja dan keluarga yang diskrining gejala TBC",
                    "Jumlah pekerja kawasan industri dan anggota keluarganya yang diskrining gejala TBC di fasilitas "
                    "atau pos skrining perusahaan dalam bulan pelaporan.",
                    "orang",
                    K.COUNT,
                    "9600",
                    Story(
                        260,
                        420,
                        narratives=(
                            "Pos skrining dibuka di dua pabrik bersama tim K3 perusahaan.",
                            "Skrining pada pemeriksaan kesehatan berkala pekerja.",
                            "Jumlah skrining turun karena libur panjang dan pergantian sif.",
                        ),
                    ),
                    priority=HIGH,
                    data_source="Register skrining TBC fasilitas dan SITB",
                    verification="Rekap register skrining per fasilitas",
                ),
                DemoIndicator(
                    "SKR-02",
                    "Orang berisiko HIV yang mendapat tes HIV sesuai standar",
                    "Jumlah orang berisiko terinfeksi HIV (pasien TBC, pasien IMS, pasangan ODHIV, pekerja mobil) yang "
                    "dites HIV sesuai standar dibagi jumlah orang berisiko yang datang ke layanan dalam bulan pelaporan.",
                    "%",
                    K.RATIO,
                    "95",
                    Story(
                        64,
                        90,
                        size=(25, 60),
                        narratives=(
                            "Tes HIV ditawarkan kepada setiap pasien TBC dan pasien IMS.",
                            "Stok reagen tes cepat HIV sempat kosong satu minggu.",
                            "Konseling dilakukan di ruang tersendiri untuk menjaga kerahasiaan.",
                        ),
                    ),
                    baseline="48",
                    priority=HIGH,
                    data_source="SIHA dan register konseling dan tes HIV",
                    verification="Laporan SIHA bulanan",
                ),
                DemoIndicator(
                    "SKR-03",
                    "Pasien TBC yang mengetahui status HIV",
                    "Persentase pasien TBC yang terdaftar dalam triwulan dan telah mengetahui status HIV-nya.",
                    "%",
                    K.PERCENT,
                    "90",
                    Story(
                        60,
                        88,
                        narratives=(
                            "Kolaborasi TBC–HIV dibahas dalam pertemuan jejaring DPPM.",
                            "Pasien yang menolak tes mendapat konseling ulang pada kunjungan berikutnya.",
                        ),
                    ),
                    baseline="52",
                    frequency=QUARTERLY,
                    data_source="SITB",
                    verification="Rekap kolaborasi TBC–HIV di SITB",
                ),
            ),
            milestones=(
                DemoMilestone(
                    "Pelatihan tata laksana TBC dan pelaporan SITB bagi dokter dan perawat klinik", 60, done=-3
                ),
                DemoMilestone("Pos skrining TBC–HIV terpadu di kawasan industri Modern Cikande", 120, done=10),
                DemoMilestone(
                    "Klinik melengkapi laporan kasus TBC triwulan I dan II di SITB",
                    -130,
                    anchor="today",
                    note="Sudah dua kali ditegur tertulis; menjadi alasan penghentian sementara kerja sama.",
                ),
                DemoMilestone("Evaluasi bersama setelah izin operasional klinik diperpanjang", 36, anchor="today"),
            ),
            silent_from={KLINIK: _quarter_start(today - datetime.timedelta(days=270))},
            missing={KLINIK: 0.1},
            late={KLINIK: 0.3},
        ),
        DemoProgram(
            name="Pelatihan dan Pembinaan Kader TBC Kecamatan Ciruas",
            theme=Program.Theme.KADER,
            agreement=AGREEMENT_TBC_KADER,
            implementers=((YAYASAN_TBC, 1.3), (PKM_CIRUAS, 0.7)),
            regions=("36.04.09",),
            description=(
                "Pelatihan kader posyandu menjadi kader TBC (skrining gejala, investigasi kontak, etika "
                "pendampingan pasien) oleh Yayasan Peduli TBC Banten bersama Puskesmas Ciruas, pelatihan "
                "penyegaran, serta supervisi fasilitatif agar kader tetap aktif melapor."
            ),
            indicators=(
                DemoIndicator(
                    "KDR-01",
                    "Kader terlatih skrining TBC dan investigasi kontak",
                    "Jumlah kumulatif kader yang menyelesaikan pelatihan kader TBC (minimal 3 hari) sejak awal program.",
                    "kader",
                    K.COUNT,
                    "60",
                    Story(4, 6, narratives=("Pelatihan angkatan baru dilaksanakan di aula puskesmas.",)),
                    baseline="0",
                    frequency=QUARTERLY,
                    cumulative=True,
                    priority=HIGH,
                    data_source="Daftar hadir dan sertifikat pelatihan",
                    verification="Daftar hadir pelatihan dan salinan sertifikat",
                ),
                DemoIndicator(
                    "KDR-02",
                    "Kader terlatih yang aktif melaporkan hasil skrining",
                    "Jumlah kader terlatih yang menyerahkan formulir skrining dalam bulan pelaporan dibagi jumlah "
                    "kader terlatih binaan organisasi.",
                    "%",
                    K.RATIO,
                    "85",
                    Story(
                        60,
                        86,
                        size=(18, 24),
                        narratives=(
                            "Pengingat pelaporan dikirim setiap Jumat melalui grup kader.",
                            "Beberapa kader tidak aktif karena bekerja di luar desa.",
                            "Insentif penemuan kasus dibayarkan tepat waktu sehingga keaktifan naik.",
                        ),
                    ),
                    data_source="Rekap penyerahan formulir skrining",
                    verification="Register kader",
                ),
                DemoIndicator(
                    "KDR-03",
                    "Kader yang lulus post-test pelatihan",
                    "Persentase peserta pelatihan kader dalam triwulan dengan nilai post-test minimal 70.",
                    "%",
                    K.PERCENT,
                    "90",
                    Story(72, 88, narratives=("Materi etika pendampingan pasien ditambah praktik bermain peran.",)),
                    baseline="65",
                    frequency=QUARTERLY,
                    priority=LOW,
                    data_source="Lembar pre-test dan post-test",
                    verification="Rekap nilai pelatihan",
                ),
            ),
            milestones=(
                DemoMilestone("Penyusunan modul pelatihan kader TBC dan etika pendampingan pasien", 20, done=-5),
                DemoMilestone("Pelatihan 40 kader TBC angkatan I dan II", 60, done=-1),
                DemoMilestone(
                    "Pelatihan penyegaran (refreshing) kader TBC",
                    -20,
                    anchor="today",
                    note="Ditunda karena narasumber dari Dinas Kesehatan berhalangan.",
                ),
                DemoMilestone("Supervisi fasilitatif kader di 15 desa", 50, anchor="today"),
            ),
            missing={YAYASAN_TBC: 0.03},
        ),
        DemoProgram(
            name="Telekonsultasi dan Rujukan Terintegrasi RSUD – Puskesmas Ciruas",
            theme=Program.Theme.TELEMEDICINE,
            agreement=AGREEMENT_RUJUKAN,
            implementers=((RSUD, 0.8), (PKM_CIRUAS, 1.2)),
            regions=("36.04.09",),
            description=(
                "Telekonsultasi dokter Puskesmas Ciruas kepada dokter spesialis RSUD dr. Dradjat Prawiranegara "
                "sebelum merujuk, agar kasus yang dapat dituntaskan di FKTP tidak dirujuk dan pasien di desa jauh "
                "tidak perlu melakukan perjalanan; rujukan yang diperlukan dikirim melalui SISRUTE dengan resume "
                "medis lengkap."
            ),
            indicators=(
                DemoIndicator(
                    "TEL-01",
                    "Tenaga kesehatan terlatih menggunakan aplikasi telekonsultasi",
                    "Jumlah kumulatif dokter, perawat dan bidan yang telah dilatih dan memiliki akun aplikasi "
                    "telekonsultasi.",
                    "orang",
                    K.COUNT,
                    "40",
                    Story(1.5, 3, narratives=("Pelatihan singkat dilakukan saat pergantian jaga.",)),
                    baseline="0",
                    frequency=QUARTERLY,
                    cumulative=True,
                    data_source="Daftar pengguna aplikasi telekonsultasi",
                    verification="Ekspor daftar akun aktif dari aplikasi",
                ),
                DemoIndicator(
                    "TEL-02",
                    "Telekonsultasi yang dijawab dokter spesialis ≤ 1×24 jam",
                    "Jumlah permintaan telekonsultasi yang dijawab dokter spesialis dalam 24 jam dibagi seluruh "
                    "permintaan telekonsultasi dalam bulan pelaporan.",
                    "%",
                    K.RATIO,
                    "90",
                    Story(
                        68,
                        91,
                        size=(20, 45),
                        narratives=(
                            "Jadwal jaga konsulen telekonsultasi ditetapkan setiap minggu.",
                            "Jawaban tertunda saat dokter spesialis penyakit dalam cuti.",
                            "Notifikasi aplikasi diaktifkan di ponsel konsulen sehingga respons lebih cepat.",
                        ),
                    ),
                    baseline="60",
                    priority=HIGH,
                    data_source="Log aplikasi telekonsultasi",
                    verification="Ekspor log permintaan dan jawaban telekonsultasi",
                ),
                DemoIndicator(
                    "TEL-03",
                    "Rujukan non-spesialistik dari Puskesmas Ciruas",
                    "Persentase rujukan rawat jalan dengan diagnosis yang termasuk kompetensi FKTP (144 diagnosis) "
                    "terhadap seluruh rujukan rawat jalan dalam bulan pelaporan. Semakin rendah semakin baik.",
                    "%",
                    K.PERCENT,
                    "8",
                    Story(
                        17,
                        9,
                        narratives=(
                            "Kasus dikonsultasikan dahulu sebelum dirujuk.",
                            "Rujukan atas permintaan pasien masih ditemukan; edukasi di loket pendaftaran.",
                        ),
                    ),
                    baseline="18",
                    direction=DOWN,
                    data_source="SISRUTE dan P-Care",
                    verification="Rekap rujukan per diagnosis",
                ),
            ),
            milestones=(
                DemoMilestone("Aplikasi telekonsultasi terpasang dan diuji coba di Puskesmas Ciruas", 45, done=-4),
                DemoMilestone(
                    "Pelatihan kegawatdaruratan maternal-neonatal bagi 10 tenaga kesehatan puskesmas", 240, done=-2
                ),
                DemoMilestone(
                    "Integrasi telekonsultasi dengan SISRUTE",
                    -45,
                    anchor="today",
                    note="Menunggu akses API dari pengelola SISRUTE.",
                ),
                DemoMilestone("Audit rujukan maternal-neonatal bersama triwulan IV", 20, anchor="today"),
            ),
        ),
        DemoProgram(
            name="Prolanis Diabetes Melitus dan Hipertensi di FKTP",
            theme=Program.Theme.PTM,
            agreement=AGREEMENT_PROLANIS,
            implementers=((PKM_CIRUAS, 1.0), (KLINIK, 0.5)),
            regions=("36.04.09", "36.04.15"),
            description=(
                "Pengelolaan penyakit kronis bagi peserta JKN penyandang diabetes melitus tipe 2 dan hipertensi di "
                "Puskesmas Ciruas dan Klinik Pratama Medika Cikande: klub Prolanis bulanan (edukasi, senam, "
                "konsultasi), pemeriksaan penunjang berkala, dan program rujuk balik dari RSUD. Capaian SPM "
                "pelayanan hipertensi dan diabetes dihitung kumulatif sejak Januari terhadap sasaran tahunan."
            ),
            indicators=(
                DemoIndicator(
                    "PRL-01",
                    "Peserta Prolanis terdaftar aktif",
                    "Jumlah kumulatif peserta JKN penyandang DM tipe 2 atau hipertensi yang terdaftar sebagai peserta "
                    "Prolanis dan hadir minimal sekali dalam triwulan.",
                    "peserta",
                    K.COUNT,
                    "400",
                    Story(
                        8,
                        15,
                        initial=120,
                        narratives=(
                            "Peserta baru berasal dari program rujuk balik RSUD.",
                            "Pendaftaran peserta dilakukan saat klub Prolanis dan diinput di P-Care.",
                        ),
                    ),
                    baseline="180",
                    frequency=QUARTERLY,
                    cumulative=True,
                    data_source="P-Care BPJS Kesehatan",
                    verification="Daftar peserta Prolanis dari P-Care",
                ),
                DemoIndicator(
                    "PRL-02",
                    "Peserta Prolanis hipertensi dengan tekanan darah terkendali",
                    "Jumlah peserta Prolanis hipertensi dengan tekanan darah < 140/90 mmHg pada pemeriksaan terakhir "
                    "dalam triwulan dibagi peserta Prolanis hipertensi yang diperiksa.",
                    "%",
                    K.RATIO,
                    "60",
                    Story(
                        40,
                        58,
                        size=(90, 140),
                        narratives=(
                            "Senam Prolanis dan edukasi diet rendah garam rutin setiap bulan.",
                            "Kepatuhan minum obat dipantau melalui kartu kontrol.",
                        ),
                    ),
                    baseline="35",
                    frequency=QUARTERLY,
                    priority=HIGH,
                    data_source="P-Care dan kartu kontrol peserta",
                    verification="Rekap pemeriksaan tekanan darah klub Prolanis",
                ),
            ),
            spm=(
                (
                    8,
                    Story(
                        78,
                        90,
                        size=(3800, 4600),
                        yearly=True,
                        narratives=(
                            "Skrining tekanan darah di posbindu dan klub Prolanis.",
                            "Pelayanan hipertensi sesuai standar dicatat di SIMPUS.",
                            "Kunjungan rumah bagi penderita yang tidak kontrol.",
                        ),
                    ),
                ),
                (
                    9,
                    Story(
                        82,
                        93,
                        size=(1100, 1500),
                        yearly=True,
                        narratives=(
                            "Pemeriksaan gula darah dan edukasi diet di klub Prolanis.",
                            "Pemeriksaan HbA1c dikoordinasikan dengan laboratorium mitra BPJS.",
                        ),
                    ),
                ),
            ),
            milestones=(
                DemoMilestone("Pemetaan dan pendaftaran peserta Prolanis DM dan HT di P-Care", 30, done=6),
                DemoMilestone("Supervisi klub Prolanis di FKTP", 180, done=0),
                DemoMilestone(
                    "Pemeriksaan HbA1c semester II bagi peserta Prolanis DM",
                    -25,
                    anchor="today",
                    note="Reagen HbA1c di laboratorium mitra belum tersedia.",
                ),
                DemoMilestone("Laporan evaluasi akhir kerja sama sebagai bahan perpanjangan", -14, anchor="end"),
            ),
            missing={KLINIK: 0.12},
            late={KLINIK: 0.25},
        ),
        DemoProgram(
            name="Dukungan Kesehatan Jiwa bagi Penyandang Diabetes",
            theme=Program.Theme.JIWA,
            agreement=AGREEMENT_FORUM_PASIEN,
            implementers=((RSUD, 1.0), (PASIEN_DM, 0.5)),
            regions=("36.04",),
            description=(
                "Skrining depresi (PHQ-9) bagi penyandang diabetes di poliklinik penyakit dalam RSUD dan oleh "
                "edukator sebaya, konseling oleh psikolog klinis bagi yang bergejala, serta kelompok dukungan "
                "sebaya dan seminar manajemen stres untuk mengurangi stigma gangguan jiwa. Usulan Forum Penasihat "
                "Pasien Diabetes."
            ),
            indicators=(
                DemoIndicator(
                    "JWA-01",
                    "Penyandang diabetes yang diskrining depresi (PHQ-9)",
                    "Jumlah penyandang diabetes yang diskrining dengan PHQ-9 dibagi jumlah penyandang diabetes yang "
                    "berkunjung atau hadir di kelompok dalam bulan pelaporan.",
                    "%",
                    K.RATIO,
                    "80",
                    Story(
                        35,
                        78,
                        size=(60, 110),
                        narratives=(
                            "Skrining PHQ-9 dilakukan di ruang tunggu poliklinik oleh edukator sebaya.",
                            "Formulir PHQ-9 dibacakan untuk pasien lansia.",
                        ),
                    ),
                    baseline="10",
                    priority=HIGH,
                    data_source="Formulir PHQ-9 dan rekam medis",
                    verification="Rekap formulir PHQ-9",
                ),
                DemoIndicator(
                    "JWA-02",
                    "Penyandang diabetes dengan gejala depresi yang mendapat konseling",
                    "Jumlah kumulatif penyandang diabetes dengan skor PHQ-9 ≥ 10 yang mendapat konseling psikolog "
                    "klinis atau dirujuk ke poliklinik jiwa sejak awal program.",
                    "orang",
                    K.COUNT,
                    "150",
                    Story(4, 8, narratives=("Konseling dijadwalkan pada hari yang sama dengan kontrol diabetes.",)),
                    baseline="0",
                    cumulative=True,
                    data_source="Register konseling psikologi RSUD",
                    verification="Register konseling dan surat rujukan internal",
                ),
                DemoIndicator(
                    "JWA-03",
                    "Sesi kelompok dukungan sebaya terlaksana",
                    "Jumlah sesi kelompok dukungan sebaya bagi penyandang diabetes (minimal 8 peserta, didampingi "
                    "fasilitator terlatih) dalam triwulan.",
                    "sesi",
                    K.COUNT,
                    "72",
                    Story(5, 7, narratives=("Sesi membahas stres merawat diri dan dukungan keluarga.",)),
                    frequency=QUARTERLY,
                    priority=LOW,
                    data_source="Notulen dan daftar hadir sesi",
                    verification="Daftar hadir dan dokumentasi sesi",
                ),
                DemoIndicator(
                    "JWA-04",
                    "Peserta yang merasa terbantu oleh kelompok dukungan",
                    "Persentase peserta kelompok dukungan yang menjawab 'terbantu' atau 'sangat terbantu' pada "
                    "survei singkat akhir triwulan.",
                    "%",
                    K.PERCENT,
                    "85",
                    Story(70, 86, narratives=("Survei diisi anonim di akhir sesi.",)),
                    frequency=QUARTERLY,
                    data_source="Survei peserta",
                    verification="Rekap survei triwulan",
                ),
            ),
            milestones=(
                DemoMilestone("Alur rujukan pasien diabetes dengan depresi ke poliklinik jiwa disepakati", 60, done=12),
                DemoMilestone("Pelatihan 10 edukator sebaya tentang kesehatan jiwa dan skrining PHQ-9", 150, done=-3),
                DemoMilestone(
                    "Seminar manajemen stres bagi penyandang diabetes dan keluarga",
                    -18,
                    anchor="today",
                    note="Menunggu konfirmasi narasumber dari Fakultas Kedokteran Untirta.",
                ),
                DemoMilestone("Pertemuan Forum Penasihat Pasien triwulan IV", 15, anchor="today"),
            ),
            missing={PASIEN_DM: 0.1},
            late={PASIEN_DM: 0.2},
        ),
    ]


# --- seeding -------------------------------------------------------------------------------


@dataclass
class _Plan:
    state: str  # none, missing, draft, submitted, approved
    submit_on: datetime.date | None = None
    review_on: datetime.date | None = None


@dataclass
class _Context:
    tenant: Tenant
    today: datetime.date
    users: dict[str, User | None]
    stamps: dict[int, tuple[datetime.date, datetime.date | None, datetime.date | None]]


def seed_serang_programs(tenant: Tenant, *, today: datetime.date | None = None) -> int:
    """Create the Serang demo programs that do not exist yet; returns how many were created.
    Runs inside the tenant's scope, after the agreements."""
    today = today or timezone.localdate()
    users = {
        email: User.objects.filter(email=email).first() for email in (MANAGER_EMAIL, ADMIN_EMAIL, COORDINATOR_EMAIL)
    }
    context = _Context(tenant, today, users, {})
    organizations = {o.name: o for o in Organization.objects.all()}
    existing = set(Program.objects.values_list("name", flat=True))
    created = 0
    for index, spec in enumerate(demo_programs(today)):
        if spec.name in existing:
            continue
        agreement = Agreement.objects.filter(title=spec.agreement).order_by("-starts_on").first()
        if agreement is None or agreement.status not in {Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED}:
            continue
        _seed_program(context, spec, agreement, organizations, random.Random(SEED + index))
        created += 1
    _stamp(context)
    return created


def _span(agreement: Agreement, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """About 22 months back from today to the end of the agreement, clipped to its term."""
    months = today.year * 12 + today.month - 1 - 22
    starts_on = datetime.date(months // 12, months % 12 + 1, 1)
    if agreement.starts_on and agreement.starts_on > starts_on:
        starts_on = agreement.starts_on
    ends_on = agreement.ends_on or datetime.date(today.year + 1, 12, 31)
    return starts_on, max(ends_on, starts_on)


def _seed_program(
    context: _Context, spec: DemoProgram, agreement: Agreement, organizations: dict[str, Organization], rng
) -> Program:
    manager = context.users[MANAGER_EMAIL]
    starts_on, ends_on = _span(agreement, context.today)
    program = services.program_create(
        tenant=context.tenant,
        agreement=agreement,
        actor=manager,
        implementers=[organizations[name] for name, _ in spec.implementers],
        regions=Region.objects.filter(code__in=spec.regions),
        name=spec.name,
        theme=spec.theme,
        description=spec.description,
        starts_on=starts_on,
        ends_on=ends_on,
        status=Program.Status.ACTIVE,
    )
    stories: list[tuple[Indicator, Story]] = []
    for demo in spec.indicators:
        indicator = services.indicator_create(
            program=program,
            actor=manager,
            code=demo.code,
            name=demo.name,
            definition=demo.definition,
            unit=demo.unit,
            kind=demo.kind,
            baseline=Decimal(demo.baseline) if demo.baseline is not None else None,
            target=Decimal(demo.target),
            direction=demo.direction,
            cumulative=demo.cumulative,
            frequency=demo.frequency,
            priority=demo.priority,
            data_source=demo.data_source,
            verification=demo.verification,
        )
        stories.append((indicator, demo.story))
    if spec.spm:
        spm_stories = dict(spec.spm)
        for indicator in services.indicators_add_spm(
            program=program, actor=manager, services=list(spm_stories), frequency=MONTHLY
        ):
            stories.append((indicator, spm_stories[indicator.spm_service]))
    if spec.revision:
        code, new_target, reason = spec.revision
        indicator = next(i for i, _ in stories if i.code == code)
        services.indicator_revise_target(
            indicator=indicator, actor=manager, new_target=Decimal(new_target), reason=reason
        )
    _seed_milestones(context, program, spec.milestones)

    periods: dict[str, list[ReportingPeriod]] = {MONTHLY: [], QUARTERLY: []}
    for period in program.periods.filter(starts_on__lte=context.today).order_by("starts_on"):
        periods[period.frequency].append(period)
    implementers = [(organizations[name], weight) for name, weight in spec.implementers]
    reopen_period = None
    if spec.reopen:
        frequency = next(i.frequency for i, _ in stories if i.code == spec.reopen[1])
        reopen_period = next((p for p in reversed(periods[frequency]) if p.locks_on < context.today), None)
    plans = {
        (organization.pk, period.pk): _plan(
            context,
            spec,
            organization,
            period,
            rng,
            bool(spec.reopen) and (organization.name, period) == (spec.reopen[0], reopen_period),
        )
        for organization, _ in implementers
        for frequency in periods.values()
        for period in frequency
    }
    for indicator, story in sorted(stories, key=lambda pair: pair[0].code):
        for position, (organization, weight) in enumerate(implementers):
            forced = (
                reopen_period
                if spec.reopen and (organization.name, indicator.code) == spec.reopen[:2] and reopen_period
                else None
            )
            _seed_series(
                context, program, indicator, story, organization, weight, position == 0,
                periods[indicator.frequency], plans, forced, spec.reopen, rng,
            )  # fmt: skip
    return program


def _seed_milestones(context: _Context, program: Program, milestones: tuple[DemoMilestone, ...]) -> None:
    manager = context.users[MANAGER_EMAIL]
    anchors = {"start": program.starts_on, "end": program.ends_on, "today": context.today}
    for demo in milestones:
        due_on = anchors[demo.anchor] + datetime.timedelta(days=demo.days)
        milestone = services.milestone_create(
            program=program, actor=manager, title=demo.title, due_on=due_on, note=demo.note
        )
        if demo.done is not None:
            done_on = due_on + datetime.timedelta(days=demo.done)
            if done_on <= context.today:
                services.milestone_update(milestone=milestone, actor=manager, done_on=done_on)


def _between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _plan(
    context: _Context, spec: DemoProgram, organization: Organization, period: ReportingPeriod, rng, forced: bool
) -> _Plan:
    """What one organization did about one period: shared by all its indicators of that period."""
    today, tenant = context.today, context.tenant
    day = datetime.timedelta(days=1)
    grace = datetime.timedelta(days=tenant.reporting_grace_days)
    silent_from = spec.silent_from.get(organization.name)
    if silent_from and period.starts_on >= silent_from:
        return _Plan("missing")
    if period.ends_on >= today:  # still running: some partners keep a draft
        return _Plan("draft", today) if rng.random() < 0.4 else _Plan("none")
    if today <= period.locks_on:  # recent: waiting for review, in draft, or not sent
        due_passed = today > period.due_on
        roll = rng.random()
        if roll < 0.2:
            state = "approved"
        elif roll < 0.75:
            state = "submitted"
        elif roll < (0.85 if due_passed else 0.9):
            state = "draft"
        else:
            state = "missing" if due_passed else "none"
        last = min(today, period.due_on + grace) if due_passed else today
        submit_on = _between(rng, period.ends_on + day, last)
        return _Plan(state, submit_on, min(today, submit_on + datetime.timedelta(days=rng.randint(1, 5))))
    # Locked: approved on time, approved late, or never reported.
    if not forced and rng.random() < spec.missing.get(organization.name, 0.04):
        return _Plan("missing")
    if not forced and rng.random() < spec.late.get(organization.name, 0.1):
        submit_on = _between(rng, period.due_on + grace + day, period.locks_on - day)
    elif rng.random() < 0.85:
        submit_on = _between(rng, period.ends_on + day, period.due_on)
    else:
        submit_on = _between(rng, period.due_on + day, period.due_on + grace)
    review_on = min(today, submit_on + datetime.timedelta(days=rng.randint(1, 7)))
    return _Plan("approved", submit_on, review_on)


def _seed_series(
    context: _Context,
    program: Program,
    indicator: Indicator,
    story: Story,
    organization: Organization,
    weight: float,
    first: bool,
    periods: list[ReportingPeriod],
    plans: dict,
    forced: ReportingPeriod | None,
    reopen: tuple[str, str, str, str] | None,
    rng,
) -> None:
    """One organization's updates of one indicator, period by period."""
    today = context.today
    span = max(1, (today - program.starts_on).days)
    running = Decimal(round(story.initial * weight))
    last_approved: Decimal | None = None
    year_state: dict[int, tuple[int, int]] = {}  # yearly ratios: year → (denominator, last numerator)
    submitter, reviewer = _users(context, organization)
    for index, period in enumerate(periods):
        progress = min(1.0, max(0.0, (period.starts_on - program.starts_on).days / span))
        level = story.start + (story.end - story.start) * progress
        values: dict[str, Decimal] = {}
        if indicator.kind == K.COUNT:
            amount = Decimal(max(0, round(level * weight * rng.uniform(0.85, 1.15))))
            if indicator.cumulative:
                running += amount
                if first and story.dip and story.dip[0] == index:
                    running = max(Decimal(0), running - amount - story.dip[1])
                values["value"] = running
            else:
                values["value"] = amount
        elif indicator.kind == K.PERCENT:
            spread = min(3.0, level * 0.1)  # small values (a falling drop-out rate) wobble less
            value = level + (weight - 1) * spread * 2 + rng.uniform(-spread, spread)
            values["value"] = Decimal(str(round(min(100.0, max(0.0, value)), 1)))
        elif story.yearly:
            denominator, previous = year_state.get(period.year) or (round(rng.randint(*story.size) * weight), 0)
            rate = level * period.ends_on.month / 12 * rng.uniform(0.95, 1.05)
            numerator = min(denominator, max(previous, round(denominator * rate / 100)))
            year_state[period.year] = (denominator, numerator)
            values = {"numerator": Decimal(numerator), "denominator": Decimal(denominator)}
        else:
            low, high = story.size
            denominator = max(1, round(rng.randint(low, high) * (weight if high > low else 1)))
            rate = min(100.0, max(0.0, level + (weight - 1) * 8 + rng.uniform(-4, 4)))
            values = {"numerator": Decimal(round(denominator * rate / 100)), "denominator": Decimal(denominator)}

        plan = plans[(organization.pk, period.pk)]
        if plan.state in {"none", "missing"}:
            continue
        explanation = ""
        if indicator.cumulative and last_approved is not None and values["value"] < last_approved:
            explanation = story.dip[2] if story.dip else "Koreksi data setelah validasi."
        narrative = rng.choice(story.narratives) if story.narratives else ""
        save_on = plan.submit_on or today
        update = services.progress_update_save(
            indicator=indicator, period=period, organization=organization, actor=submitter,
            narrative=narrative, explanation=explanation, today=save_on, **values,
        )  # fmt: skip
        if plan.state == "draft":
            context.stamps[update.pk] = (save_on, None, None)
            continue
        update = services.progress_update_submit(update=update, actor=submitter, today=plan.submit_on)
        locked = period.locks_on < today
        if period == forced:
            # Returned after the period locked: a manager reopened it for the organization.
            services.progress_update_return(update=update, actor=reviewer, note=reopen[2])
            services.period_reopen(
                period=period,
                organization=organization,
                actor=context.users[MANAGER_EMAIL],
                reason=reopen[3],
                until=today + datetime.timedelta(days=14),
            )
            context.stamps[update.pk] = (plan.submit_on, plan.submit_on, plan.review_on)
        elif plan.state == "submitted" and rng.random() < 0.2:
            services.progress_update_return(update=update, actor=reviewer, note=RETURN_NOTES[_note(program, rng)])
            context.stamps[update.pk] = (plan.submit_on, plan.submit_on, plan.review_on)
        elif plan.state == "submitted":
            context.stamps[update.pk] = (plan.submit_on, plan.submit_on, None)
        elif locked and rng.random() < 0.025 and plan.submit_on <= period.due_on:
            # Returned, corrected and approved.
            note = _note(program, rng)
            returned_on = plan.submit_on + datetime.timedelta(days=rng.randint(1, 3))
            resubmit_on = min(period.locks_on, returned_on + datetime.timedelta(days=rng.randint(1, 4)))
            services.progress_update_return(update=update, actor=reviewer, note=RETURN_NOTES[note])
            update = services.progress_update_save(
                indicator=indicator, period=period, organization=organization, actor=submitter,
                narrative=f"{narrative} {FIXES[note]}".strip(), explanation=explanation, today=resubmit_on, **values,
            )  # fmt: skip
            update = services.progress_update_submit(update=update, actor=submitter, today=resubmit_on)
            services.progress_update_approve(update=update, actor=reviewer)
            reviewed_on = min(today, resubmit_on + datetime.timedelta(days=rng.randint(1, 3)))
            context.stamps[update.pk] = (plan.submit_on, resubmit_on, reviewed_on)
            last_approved = values.get("value")
        else:
            services.progress_update_approve(update=update, actor=reviewer)
            context.stamps[update.pk] = (plan.submit_on, plan.submit_on, plan.review_on)
            last_approved = values.get("value")


def _note(program: Program, rng) -> int:
    """A reviewer's note (its index): the cadre register only where cadres report."""
    kader = program.theme in {Program.Theme.TBC, Program.Theme.KADER, Program.Theme.IMUNISASI}
    return rng.randrange(0 if kader else 1, len(RETURN_NOTES))


def _users(context: _Context, organization: Organization) -> tuple[User | None, User | None]:
    """(submitter, reviewer): the coordinator reports for their organization and the manager
    reviews; the manager reports for the others and the admin reviews."""
    if organization.name == YAYASAN_TBC and context.users[COORDINATOR_EMAIL]:
        return context.users[COORDINATOR_EMAIL], context.users[MANAGER_EMAIL]
    return context.users[MANAGER_EMAIL], context.users[ADMIN_EMAIL]


def _stamp(context: _Context) -> None:
    """Give the updates their historical times (the services stamp the current time)."""
    if not context.stamps:
        return
    now = timezone.now()
    rng = random.Random(SEED)

    def at(day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 15), rng.randint(0, 59)))
        return min(now, timezone.make_aware(moment))

    updates = list(ProgressUpdate.objects.filter(pk__in=list(context.stamps)).order_by("pk"))
    for update in updates:
        created_on, submitted_on, reviewed_on = context.stamps[update.pk]
        update.created_at = at(created_on)
        update.submitted_at = at(submitted_on) if submitted_on else None
        update.reviewed_at = at(reviewed_on) if reviewed_on else None
        update.updated_at = max(t for t in (update.created_at, update.submitted_at, update.reviewed_at) if t)
    ProgressUpdate.objects.bulk_update(
        updates, ["created_at", "submitted_at", "reviewed_at", "updated_at"], batch_size=500
    )
    # the periods' on-time counts were taken at the current time: recount with the historical ones
    services.periods_refresh_counts(periods=ReportingPeriod.objects.filter(pk__in={u.period_id for u in updates}))


def serang_program_counts() -> dict[str, int]:
    """Programs, indicators, progress updates and milestones of the Serang demo tenant (zeros
    before it exists), for the command."""
    tenant = Tenant.objects.filter(slug="serang").first()
    if tenant is None:
        return {"programs": 0, "indicators": 0, "updates": 0, "milestones": 0}
    with tenant_scope(tenant):
        return {
            "programs": Program.objects.count(),
            "indicators": Indicator.objects.count(),
            "updates": ProgressUpdate.objects.count(),
            "milestones": Milestone.objects.count(),
        }


def serang_update_statuses() -> dict[str, int]:
    """Progress updates of the Serang demo tenant by status."""
    tenant = Tenant.objects.filter(slug="serang").first()
    if tenant is None:
        return {}
    with tenant_scope(tenant):
        return dict(ProgressUpdate.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
