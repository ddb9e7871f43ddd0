"""``waypost instruments list|score|check``: the instrument catalogue from the command line.

No database and no Django: the files are read and scored directly, and
nothing is stored. Exit status 0 on success, 2 on bad input or a broken file.

``check FILE [--examples FILE]`` runs the checks the clinic's upload page runs
(every problem named, with where it is) and each worked example. Its exit
status: 0 when the file is good and every example gives the expected result;
1 when the file is good but an example does not; 2 when either file cannot be
used (unreadable, not JSON, a broken rule, an example that does not fit the
questionnaire).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from waypost.assessments import catalog, instrument_check, scoring
from waypost.assessments.instrument_problems import Problem
from waypost.assessments.scoring import plain_number


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
    check = commands.add_parser(
        "check",
        help="check a questionnaire file as the clinic's upload page does, and worked examples",
        description=(
            "Exit status: 0 the file is good and every example passes; 1 an example "
            "gives another result than expected; 2 a file cannot be used (every problem "
            "is printed)."
        ),
    )
    check.add_argument("file", metavar="FILE", help="the questionnaire (FHIR Questionnaire JSON)")
    check.add_argument(
        "--examples",
        metavar="FILE",
        help='worked examples: a JSON list of {"answers", "total", "band", "flags"}',
    )
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(func=cmd_check)


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


def _read(path: str) -> tuple[bytes | None, str]:
    """A file's bytes (at most one byte over the limit), or why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read(instrument_check.MAX_FILE_BYTES + 1), ""
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"


def cmd_check(args: argparse.Namespace) -> int:
    """Every problem of the file, or "ok" with a summary and each example checked."""
    builtins = _catalog()
    if builtins is None:
        return 2
    raw, why = _read(args.file)
    if raw is None:
        print(f"waypost instruments: {why}", file=sys.stderr)
        return 2
    checked = instrument_check.check_file(
        raw, builtins=builtins, same_file=Path(args.file), name=Path(args.file).name
    )
    report: dict[str, Any] = {
        "file": args.file,
        "ok": checked.ok,
        "problems": [{"problem": p.text, "at": p.path} for p in checked.problems],
        "notes": list(checked.notes),
    }
    if not checked.ok or checked.entry is None:
        return _report_problems(args, report, checked.problems)
    entry = checked.entry
    report["summary"] = entry.summary()
    results: list[instrument_check.ExampleResult] = []
    if args.examples:
        raw_examples, why = _read(args.examples)
        problems = []
        if raw_examples is None:
            problems = [Problem(why)]
        else:
            data, problems = instrument_check.read_json(raw_examples)
            if not problems:
                examples, problems = instrument_check.read_examples(data, entry.instrument)
                results = [instrument_check.check_example(entry.instrument, e) for e in examples]
        if problems:
            report["ok"] = False
            report["example_problems"] = [{"problem": p.text, "at": p.path} for p in problems]
            return _report_problems(args, report, problems, what=args.examples)
    report["examples"] = [
        {
            "example": r.example.as_json(),
            "passed": r.passed,
            "result": r.result.as_dict(),
            "differences": [str(d) for d in r.differences],
        }
        for r in results
    ]
    failed = sum(1 for r in results if not r.passed)
    report["ok"] = not failed
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 1 if failed else 0
    low, high = entry.instrument.range
    bands = ", ".join(
        f"{b.label} {plain_number(b.min)}–{plain_number(b.max)}" for b in entry.instrument.bands
    )
    flags = [c.flag for c in entry.instrument.critical] + [s.flag for s in entry.instrument.screens]
    print(
        f"ok: {entry.id} ({entry.instrument.short_name}, {entry.instrument.title}): "
        f"{len(entry.instrument.items)} items, total {plain_number(low)}–{plain_number(high)}"
    )
    if bands:
        print(f"  bands: {bands}")
    if flags:
        print(f"  flags: {', '.join(flags)}")
    for note in checked.notes:
        print(f"  note: {note}")
    for position, result in enumerate(results, start=1):
        answers = ",".join(plain_number(a) for a in result.example.answers)
        got = plain_number(result.result.total) + (
            f" ({result.result.band})" if result.result.band else ""
        )
        if result.passed:
            print(f"example {position}: pass: {answers} → {got}")
        else:
            differences = "; ".join(str(d) for d in result.differences)
            print(f"example {position}: FAIL: {answers} → {differences}")
    if results:
        print(f"{len(results) - failed} of {len(results)} examples pass")
    return 1 if failed else 0


def _report_problems(
    args: argparse.Namespace,
    report: dict[str, Any],
    problems: tuple[Problem, ...] | list[Problem],
    *,
    what: str = "",
) -> int:
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 2
    name = what or args.file
    count = len(problems)
    print(f"{name}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
    for problem in problems:
        where = f"  (at {problem.path})" if problem.path else ""
        print(f"  - {problem.text}{where}", file=sys.stderr)
    return 2
