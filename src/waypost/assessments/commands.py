"""``waypost instruments list|score``: the instrument catalogue from the command line.

No database and no Django: the files are read and scored directly, and
nothing is stored. Exit status 0 on success, 2 on bad input or a broken file.
"""

from __future__ import annotations

import argparse
import json
import sys

from waypost.assessments import catalog, scoring


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "instruments", help="list the questionnaires, or score one without storing anything"
    )
    commands = parser.add_subparsers(dest="instruments_command", required=True)
    listing = commands.add_parser("list", help="every instrument: id, items, range, bands, licence")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)
    score = commands.add_parser("score", help="score one completed form")
    score.add_argument("instrument", metavar="ID", help="e.g. phq-9 (see `instruments list`)")
    score.add_argument(
        "--answers",
        required=True,
        help="the chosen options' scores in item order, comma-separated, e.g. 0,1,2,3",
    )
    score.add_argument("--json", action="store_true", help="print JSON")
    score.set_defaults(func=cmd_score)


def _catalog() -> dict[str, catalog.Entry] | None:
    try:
        return catalog.catalog()
    except catalog.InstrumentFileError as exc:
        print(f"waypost instruments: {exc}", file=sys.stderr)
        return None


def cmd_list(args: argparse.Namespace) -> int:
    entries = _catalog()
    if entries is None:
        return 2
    summaries = [entry.summary() for entry in entries.values()]
    if args.json:
        print(json.dumps(summaries, indent=2, ensure_ascii=False))
        return 0
    for s in summaries:
        low, high = s["range"]
        print(
            f"{s['id']:14} {s['short_name']:10} {s['items']:>3} items  {low}–{high}  {s['title']}"
        )
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    entries = _catalog()
    if entries is None:
        return 2
    entry = entries.get(args.instrument)
    if entry is None:
        known = ", ".join(sorted(entries))
        print(
            f"waypost instruments: no instrument {args.instrument!r}; known: {known}",
            file=sys.stderr,
        )
        return 2
    try:
        result = scoring.score(entry.instrument, scoring.parse_answers(args.answers))
    except scoring.AnswerError as exc:
        print(f"waypost instruments: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    print(
        f"{entry.instrument.short_name}: {result.total}"
        + (f" ({result.band})" if result.band else "")
    )
    for name, value in result.subscales.items():
        print(f"  {name}: {value}")
    for flag in result.flags:
        print(f"  flag: {flag}")
    return 0
