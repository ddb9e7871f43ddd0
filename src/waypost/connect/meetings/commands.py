"""``waypost meetings import|soon``: the meeting directory from the command line.

waypost meetings import --clinic SLUG [--timezone ZONE] [--fellowship CODE] FILE_OR_URL
    Import a Meeting Guide feed (a file, or an http/https address) into the clinic's
    directory. Prints ``{"imported", "updated", "unchanged", "rejected": [{"slug",
    "reason"}]}`` as JSON; exit status 0 when the feed was read (even with refused
    meetings), 2 when it could not be read at all (the reason on standard error).
    Meetings that name no time zone use ``--timezone``, else the source's, else the
    clinic's. The same address or file name updates the same source (and meetings).

waypost meetings soon --clinic SLUG [--at ISO-8601 instant] [--hours N] [--json]
    The clinic's online meetings starting within N hours (default 2) of the instant
    (default now): with ``--json`` a JSON array of ``{"slug", "name", "starts_at"}``,
    ``starts_at`` an ISO-8601 instant in UTC with its offset, soonest first. An instant
    without an offset is refused (exit status 2).

Both call the same services as the clinic's pages (``imports.import_feed``,
``selectors.starting_soon``). An unknown clinic: exit status 2, the reason on
standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from waypost import conf

if TYPE_CHECKING:
    from waypost.clinics.models import Clinic

MAX_HOURS = 168.0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("meetings", help="import and search peer support meetings")
    commands = parser.add_subparsers(dest="meetings_command", required=True)
    importing = commands.add_parser(
        "import",
        help="import a Meeting Guide feed (file or URL) into a clinic's directory",
        description="Exit status: 0 the feed was read (some meetings may be refused); "
        "2 it could not be read, or the clinic or time zone is unknown.",
    )
    importing.add_argument("--clinic", required=True, metavar="SLUG", help="the clinic's slug")
    importing.add_argument(
        "--timezone", default="", metavar="ZONE", help="for meetings that name none"
    )
    importing.add_argument(
        "--fellowship", default="", metavar="CODE", help="e.g. SA, SAA, SLAA, SCA"
    )
    importing.add_argument("location", metavar="FILE_OR_URL")
    importing.set_defaults(func=cmd_import)
    soon = commands.add_parser(
        "soon", help="online meetings starting within N hours of an instant, across zones"
    )
    soon.add_argument("--clinic", required=True, metavar="SLUG", help="the clinic's slug")
    soon.add_argument("--at", default="", metavar="ISO-8601", help="an instant with its offset")
    soon.add_argument("--hours", default="2", metavar="N", help="default 2")
    soon.add_argument("--json", action="store_true", help="print JSON")
    soon.set_defaults(func=cmd_soon)


def _fail(message: str) -> int:
    print(f"waypost meetings: {message}", file=sys.stderr)
    return 2


def _clinic(slug: str) -> Clinic | None:
    from waypost.clinics.models import Clinic

    return Clinic.objects.filter(slug=slug).first()


def cmd_import(args: argparse.Namespace) -> int:
    conf.setup_django()
    from django.utils import translation

    from waypost.connect.meetings import feed, reasons, services, vocabulary
    from waypost.connect.meetings.fetch import FetchError, fetch, is_web_address
    from waypost.connect.meetings.imports import import_feed
    from waypost.connect.meetings.models import MeetingSource

    translation.activate("en")
    clinic = _clinic(args.clinic)
    if clinic is None:
        return _fail(f"no clinic with the slug {args.clinic!r}")
    if args.timezone and not feed.is_zone(args.timezone):
        return _fail(f"unknown time zone {args.timezone!r} (an IANA name, e.g. Asia/Singapore)")
    fellowship = ""
    if args.fellowship:
        known = {code.upper(): code for code in vocabulary.FELLOWSHIPS}
        fellowship = known.get(args.fellowship.upper(), "")
        if not fellowship:
            known_words = ", ".join(vocabulary.FELLOWSHIPS)
            return _fail(f"unknown fellowship {args.fellowship!r}; known: {known_words}")
    location: str = args.location
    raw: bytes | None = None
    if is_web_address(location):
        known_source = MeetingSource.objects.filter(clinic=clinic, url=location).exists()
        if not known_source:
            # A new address is fetched before it becomes a source, so a typo leaves nothing.
            try:
                raw = fetch(location)
            except FetchError as exc:
                return _fail(reasons.describe(exc.problem.code, exc.problem.params))
    else:
        path = Path(location)
        try:
            with path.open("rb") as handle:
                raw = handle.read(feed.MAX_BYTES + 1)
        except OSError as exc:
            detail = exc.strerror or type(exc).__name__
            return _fail(reasons.describe("unreadable_file", {"detail": f"{location}: {detail}"}))
        location = path.name
    source = services.find_or_add_source(
        clinic=clinic, location=location, time_zone=args.timezone, fellowship=fellowship
    )
    report = import_feed(source=source, raw=raw)
    if not report.read:
        return _fail(report.error_words())
    print(json.dumps(report.summary(), indent=2, ensure_ascii=False))
    return 0


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def cmd_soon(args: argparse.Namespace) -> int:
    conf.setup_django()
    from django.utils import timezone

    from waypost.connect.meetings import selectors

    if args.at:
        at = _instant(args.at)
        if at is None:
            return _fail(
                f"--at {args.at!r} is not an instant: give an ISO-8601 date and time with its "
                "offset, e.g. 2025-03-09T18:30:00+00:00 or 2025-03-09T18:30Z"
            )
    else:
        at = timezone.now()
    try:
        hours = float(args.hours)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= MAX_HOURS:
        return _fail(f"--hours must be a number of hours above 0 and at most {MAX_HOURS:g}")
    clinic = _clinic(args.clinic)
    if clinic is None:
        return _fail(f"no clinic with the slug {args.clinic!r}")
    found = selectors.starting_soon(clinic, at=at, hours=hours)
    rows = [
        {
            "slug": s.meeting.slug,
            "name": s.meeting.name,
            "starts_at": s.starts_at.astimezone(UTC).isoformat(),
        }
        for s in found
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"No online meeting starts within {hours:g} hours.")
    for row in rows:
        print(f"{row['starts_at']}  {row['name']}  ({row['slug']})")
    return 0
