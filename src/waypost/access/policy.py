"""The one access policy: may this person do this to this thing?

Every view and API endpoint asks here, and every queryset of client data is
narrowed by the ``visible_*`` selectors below, so a forgotten check shows
nothing rather than everything. ``tests/core/test_roles.py`` requests every
URL as every role against the expectations kept there.

Who may do what
- client: everything about their own enrollment; the daily check-in from Stage 2 on.
- their primary clinician: view the record, change the stage, invite allies
  on the client's behalf is *not* allowed (consent is the client's).
- another clinician, even of the same clinic: nothing about the client.
- their primary clinician also assigns work (measures, reading), edits the
  safety plan with the client and acknowledges risk alerts.
- whoever sent an invitation: resend it (a new link) or withdraw it.
- clinic admin: clinic settings, staff, invitations, the audit trail, the
  roster (name, stage, clinician), the clinic-wide risk inbox (who needs a
  response and who is responsible) and the clinic's own questionnaires
  (upload, check, publish, withdraw), not the clinical record.
- ally: only the scopes the client consented to, while the link is open;
  once every link has ended, a kind page and the guide for allies, never data.
- any clinician: their own caseload and risk inbox (each row scoped to them).
- everyone with a role: the reading library (allies see the modules for allies).
- API tokens: staff (clinicians, clinic admins) and accounts with no client or
  ally role (an integration); someone who is only a client or an ally, or was
  an ally, has no use for them and does not see them.
- anonymous: the public directory, crisis lines and sign-in.

The policy imports no app. It knows people's relations through the loaders the
apps register (``register_role_loader``) and the objects it is asked about by
their attributes (``client_id``, ``clinic_id``, ``primary_clinician_id`` …).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeGuard, overload

from django.core.exceptions import PermissionDenied
from django.db.models import Exists

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it: the
    # policy names no app's user class, not even for types.
    from django.contrib.auth.models import _User as User
    from django.db.models import QuerySet

    from waypost.clinics.models import ClinicianProfile
    from waypost.connect.models import AllyLink
    from waypost.program.models import Enrollment


class Action(StrEnum):
    VIEW_RECORD = "view_record"  # the clinical record of a client
    CHANGE_STAGE = "change_stage"
    VIEW_OWN = "view_own"  # a client's own program
    MANAGE_ALLIES = "manage_allies"  # invite allies, grant and withdraw consent
    VIEW_SHARED = "view_shared"  # an ally reading one consented scope
    VIEW_ROSTER = "view_roster"  # names, stages and clinicians of a clinic's clients
    MANAGE_CLINIC = "manage_clinic"
    VIEW_AUDIT = "view_audit"
    INVITE_CLINICIAN = "invite_clinician"
    INVITE_CLIENT = "invite_client"
    # (obj: the invitation) resend or withdraw it: only the person who sent it
    MANAGE_INVITATION = "manage_invitation"
    # Stage 1 onwards: clinical work with a client (obj: the enrollment)
    ASSIGN_WORK = "assign_work"  # measures, reading, homework, on a schedule or once
    EDIT_SAFETY_PLAN = "edit_safety_plan"  # the client, or their clinician with them
    ACKNOWLEDGE_ALERT = "acknowledge_alert"  # a risk alert raised for the client
    # Stage 2 onwards (obj: the enrollment)
    CHECK_IN = "check_in"  # the daily check-in: the client themself, from Stage 2 on
    # the client's own Stage 2 log: urges, lapses, the device plan, the practice log
    LOG_RECOVERY = "log_recovery"
    # the recovery and relapse-prevention plans: the client, or their clinician with them
    EDIT_RECOVERY_PLAN = "edit_recovery_plan"
    REVIEW_PLAN = "review_plan"  # the clinician agrees or reviews a plan version with the client
    # Shield, the DNS filter: the client's devices on it, their setup, urge lockdown, names
    # added to the client's block-list, "wrong block?" requests: the client, or their
    # clinician with them
    MANAGE_SHIELD = "manage_shield"
    # allow a name for the client (deciding a "wrong block?" request): the clinician only,
    # so a hard moment cannot open the filter
    ALLOW_SHIELD_NAME = "allow_shield_name"
    # (obj: the clinic)
    VIEW_CLINIC_RISK = "view_clinic_risk"  # the clinic-wide risk inbox, for cover and oversight
    MANAGE_INSTRUMENTS = "manage_instruments"  # upload, check, publish the clinic's questionnaires
    # Stage 3 (obj: the clinic): its peer meeting directory, read by its clients and staff
    BROWSE_MEETINGS = "browse_meetings"
    # feeds and hand-added meetings: the clinic's staff (clinicians and admins)
    MANAGE_MEETINGS = "manage_meetings"
    # group programmes: define, schedule, enrol (the clinic's clinicians and admins)
    MANAGE_GROUPS = "manage_groups"
    # (obj: a group programme) attendance and session notes: its facilitators only
    RUN_GROUP = "run_group"
    # (obj: the enrollment) a family or partner session in the record: the primary
    # clinician (the client's consent is checked by the service that records it)
    RECORD_FAMILY_SESSION = "record_family_session"
    # Stage 4 and the clinician's workspace (obj: the enrollment)
    # secure messages between the client and their care team: the client, their clinician
    SEND_MESSAGE = "send_message"
    # book, move or cancel the client's appointments: the primary clinician
    BOOK_APPOINTMENT = "book_appointment"
    # Stage 4's long-term goals and maintenance plan: the client, or their clinician
    EDIT_GOALS = "edit_goals"
    # (obj: the clinic) the on-call rota and escalation times: the clinic's admins
    MANAGE_ESCALATION = "manage_escalation"
    # (obj: the enrollment) write, sign and amend session notes, set homework: the primary
    # clinician
    WRITE_SESSION_NOTE = "write_session_note"
    # (obj: the enrollment) export the whole record as JSON (FHIR) and CSV: the primary
    # clinician
    EXPORT_RECORD = "export_record"
    # (obj: the enrollment) a progress report (HTML, PDF): the client, their clinician
    MAKE_REPORT = "make_report"
    # (obj: the clinic) the clinic's outcomes, naming no client: its clinicians and admins
    VIEW_OUTCOMES = "view_outcomes"
    # (obj: an ally link) how often the ally hears from Waypost: the ally of an open link
    SET_ALLY_ALERTS = "set_ally_alerts"
    # (no obj): pages that belong to a role rather than to one client
    VIEW_CASELOAD = "view_caseload"  # a clinician's own caseload
    VIEW_RISK_INBOX = "view_risk_inbox"  # a clinician's own risk inbox
    READ_LIBRARY = "read_library"  # the reading library: clients, allies, staff previewing
    VIEW_ALLY_HOME = "view_ally_home"  # an ally's list of people, also once sharing has ended
    READ_ALLY_GUIDE = "read_ally_guide"  # what helps and what harms: allies, former allies, clients
    # an ally's own wellbeing check-in: anyone who is an ally now
    ALLY_WELLBEING = "ally_wellbeing"
    # a private calendar feed of one's groups and meetings: clients, clinicians, allies
    USE_CALENDAR_FEED = "use_calendar_feed"
    # personal access tokens for the API: staff and integration accounts, not clients or allies
    USE_API_TOKENS = "use_api_tokens"


@dataclass
class Roles:
    """Everything a person is, loaded once per request."""

    clinician_profiles: list[ClinicianProfile] = field(default_factory=list)
    admin_clinic_ids: set[int] = field(default_factory=set)
    enrollments: list[Enrollment] = field(default_factory=list)
    ally_links: list[AllyLink] = field(default_factory=list)
    user: User | None = field(default=None, repr=False)
    _was_ally: bool | None = field(default=None, repr=False)

    @property
    def is_clinician(self) -> bool:
        return bool(self.clinician_profiles)

    @property
    def is_admin(self) -> bool:
        return bool(self.admin_clinic_ids)

    @property
    def is_client(self) -> bool:
        return bool(self.enrollments)

    @property
    def is_ally(self) -> bool:
        return bool(self.ally_links)

    @property
    def was_ally(self) -> bool:
        """Was an ally once, even if every link has ended (asked only when needed)."""
        if self.is_ally:
            return True
        if self._was_ally is None:
            loader = _lazy_loaders.get("was_ally")
            self._was_ally = bool(loader and self.user is not None and loader(self.user))
        return self._was_ally

    @property
    def names(self) -> list[str]:
        out = []
        if self.is_client:
            out.append("client")
        if self.is_clinician:
            out.append("clinician")
        if self.is_admin:
            out.append("clinic_admin")
        if self.is_ally:
            out.append("ally")
        return out

    def clinician_profile_at(self, clinic_id: int) -> ClinicianProfile | None:
        for profile in self.clinician_profiles:
            if profile.clinic_id == clinic_id:
                return profile
        return None

    @property
    def enrollment(self) -> Enrollment | None:
        """The client's current enrollment (the first, if in more than one clinic)."""
        return self.enrollments[0] if self.enrollments else None

    @property
    def clinic_ids(self) -> set[int]:
        ids = set(self.admin_clinic_ids)
        ids.update(p.clinic_id for p in self.clinician_profiles)
        ids.update(e.clinic_id for e in self.enrollments)
        return ids


