"""The project's error type and the messages tests can import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A business rule refused an action. ``message`` is shown to the user as is."""

    def __init__(self, message, *, code: str = "invalid", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


ORGANIZATION_REFERENCED = _(
    "This organization is still referenced by members, invitations or agreements. Archive it instead."
)
ORGANIZATION_ARCHIVED = _("This organization is archived.")
ORGANIZATION_NOT_IN_TENANT = _("Choose an organization of this health office.")
COORDINATOR_NEEDS_ORGANIZATION = _("A partner coordinator must be linked to an organization.")
LAST_ADMIN = _("The tenant must keep at least one administrator.")
INVITATION_INVALID = _("This invitation link is not valid any more. Ask the administrator for a new one.")
INVITATION_WRONG_USER = _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
ALREADY_MEMBER = _("%(email)s is already a member of this health office.")
IMPORT_BAD_FILE = _("The file could not be read. Upload the CSV or XLSX template.")
IMPORT_TOO_LARGE = _("The file is too large (at most %(size)s MB).")
IMPORT_NO_ROWS = _("The file contains no data rows.")
IMPORT_NOT_READY = _("This import cannot be confirmed in its current state.")
IMPORT_MISSING_COLUMNS = _("The file misses the columns: %(columns)s.")


def add_to_form(form, exc) -> None:
    """Show a service's refusal on the form: a ``ValidationError`` on its fields (errors of fields
    the form does not have go to the top), an ``ApplicationError`` at the top."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
        return
    for field, problems in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
