"""Operations on people: invitations that grant roles, personal API tokens, sessions."""

from __future__ import annotations

import secrets
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waypost.access.policy import Action, forget_roles, require
from waypost.accounts import invitations as invitation_kinds
from waypost.accounts.invitations import InvitationRequest
from waypost.accounts.models import ApiToken, Invitation, User, hash_token
from waypost.core.audit import security_log
from waypost.core.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from waypost.clinics.models import Clinic
    from waypost.program.models import Enrollment


class InvitationErrorCode(StrEnum):
    NOT_FOUND = "invitation_not_found"
    USED = "invitation_used"
    EXPIRED = "invitation_expired"
    REVOKED = "invitation_revoked"
    WRONG_ACCOUNT = "invitation_wrong_account"
    ACCOUNT_EXISTS = "invitation_account_exists"


class InvitationError(DomainError):
    """An invitation cannot be used; ``code`` (an ``InvitationErrorCode``) says which way."""

    code = "invitation_refused"
    status = 410


def invitation_url(raw_token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", args=[raw_token])


def create_invitation(
    *,
    kind: str,
    clinic: Clinic,
    email: str,
    by: User,
    name: str = "",
    enrollment: Enrollment | None = None,
    scopes: list[str] | None = None,
    relationship: str = "",
    send: bool = True,
) -> tuple[Invitation, str]:
    """Make a single-use, expiring invitation and e-mail its link; return it and the raw token.

    The kind's registered ``prepare`` checks who may send it and fills in what
    the role needs (see ``accounts/invitations.py``).
    """
    spec = invitation_kinds.get(kind)
    extra = spec.prepare(
        InvitationRequest(by=by, clinic=clinic, enrollment=enrollment, scopes=list(scopes or []))
    )
    raw, digest = Invitation.new_token()
    invitation = Invitation.objects.create(
        clinic=clinic,
        kind=kind,
        email=email.strip().lower(),
        name=name.strip(),
        invited_by=by,
        token_hash=digest,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        enrollment=enrollment,
        relationship=relationship,
        **extra,
    )
    if send:
        body = render_to_string(
            "accounts/email/invitation.txt",
            {
                "invitation": invitation,
                "url": invitation_url(raw),
                "days": settings.INVITATION_DAYS,
                "discreet": spec.discreet,
            },
        )
        # Discreet subject: nothing about what Waypost is for.
        send_mail(_("Your Waypost invitation"), body, None, [invitation.email])
    return invitation, raw


def find_invitation(raw_token: str) -> Invitation:
    """The usable invitation for a raw token, or InvitationError saying why not."""
    try:
        invitation = Invitation.objects.select_related("clinic", "invited_by").get(
            token_hash=hash_token(raw_token or "")
        )
    except Invitation.DoesNotExist:
        raise InvitationError(
            _("This invitation link is not valid. Please check that you copied all of it."),
            code=InvitationErrorCode.NOT_FOUND,
        ) from None
    if invitation.accepted_at is not None:
        raise InvitationError(
            _("This invitation has already been used. If that was you, just sign in."),
            code=InvitationErrorCode.USED,
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            _(
                "This link no longer works: the person who sent it withdrew it or sent a "
                "newer one. If you have a newer invitation e-mail, please use the link in that."
            ),
            code=InvitationErrorCode.REVOKED,
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Please ask for a new one."),
            code=InvitationErrorCode.EXPIRED,
        )
    return invitation


def accept_invitation(
    *,
    raw_token: str,
    user: User | AnonymousUser | None = None,
    name: str = "",
    password: str = "",
) -> User:
    """Use the invitation: create the account if needed and grant the role. Single use.

    ``user`` is the signed-in person, if any; the invitation must be for their
    e-mail address. Without one, a new account is made with ``name`` and
    ``password`` (validated); an existing account must sign in first.
    """
    with transaction.atomic():
        invitation = find_invitation(raw_token)
        # Claim it with a conditional update so a double submit cannot use it twice.
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if claimed != 1:
            raise InvitationError(
                _("This invitation has already been used."), code=InvitationErrorCode.USED
            )
        if user is not None and user.is_authenticated:
            if user.email.lower() != invitation.email:
                raise InvitationError(
                    _("This invitation was sent to a different e-mail address."),
                    code=InvitationErrorCode.WRONG_ACCOUNT,
                )
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise InvitationError(
                    _("You already have an account. Please sign in, then open the link again."),
                    code=InvitationErrorCode.ACCOUNT_EXISTS,
                )
            user = User(email=invitation.email, name=name.strip() or invitation.name)
            validate_password(password, user)
            user.set_password(password)
            user.save()
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        invitation_kinds.get(invitation.kind).grant(invitation, user)
    forget_roles(user)
    return user


def revoke_invitation(*, invitation: Invitation, by: User) -> bool:
    """Withdraw an unused invitation; only the person who sent it may (``MANAGE_INVITATION``).

    Its link stops working at once; the row keeps when (``revoked_at``), and
    the sender is who. Returns False when there was nothing to withdraw (already
    used or already withdrawn).
    """
    require(by, Action.MANAGE_INVITATION, invitation)
    withdrawn = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return withdrawn == 1


def resend_invitation(*, invitation: Invitation, by: User) -> tuple[Invitation, str]:
    """Send a fresh single-use link for an unused invitation; the old link stops working.

    Only the sender may. The old invitation is withdrawn and a new one made for
    the same person, role and details, with a new expiry, and e-mailed again;
    the kind's ``prepare`` checks once more that the sender may still invite
    (a clinician who has left the clinic cannot). An invitation already used
    or withdrawn raises ``InvitationError``.
    """
    require(by, Action.MANAGE_INVITATION, invitation)
    with transaction.atomic():
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.accepted_at is not None:
            raise InvitationError(
                _("%(email)s has already accepted this invitation.") % {"email": current.email},
                code=InvitationErrorCode.USED,
            )
        if current.revoked_at is not None:
            raise InvitationError(
                _("This invitation was withdrawn. Please send a new one."),
                code=InvitationErrorCode.REVOKED,
            )
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        return create_invitation(
            kind=current.kind,
            clinic=current.clinic,
            email=current.email,
            name=current.name,
            by=by,
            enrollment=current.enrollment,
            scopes=list(current.scopes or []),
            relationship=current.relationship,
        )


# --- personal access tokens ----------------------------------------------------------

TOKEN_PREFIX = "wpt_"  # noqa: S105 - a prefix, not a secret


def create_api_token(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80] or _("API token"),
        prefix=raw[:10],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return token, raw


def authenticate_token(raw: str) -> User | None:
    """The active user behind an active token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_api_token(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- sessions -----------------------------------------------------------------------


def sign_out_everywhere(*, user: User) -> None:
    """End every session ``user`` has, on every device, from now on.

    A new session salt changes the hash each session carries
    (``User.get_session_auth_hash``), so every other session is signed out on its
    next request, whatever the session store. The view that calls this keeps the
    person's current session with ``update_session_auth_hash``. API tokens are not
    sessions and keep working until they are revoked. Recorded in the
    ``waypost.security`` log (the user's id only).
    """
    user.new_session_salt()
    user.save(update_fields=["session_salt"])
    security_log.info("signed out everywhere: user %d", user.pk)
