"""How allauth behaves here: no open sign-up; accounts come from invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.adapter import DefaultAccountAdapter

if TYPE_CHECKING:
    from django.http import HttpRequest


# allauth ships no type hints, so its base class is Any to mypy; strict mode refuses that.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc,unused-ignore]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join through a single-use invitation from their clinic.
        return False
