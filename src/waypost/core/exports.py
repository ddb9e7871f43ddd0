"""Everything about a person, to take away: the sections apps add to "download my data".

Each app that keeps something about a person registers a :class:`Section` from its
``AppConfig.ready()`` (in its own ``exports.py``): a key, a title, its place in the
order and a ``collect(user)`` function returning that part of the person's data.
A section may also offer files of its own (a completed questionnaire as FHIR
JSON), each with a path in the download and, when there is one, the address
where it can be downloaded alone. The data page and the download read this
registry and never name the apps that fill it.

What ``collect`` returns is plain data: dicts with string keys, lists, strings,
numbers, booleans, ``None``, and dates, times and datetimes (written as ISO 8601,
datetimes in UTC, in the JSON; in the person's own time zone in the readable
copy). Keys are stable snake_case words for programs; ``labels`` gives the words a
person reads for them (:data:`COMMON_LABELS` covers the usual ones).

Sections read through the models, so encrypted text is decrypted as the person's
own pages show it; they include only what is the person's (what they wrote and
answered, what was shared with them), never a clinician's private notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from waypost.core.audit import register_subject
from waypost.core.models import AuditEvent

if TYPE_CHECKING:
    # The configured user model (AUTH_USER_MODEL), as django-stubs resolves it.
    from django.contrib.auth.models import _User as User
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

#: The name and version of the download's format (``waypost-data.json``). A change
#: that renames or removes a key, or changes what one means, raises the version.
FORMAT = "waypost-data"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ExportFile:
    """One file of a section, such as a questionnaire as FHIR JSON.

    ``path`` is where it goes in the ZIP (``health-records/…``), ``group`` what it is about
    (one completed questionnaire), ``label`` which file of the group it is.
    ``content`` makes its bytes only when the ZIP is built. ``url`` is where it can
    be downloaded on its own ("" when only the ZIP holds it).
    """

    path: str
    group: str
    label: StrOrPromise
    content: Callable[[], bytes]
    url: str = ""


@dataclass(frozen=True)
class Section:
    """One app's part of a person's data."""

    key: str
    title: StrOrPromise
    collect: Callable[[User], Any]
    order: int = 100
    # One sentence on what the section holds, for the data page and the readable copy.
    description: StrOrPromise = ""
    # Words for this section's keys in the readable copy (beyond COMMON_LABELS).
    labels: Mapping[str, StrOrPromise] = field(default_factory=dict)
    # The section's own files, if any (FHIR resources …).
    files: Callable[[User], list[ExportFile]] | None = None
    # Keys left out of the readable copy: raw values kept for programs, read above them.
    machine_only: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Collected:
    """A section and what it collected for one person."""

    section: Section
    data: Any

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> StrOrPromise:
        return self.section.title


#: Words for keys many sections use.
COMMON_LABELS: dict[str, StrOrPromise] = {
    "at": _("When"),
    "created_at": _("Created"),
    "started_at": _("Started"),
    "updated_at": _("Last changed"),
    "completed_at": _("Completed"),
    "saved_at": _("Saved"),
    "saved_by": _("Saved by"),
    "in_session": _("Done together in a session"),
    "version": _("Version"),
    "versions": _("Versions"),
    "note": _("Note"),
    "notes": _("Notes"),
    "name": _("Name"),
    "title": _("Title"),
    "status": _("Status"),
    "clinic": _("Clinic"),
    "text": _("Text"),
}

#: Keys every readable copy leaves out: stable names for programs ("first_exposure"),
#: shown in words beside them.
MACHINE_ONLY = frozenset({"key"})

_registry: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add an app's section (from ``AppConfig.ready()``); a key is registered once."""
    if section.key in _registry and _registry[section.key] != section:
        raise ValueError(f"export section {section.key!r} is already registered")
    _registry[section.key] = section
    return section


def unregister(key: str) -> None:
    """Remove a section (tests that register their own)."""
    _registry.pop(key, None)


def sections() -> list[Section]:
    """Every registered section, in order."""
    return sorted(_registry.values(), key=lambda s: (s.order, s.key))


def collect(user: User) -> list[Collected]:
    """What each section holds about ``user``, in order."""
    return [Collected(section, section.collect(user)) for section in sections()]


def files(user: User) -> list[ExportFile]:
    """Every section's files for ``user``, in the sections' order."""
    out: list[ExportFile] = []
    for section in sections():
        if section.files is not None:
            out.extend(section.files(user))
    return out


def plain(value: Any) -> Any:
    """``value`` as JSON: datetimes in UTC with a Z, dates and times in ISO 8601."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    raise TypeError(f"cannot export a {type(value).__name__}")


def document(
    collected: list[Collected], extra_files: list[ExportFile], *, exported_at: datetime
) -> dict[str, Any]:
    """The whole download as one JSON document, with its format and version.

    ``sections`` maps each section's key to its title and data; ``files`` lists the
    other files of the download (their path in the ZIP, what they are about).
    """
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": plain(exported_at),
        "sections": {c.key: {"title": str(c.title), "data": plain(c.data)} for c in collected},
        "files": [{"path": f.path, "about": f.group, "what": str(f.label)} for f in extra_files],
    }


def dumps(value: Any) -> bytes:
    """JSON as people can read it too: indented, UTF-8, not escaped to ASCII."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False).encode("utf-8")


# --- the audit trail ------------------------------------------------------------------

#: The audit subject of a person's download of all their own data.
DOWNLOAD_SUBJECT = "own data download"
register_subject(DOWNLOAD_SUBJECT, _("All their own data, downloaded by the client"))


def record_download(
    *, user: User, enrollments: list[Enrollment], path: str = ""
) -> list[AuditEvent]:
    """Put the person's download of everything about them on their clinics' audit trails.

    One "exported" row per enrollment, written in one query, with the client as the
    one who acted. The trail otherwise leaves out what clients do with their own
    record (``core.audit.record_access``); a download of all of it is the exception,
    so a clinic can see it happened if a session was ever borrowed or stolen. This
    is the only write a download makes.
    """
    rows = [
        AuditEvent(
            actor=user,
            clinic_id=enrollment.clinic_id,
            client_id=enrollment.client_id,
            action=AuditEvent.Action.EXPORT,
            what=DOWNLOAD_SUBJECT,
            path=path[:500],
        )
        for enrollment in enrollments
    ]
    return AuditEvent.objects.bulk_create(rows) if rows else []
