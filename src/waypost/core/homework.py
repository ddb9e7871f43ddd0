"""Homework: the work set for a client, from every app, with whether it was done.

Each app that sets a client work registers a :class:`Source` from its
``AppConfig.ready()`` (in its own ``homework.py``): the reading library its reading
assignments (modules), the questionnaires the forms it opened (measures), the
session notes app the clinician's free-text exercises. The clinician's Homework
card and page read this registry and never name the apps that fill it.

A source's ``items`` function gets enrollments and returns, for each enrollment id
that has any, its :class:`Item`\\ s. It is asked for many enrollments at once, so
it must cost a fixed number of queries whatever their number and whatever the
history (one query, usually). With ``since``, it may leave out work set before
then that is finished (done or missed); work still open is always listed.

Sources are data, not decisions: the page that shows them has already checked
that the person may see the client's record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.program.models import Enrollment

# What kind of work an item is.
MODULE = "module"
EXERCISE = "exercise"
MEASURE = "measure"
KIND_LABELS: dict[str, StrOrPromise] = {
    MODULE: _("Reading"),
    EXERCISE: _("Exercise"),
    MEASURE: _("Questionnaire"),
}

# Where an item stands on a given day.
DONE = "done"
MISSED = "missed"  # closed without being done: a questionnaire that expired
OVERDUE = "overdue"  # not done, and its day has gone by
OPEN = "open"
STATUS_LABELS: dict[str, StrOrPromise] = {
    DONE: _("done"),
    MISSED: _("missed"),
    OVERDUE: _("overdue"),
    OPEN: _("open"),
}


@dataclass(frozen=True)
class Item:
    """One piece of work set for the client.

    ``key`` is unique within the client's homework (``"learn.12"``); ``title`` is what
    the clinician reads; ``set_on`` when it was set; ``due`` the day it is due by, if
    any; ``completed_on`` when it was done, if it was; ``missed`` whether it closed
    without being done; ``url`` where the clinician sees it.
    """

    key: str
    title: str
    kind: str
    set_on: datetime
    url: str = ""
    due: date | None = None
    completed_on: datetime | None = None
    missed: bool = False

    def status(self, today: date) -> str:
        """Done, missed, overdue or open, on the client's ``today``."""
        if self.completed_on is not None:
            return DONE
        if self.missed:
            return MISSED
        if self.due is not None and self.due < today:
            return OVERDUE
        return OPEN

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


ItemsFunction = Callable[["Sequence[Enrollment]", "datetime | None"], Mapping[int, list[Item]]]


@dataclass(frozen=True)
class Source:
    """An app's kind of homework: its key, its heading and how to list it."""

    key: str
    label: StrOrPromise
    items: ItemsFunction
    order: int = 100


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add (or, with the same key, replace) a source of homework."""
    _sources[source.key] = source
    return source


def unregister(key: str) -> None:
    """Remove a source (tests that register their own)."""
    _sources.pop(key, None)


def sources() -> list[Source]:
    """Every registered source, in order."""
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class Shown:
    """An item with its status on the day it is shown."""

    item: Item
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Group:
    """One source's homework for one client: what is still to do, then what is finished."""

    source: Source
    pending: list[Shown]  # open and overdue, soonest due first
    finished: list[Shown]  # done and missed, latest first

    @property
    def total(self) -> int:
        return len(self.pending) + len(self.finished)

    def count(self, status: str) -> int:
        return sum(1 for shown in (*self.pending, *self.finished) if shown.status == status)

    @property
    def done(self) -> int:
        return self.count(DONE)

    @property
    def overdue(self) -> int:
        return self.count(OVERDUE)


def _group(source: Source, items: list[Item], today: date) -> Group:
    shown = [Shown(item, item.status(today)) for item in items]
    pending = [s for s in shown if s.status in (OPEN, OVERDUE)]
    finished = [s for s in shown if s.status in (DONE, MISSED)]
    pending.sort(key=lambda s: (s.item.due is None, s.item.due or date.max, s.item.set_on))
    finished.sort(key=lambda s: (s.item.completed_on or s.item.set_on, s.item.set_on), reverse=True)
    return Group(source=source, pending=pending, finished=finished)


def homework_for_many(
    enrollments: Sequence[Enrollment],
    *,
    today: Callable[[Enrollment], date],
    since: datetime | None = None,
) -> dict[int, list[Group]]:
    """Each enrollment's homework, one group per source (empty ones too), in order.

    ``today(enrollment)`` is the client's own date, which says what is overdue. One
    call of each source, whatever the number of enrollments.
    """
    found = {source.key: source.items(enrollments, since) for source in sources()}
    out: dict[int, list[Group]] = {}
    for enrollment in enrollments:
        day = today(enrollment)
        out[enrollment.pk] = [
            _group(source, list(found[source.key].get(enrollment.pk, [])), day)
            for source in sources()
        ]
    return out


def homework_for(
    enrollment: Enrollment, *, today: date, since: datetime | None = None
) -> list[Group]:
    """One client's homework, one group per source, in order."""
    return homework_for_many([enrollment], today=lambda _e: today, since=since)[enrollment.pk]
