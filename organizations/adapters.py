from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """People join MitraSehat by invitation only (see ``views.invitation_accept``)."""

    def is_open_for_signup(self, request) -> bool:
        return False