# --- where roles come from ----------------------------------------------------------
#
# The policy imports no app: each app that holds a kind of relation registers, from
# its AppConfig.ready(), a loader that returns that relation for a user. Clinics load
# clinician profiles and admin seats, program loads enrollments, connect loads ally
# links. The rules below read them by their attributes only.

# What a loader returns depends on the field it fills (the overloads below say which).
RoleLoader = Callable[["User"], Any]
_loaders: dict[str, RoleLoader] = {}
_lazy_loaders: dict[str, RoleLoader] = {}
# A relation's rows for the user at ``OuterRef("pk")`` (see ``register_role_loader``).
Probe = Callable[[], "QuerySet[Any]"]
_probes: dict[str, Probe] = {}
# What a field holds for someone without that relation (no need to ask its loader).
_NONE: dict[str, Callable[[], Any]] = {
    "clinician_profiles": list,
    "admin_clinic_ids": set,
    "enrollments": list,
    "ally_links": list,
}
# Loaded for every signed-in request (navigation needs them all) …
_ROLE_FIELDS = ("clinician_profiles", "admin_clinic_ids", "enrollments", "ally_links")
# … and loaded only when a rule asks.
_LAZY_FIELDS = ("was_ally",)


@overload
def register_role_loader(
    name: Literal["clinician_profiles"],
    loader: Callable[[User], list[ClinicianProfile]],
    *,
    probe: Probe | None = ...,
) -> None: ...
@overload
def register_role_loader(
    name: Literal["admin_clinic_ids"],
    loader: Callable[[User], set[int]],
    *,
    probe: Probe | None = ...,
) -> None: ...
@overload
def register_role_loader(
    name: Literal["enrollments"],
    loader: Callable[[User], list[Enrollment]],
    *,
    probe: Probe | None = ...,
) -> None: ...
@overload
def register_role_loader(
    name: Literal["ally_links"],
    loader: Callable[[User], list[AllyLink]],
    *,
    probe: Probe | None = ...,
) -> None: ...
@overload
def register_role_loader(name: Literal["was_ally"], loader: Callable[[User], bool]) -> None: ...
def register_role_loader(name: str, loader: RoleLoader, *, probe: Probe | None = None) -> None:
    """Let an app fill one of the ``Roles`` fields for a signed-in, active user.

    ``probe`` (optional) returns a queryset of the relation whose rows point at the
    user through ``OuterRef("pk")``: one query then asks every probe at once whether
    the person has that relation at all, and only the loaders of relations they have
    run (a client costs two queries, not four).
    """
    if probe is not None:
        _probes[name] = probe
    if name in _LAZY_FIELDS:
        _lazy_loaders[name] = loader
        return
    if name not in _ROLE_FIELDS:
        known = ", ".join((*_ROLE_FIELDS, *_LAZY_FIELDS))
        raise ValueError(f"unknown role field {name!r}; known: {known}")
    _loaders[name] = loader


