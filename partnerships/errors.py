"""Messages of the agreement rules, importable by tests."""

from django.utils.translation import gettext_lazy as _

TOO_FEW_PARTIES = _("An agreement needs at least two parties.")
PROVIDER_PROVIDER_RULE = _(
    "A provider–provider partnership needs at least two health-service providers "
    "(puskesmas, hospital, clinic, laboratory or pharmacy)."
)
PUBLIC_PRIVATE_RULE = _("A public–private partnership needs at least one public and one private organization.")
PROVIDER_COMMUNITY_RULE = _(
    "A provider–community partnership needs at least one health-service provider and one "
    "community-side organization (community group, NGO or school)."
)
PATIENT_PROVIDER_RULE = _(
    "A patient–provider partnership needs at least one patient group and one health-service provider."
)
TRANSITION_NOT_ALLOWED = _("This step is not possible while the agreement is “%(status)s”.")
REASON_REQUIRED = _("Give a reason; it is kept in the agreement's timeline.")
ACTIVATION_NEEDS_SIGNED_DOCUMENT = _("Upload the signed agreement document before activating.")
ACTIVATION_NEEDS_DATES = _("Set the signing date, start date and end date before activating.")
ACTIVATION_ENDED = _("The end date has already passed; renew the agreement instead.")
ONLY_DRAFTS_EDITABLE = _("Only draft and proposed agreements can be edited; record an amendment instead.")
NOTHING_AMENDED = _("An amendment must change at least one term or describe what changed.")
AMENDMENT_NOT_CURRENT = _("Only active or suspended agreements can be amended.")
RENEWAL_NOT_ALLOWED = _("Only active, suspended or expired agreements can be renewed.")
DUPLICATE_PARTY = _("Each organization can be a party only once.")
ARCHIVED_PARTY = _("%(name)s is archived and cannot join an agreement.")
FILE_TYPE_NOT_ALLOWED = _("Only PDF, images (JPG, PNG), DOCX and XLSX files are accepted.")
FILE_TOO_LARGE = _("The file is larger than %(size)s MB.")
FILE_EMPTY = _("The file is empty.")
