"""Messages of the reporting rules, importable by tests."""

from django.utils.translation import gettext_lazy as _

IMPLEMENTER_NOT_PARTY = _("%(name)s is not a party to the agreement; implementers are chosen among its parties.")
PROGRAM_OUTSIDE_AGREEMENT = _("The program's dates must lie within the agreement's term.")
NEGATIVE_VALUE = _("A value cannot be negative.")
PERCENT_RANGE = _("A percentage must be between 0 and 100.")
NUMERATOR_ABOVE_DENOMINATOR = _("The numerator cannot be larger than the denominator.")
DENOMINATOR_ZERO = _("The denominator must be greater than zero.")
RATIO_NEEDS_BOTH = _("Enter both the numerator and the denominator.")
VALUE_REQUIRED = _("Enter a value.")
CUMULATIVE_DECREASE = _("This cumulative indicator was %(previous)s last period; a lower value needs an explanation.")
PERIOD_LOCKED = _("This period is locked. Ask the health office to reopen it for your organization.")
NOT_IMPLEMENTER = _("Your organization does not implement this program.")
WRONG_STATUS = _("This step is not possible while the update is “%(status)s”.")
RETURN_NEEDS_NOTE = _("Explain what needs fixing; the note is shown to the partner.")
OWN_UPDATE = _("You cannot approve an update you submitted yourself.")
TARGET_REASON_REQUIRED = _("Give a reason for changing the target.")
AGREEMENT_NOT_CURRENT = _("Programs can be added only to draft, proposed, active or suspended agreements.")
REOPEN_REASON_REQUIRED = _("Give a reason for reopening the period; it is kept in its history.")