# The attribute of the user object that holds its roles for the rest of the request.
_CACHED_ROLES = "_waypost_roles"


def roles_of(user: User | AnonymousUser | None) -> Roles:
    """The person's roles; cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles()
    cached = getattr(user, _CACHED_ROLES, None)
    if isinstance(cached, Roles):
        return cached
    present = _present(user)
    roles = Roles(
        user=user,
        **{
            name: loader(user) if present.get(name, True) else _NONE[name]()
            for name, loader in _loaders.items()
        },
    )
    setattr(user, _CACHED_ROLES, roles)
    return roles


def _present(user: User) -> dict[str, bool]:
    """Which probed relations the person has at all, in one query (none probed: ``{}``)."""
    probed = [name for name in _loaders if name in _probes]
    if len(probed) < 2:
        return {}  # one probe and one load would cost what the load alone does
    row = (
        # ``_meta.model``, not ``type(user)``: request.user is a lazy wrapper.
        user._meta.model._default_manager.filter(pk=user.pk)
        .annotate(**{f"has_{name}": Exists(_probes[name]()) for name in probed})
        .values_list(*(f"has_{name}" for name in probed))
        .first()
    )
    return dict(zip(probed, row, strict=True)) if row is not None else {}


def forget_roles(user: User | AnonymousUser | None) -> None:
    """Drop the cached roles after a change to them within the same request."""
    if hasattr(user, _CACHED_ROLES):
        delattr(user, _CACHED_ROLES)


# ``obj`` is the thing acted on, judged by its attributes (``client_id``, ``ally_id``,
# ``pk`` …), never by its class: an enrollment, an ally link or a clinic, by action.
def can(
    user: User | AnonymousUser | None,
    action: Action,
    obj: Any = None,
    *,
    scope: str | None = None,
) -> TypeGuard[User]:
    """May ``user`` do ``action`` to ``obj``? The single answer for views, API and tasks.

    Only a signed-in person may do anything, so a yes also tells the type checker
    that ``user`` is one.
    """
    roles = roles_of(user)
    if not user or not user.is_authenticated:
        return False
    match action:
        case (
            Action.VIEW_RECORD
            | Action.CHANGE_STAGE
            | Action.ASSIGN_WORK
            | Action.ACKNOWLEDGE_ALERT
            | Action.RECORD_FAMILY_SESSION
            | Action.BOOK_APPOINTMENT
            | Action.WRITE_SESSION_NOTE
            | Action.EXPORT_RECORD
        ):
            return _is_primary_clinician(user, obj)
        case Action.REVIEW_PLAN | Action.ALLOW_SHIELD_NAME:
            return obj is not None and obj.stage >= 2 and _is_primary_clinician(user, obj)
        case Action.EDIT_SAFETY_PLAN:
            return obj is not None and (
                obj.client_id == user.pk or _is_primary_clinician(user, obj)
            )
        case Action.SEND_MESSAGE | Action.MAKE_REPORT:
            return obj is not None and (
                obj.client_id == user.pk or _is_primary_clinician(user, obj)
            )
        case Action.EDIT_GOALS:
            return (
                obj is not None
                and obj.stage >= 4
                and (obj.client_id == user.pk or _is_primary_clinician(user, obj))
            )
        case Action.VIEW_OWN | Action.MANAGE_ALLIES:
            return obj is not None and obj.client_id == user.pk
        case Action.CHECK_IN | Action.LOG_RECOVERY:
            # Stage 2 is where the day counter begins; an earlier client has nothing to count.
            return obj is not None and obj.client_id == user.pk and obj.stage >= 2
        case Action.EDIT_RECOVERY_PLAN | Action.MANAGE_SHIELD:
            return (
                obj is not None
                and obj.stage >= 2
                and (obj.client_id == user.pk or _is_primary_clinician(user, obj))
            )
        case Action.VIEW_SHARED:
            return (
                scope is not None
                and obj is not None
                and obj.ally_id == user.pk
                and obj.allows(scope)
            )
        case (
            Action.VIEW_ROSTER
            | Action.MANAGE_CLINIC
            | Action.VIEW_AUDIT
            | Action.INVITE_CLINICIAN
            | Action.VIEW_CLINIC_RISK
            | Action.MANAGE_INSTRUMENTS
            | Action.MANAGE_ESCALATION
        ):
            return obj is not None and obj.pk in roles.admin_clinic_ids
        case Action.INVITE_CLIENT:
            return obj is not None and roles.clinician_profile_at(obj.pk) is not None
        case Action.MANAGE_MEETINGS | Action.MANAGE_GROUPS | Action.VIEW_OUTCOMES:
            return obj is not None and (
                obj.pk in roles.admin_clinic_ids or roles.clinician_profile_at(obj.pk) is not None
            )
        case Action.BROWSE_MEETINGS:
            return obj is not None and (
                obj.pk in roles.admin_clinic_ids
                or roles.clinician_profile_at(obj.pk) is not None
                or (roles.enrollment is not None and roles.enrollment.clinic_id == obj.pk)
            )
        case Action.RUN_GROUP:
            # obj: a group programme, judged by ``clinic_id`` and ``facilitated_by(profile_id)``
            if obj is None:
                return False
            profile = roles.clinician_profile_at(obj.clinic_id)
            return profile is not None and bool(obj.facilitated_by(profile.pk))
        case Action.SET_ALLY_ALERTS:
            return obj is not None and obj.ally_id == user.pk and obj.is_active
        case Action.ALLY_WELLBEING:
            return roles.is_ally
        case Action.USE_CALENDAR_FEED:
            return roles.is_client or roles.is_clinician or roles.is_ally
        case Action.MANAGE_INVITATION:
            # The sender only (as for an ally's invitation); a clinic's admins share the
            # staff invitations through clinics.services.revoke_staff_invitation instead.
            return obj is not None and obj.invited_by_id == user.pk
        case Action.VIEW_CASELOAD | Action.VIEW_RISK_INBOX:
            return roles.is_clinician
        case Action.READ_LIBRARY:
            return roles.is_client or roles.is_ally or roles.is_clinician or roles.is_admin
        case Action.VIEW_ALLY_HOME:
            return roles.was_ally
        case Action.READ_ALLY_GUIDE:
            return roles.is_client or roles.was_ally
        case Action.USE_API_TOKENS:
            if roles.is_clinician or roles.is_admin:
                return True
            return not (roles.is_client or roles.was_ally)
    return False


def require(
    user: User | AnonymousUser | None,
    action: Action,
    obj: Any = None,
    *,
    scope: str | None = None,
) -> None:
    """Raise ``PermissionDenied`` unless ``can(...)``."""
    if not can(user, action, obj, scope=scope):
        raise PermissionDenied


def _is_primary_clinician(user: User, enrollment: Enrollment | None) -> bool:
    if enrollment is None:
        return False
    profile = roles_of(user).clinician_profile_at(enrollment.clinic_id)
    return profile is not None and enrollment.primary_clinician_id == profile.pk


def own_enrollment(user: User | AnonymousUser | None) -> Enrollment:
    """The signed-in client's own enrollment, for their pages; 403 for anyone else.

    The one way in for every client page: it reads the enrollment from the
    person's roles (never from the URL) and checks ``VIEW_OWN``.
    """
    enrollment = roles_of(user).enrollment
    if enrollment is None:
        raise PermissionDenied
    require(user, Action.VIEW_OWN, enrollment)
    return enrollment
