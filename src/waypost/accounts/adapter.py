"""How allauth behaves here: no open sign-up; sign-in throttled per account *and* address.

Sign-in throttling (``ACCOUNT_RATE_LIMITS["login_failed"]`` in settings) counts wrong
passwords and wrong two-factor codes twice:

- per address (the real client's, as ``waypost.proxy`` establishes it): many wrong
  passwords from one place, whatever the accounts, stop that place for a while;
- per account **and** address: wrong passwords for one account from one place slow that
  place down, more and more (a few minutes, then an hour, then a day), while the person
  who owns the account, signing in from anywhere else, is not held up at all.

So nobody can lock a clinician out by typing wrong passwords for their e-mail address,
and nobody behind the same proxy is locked out by someone else's mistakes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator

from waypost.accounts.sign_in_forms import CODE_LABEL, relabel

if TYPE_CHECKING:
    from django.http import HttpRequest


def account_and_address(request: HttpRequest, account: str) -> str:
    """The throttling key for one account tried from one address."""
    return f"{account}|{get_account_adapter().get_client_ip(request)}"


# allauth ships no type hints, so its base class is Any to mypy; strict mode refuses that.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc,unused-ignore]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join through a single-use invitation from their clinic.
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys wrong passwords on the e-mail address alone; here, on the address
        # and where the attempt comes from (see the module's docstring).
        account: str = super()._get_login_attempts_cache_key(request, **credentials)
        return account_and_address(request, account)


class TwoFactorForm(AuthenticateForm):  # type: ignore[misc,unused-ignore]
    """The two-factor code at sign-in, throttled per account and address like passwords.

    allauth's own form counts wrong codes per account only, so five wrong codes from
    anywhere would hold up the real person too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relabel(self, {"code": CODE_LABEL})

    def clean_code(self) -> str:
        request = context.request
        key = account_and_address(request, f"mfa-auth-user-{self.user.pk}")
        usage = ratelimit.consume(request, app="allauth.account", action="login_failed", key=key)
        if not usage:
            raise get_account_adapter().validation_error("too_many_login_attempts")
        code: str = self.cleaned_data["code"]
        authenticators = Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN  # it cannot check a typed code
        )
        main = None
        for authenticator in authenticators:
            if main is None or authenticator.type == Authenticator.Type.TOTP:
                main = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                # As for passwords: a right code takes back only its own attempt, so
                # a right code now and then cannot wipe the count of wrong ones.
                usage.rollback()
                return code
        if main is not None:
            self._emit_authentication_failed(main)
        raise get_account_adapter().validation_error("incorrect_code")
