"""How allauth behaves here: no open sign-up; accounts come from invitations."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join through a single-use invitation from their clinic.
        return False
