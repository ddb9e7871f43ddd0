"""The account pages: our own and django-allauth's (sign-in, password, two-factor)."""

from tests.roles import ANY_SIGNED_IN, EVERYONE, Route

# The cast has no authenticator app set up, so these answer 404 to everyone;
# tests/accounts/test_two_factor.py covers them with two-factor on.
NOBODY_WITHOUT_2FA = frozenset()
NO_2FA = "404 until two-factor sign-in is set up"

ROUTES = [
    Route(
        "accounts:invitation",
        EVERYONE,
        kwargs=lambda cast: {"token": "not-a-real-token"},
        also_ok=frozenset({404}),
        note="an unknown token gets a plain 404 page for anyone",
    ),
    Route("accounts:account", ANY_SIGNED_IN),
    Route(
        "accounts:notifications",
        ANY_SIGNED_IN,
        method="post",
        note="each person's own choices; nothing in the address names anyone",
    ),
    Route(
        "accounts:sign_out_everywhere",
        ANY_SIGNED_IN,
        method="post",
        note="ends the person's own other sessions",
    ),
    Route(
        "accounts:data",
        frozenset({"client"}),
        note="a client's own data page; staff and allies get 403",
    ),
    Route(
        "accounts:download",
        frozenset({"client"}),
        note="the client's own data as a ZIP (audited); staff and allies get 403",
    ),
    Route("account_login", EVERYONE),
    Route("account_logout", ANY_SIGNED_IN, note="anonymous is sent to sign-in"),
    Route("account_inactive", EVERYONE),
    Route("account_signup", EVERYONE, note="shows that sign-up is closed"),
    Route("account_reauthenticate", ANY_SIGNED_IN),
    Route("account_email", ANY_SIGNED_IN),
    Route("account_email_verification_sent", EVERYONE),
    Route("account_change_password", ANY_SIGNED_IN),
    Route("account_set_password", ANY_SIGNED_IN),
    Route("account_reset_password", EVERYONE),
    Route(
        "account_confirm_login_code",
        ANY_SIGNED_IN,
        note="sign-in by code is off: anonymous goes to sign-in, others home",
    ),
    Route("account_confirm_email", EVERYONE, kwargs=lambda cast: {"key": "unknown"}),
    Route("account_reset_password_from_key_done", EVERYONE),
    Route(
        "account_reset_password_from_key",
        EVERYONE,
        kwargs=lambda cast: {"uidb36": "1", "key": "bad-key"},
    ),
    Route("account_reset_password_done", EVERYONE),
    Route("mfa_index", ANY_SIGNED_IN),
    Route(
        "mfa_authenticate",
        ANY_SIGNED_IN,
        note="with no sign-in pending, anonymous goes to sign-in, others home",
    ),
    Route("mfa_reauthenticate", ANY_SIGNED_IN),
    Route("mfa_activate_totp", ANY_SIGNED_IN),
    Route("mfa_deactivate_totp", NOBODY_WITHOUT_2FA, note=NO_2FA),
    Route("mfa_view_recovery_codes", NOBODY_WITHOUT_2FA, note=NO_2FA),
    Route("mfa_generate_recovery_codes", ANY_SIGNED_IN),
    Route("mfa_download_recovery_codes", NOBODY_WITHOUT_2FA, note=NO_2FA),
]
