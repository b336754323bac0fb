"""The 12 SPM kesehatan services for kabupaten/kota (PP 2/2018, Permendagri 59/2021) as
indicator templates. The target of every SPM service is 100% of the eligible population."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SpmTemplate:
    number: int
    code: str
    name: str
    definition: str


SPM_TEMPLATES = [
    SpmTemplate(
        1,
        "SPM-01",
        _("Antenatal care for pregnant women to standard"),
        _("Percentage of pregnant women who received antenatal care to standard."),
    ),
    SpmTemplate(
        2,
        "SPM-02",
        _("Childbirth care to standard"),
        _("Percentage of women giving birth who were assisted to standard in a health facility."),
    ),
    SpmTemplate(3, "SPM-03", _("Newborn care to standard"), _("Percentage of newborns who received care to standard.")),
    SpmTemplate(
        4,
        "SPM-04",
        _("Health services for children under five"),
        _("Percentage of children under five who received health services to standard."),
    ),
    SpmTemplate(
        5,
        "SPM-05",
        _("Health services for basic-school-age children"),
        _("Percentage of basic-school-age children who received health screening to standard."),
    ),
    SpmTemplate(
        6,
        "SPM-06",
        _("Health screening for people of productive age"),
        _("Percentage of people aged 15–59 who received health screening to standard."),
    ),
    SpmTemplate(
        7,
        "SPM-07",
        _("Health screening for older people"),
        _("Percentage of people aged 60 and over who received health screening to standard."),
    ),
    SpmTemplate(
        8,
        "SPM-08",
        _("Care for people with hypertension"),
        _("Percentage of people with hypertension who received care to standard."),
    ),
    SpmTemplate(
        9,
        "SPM-09",
        _("Care for people with diabetes mellitus"),
        _("Percentage of people with diabetes mellitus who received care to standard."),
    ),
    SpmTemplate(
        10,
        "SPM-10",
        _("Care for people with severe mental disorders (ODGJ berat)"),
        _("Percentage of people with severe mental disorders who received care to standard."),
    ),
    SpmTemplate(
        11,
        "SPM-11",
        _("Care for people with presumptive TB"),
        _("Percentage of people with presumptive tuberculosis who received care to standard."),
    ),
    SpmTemplate(
        12,
        "SPM-12",
        _("Care for people at risk of HIV"),
        _("Percentage of people at risk of HIV infection who received testing to standard."),
    ),
]
SPM_BY_NUMBER = {t.number: t for t in SPM_TEMPLATES}
