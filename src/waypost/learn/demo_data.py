"""Demo reading: what each demo client has read, and what their clinician has assigned.

- client 1 (two weeks in): read two core modules, started a third; two assigned,
  one due in two days;
- clients 2-4: read every core module and more, as fits how far along they are;
- the ally (client 2's partner) reads the module for partners and families, which
  needs no data: allies see the modules written for them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from waypost.learn import services
from waypost.learn.content import Library, Module, library
from waypost.program.models import Enrollment

if TYPE_CHECKING:
    from waypost.demo import DemoContext

# client number -> [(days after joining, slug)] read, in order
_READ = {
    1: [(2, "five-cs"), (6, "supernormal-stimulus")],
    2: [
        (2, "what-recovery-looks-like"),
        (4, "five-cs"),
        (8, "supernormal-stimulus"),
        (13, "shame-and-secrecy"),
        (17, "values-and-distress"),
        (24, "lapses-are-information"),
        (31, "early-abstinence"),
        (40, "triggers-and-the-chain"),
    ],
    3: [
        (1, "five-cs"),
        (5, "what-recovery-looks-like"),
        (9, "supernormal-stimulus"),
        (15, "shame-and-secrecy"),
        (30, "lapses-are-information"),
        (38, "early-abstinence"),
        (45, "triggers-and-the-chain"),
        (60, "sleep-stress-and-the-body"),
        (90, "talking-to-a-partner"),
    ],
    4: [
        (3, "five-cs"),
        (6, "what-recovery-looks-like"),
        (10, "supernormal-stimulus"),
        (16, "shame-and-secrecy"),
        (21, "values-and-distress"),
        (35, "lapses-are-information"),
        (44, "early-abstinence"),
        (50, "triggers-and-the-chain"),
        (66, "sleep-stress-and-the-body"),
        (110, "talking-to-a-partner"),
        (400, "a-life-worth-staying-for"),
    ],
}

# client number -> [(days after joining it was assigned, slug, due: days from now or None)]
# still open (not withdrawn); the ones already read show as read on the record.
_ASSIGNED: dict[int, list[tuple[int, str, int | None]]] = {
    1: [(7, "shame-and-secrecy", 2), (7, "what-recovery-looks-like", 9)],
    2: [(38, "triggers-and-the-chain", None), (60, "sleep-stress-and-the-body", 6)],
    3: [(84, "talking-to-a-partner", None)],
    4: [(392, "a-life-worth-staying-for", None)],
}

_NOTES = {
    1: (
        "five-cs",
        "Loss of control is the one. I have deleted everything at least five times this "
        "year. Consequences: sleep, and how distant I feel from everyone.",
    ),
}


def load(context: DemoContext) -> None:
    books = library()
    for n in range(1, 5):
        enrollment = context.client(n)
        _assign(context, enrollment, n)
        joined = enrollment.created_at
        for days, slug in _READ[n]:
            at = min(joined + timedelta(days=days, hours=9), context.now - timedelta(hours=2))
            module = _module(books, slug)
            services.open_module(
                client=enrollment.client, module=module, at=at - timedelta(minutes=25)
            )
            services.mark_read(enrollment=enrollment, module=module, at=at)
        if n in _NOTES:
            slug, note = _NOTES[n]
            services.save_note(
                client=enrollment.client,
                module=_module(books, slug),
                note=note,
                at=joined + timedelta(days=2, hours=14),
            )
    # client 1 opened the shame module yesterday evening and has not finished it
    client1 = context.client(1)
    services.open_module(
        client=client1.client,
        module=_module(books, "shame-and-secrecy"),
        at=context.now - timedelta(hours=20),
    )


def _module(books: Library, slug: str) -> Module:
    module = books.get(slug)
    if module is None:
        raise LookupError(f"the demo reads {slug!r}, which is not in the library")
    return module


def _assign(context: DemoContext, enrollment: Enrollment, n: int) -> None:
    books = library()
    today = timezone.localtime(context.now, ZoneInfo(context.clinic.time_zone)).date()
    for days, slug, due_in in _ASSIGNED[n]:
        at = min(
            enrollment.created_at + timedelta(days=days, hours=3), context.now - timedelta(hours=6)
        )
        services.assign_module(
            enrollment=enrollment,
            module=_module(books, slug),
            by=enrollment.primary_clinician.user,
            due_on=today + timedelta(days=due_in) if due_in is not None else None,
            at=at,
        )
