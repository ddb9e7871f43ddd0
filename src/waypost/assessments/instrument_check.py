"""Checking a questionnaire file a clinic brings, and the worked examples that go with it.

The web page where a clinic admin uploads a questionnaire
(``views/clinic_instruments.py``) and ``waypost instruments check FILE
[--examples FILE]`` run the same checks, from here:

- :func:`check_file`: the file's bytes, read as UTF-8 JSON, checked against the
  format (``instrument_file.py``) and against the rules for a clinic's own
  questionnaire (:func:`clinic_rules`): every problem is named, each with where
  it is (a JSON path), never only the first;
- :func:`read_examples` / :func:`read_example`: worked examples from the
  publication (answers, the expected total, band and flags), as stored with an
  uploaded version and as the examples file holds them;
- :func:`check_example`: one example scored and compared with what the
  publication says.

The examples file is a JSON list of objects::

    [{"answers": [0, 1, 2, 3], "total": 6, "band": "Some", "flags": [], "note": "Table 2"}]

``answers`` are the chosen options' scores in item order, or an object
``{linkId: score}``; ``total`` is required; ``band`` and ``flags`` are checked
when given (``"band": null`` expects no band); ``note`` says where the example
comes from.

No Django here: the command line checks files without a database.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waypost.assessments import catalog, scoring
from waypost.assessments.catalog import Entry
from waypost.assessments.instrument_problems import Problem
from waypost.assessments.scoring import Number, plain_number

# The largest questionnaire file accepted; the largest shipped file is about 12 KB.
MAX_FILE_BYTES = 256 * 1024
# Worked examples one version may keep, and the length of an example's note.
MAX_EXAMPLES = 50
MAX_NOTE = 200
# An id goes into addresses (/measures/history/<id>/): lowercase letters, digits and
# hyphens, starting and ending with a letter or digit.
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


@dataclass(frozen=True)
class FileCheck:
    """What checking one file found: its entry when it is good, else every problem."""

    problems: tuple[Problem, ...] = ()
    entry: Entry | None = None
    # Things worth knowing that do not stop the file ("no client_name: clients see …").
    notes: tuple[str, ...] = ()
    # The file as read (JSON), when it could be read.
    data: Any = None

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.problems


def read_json(raw: bytes) -> tuple[Any, list[Problem]]:
    """The file's JSON, or the one problem that keeps it from being read."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Problem(
                f"the file is {len(raw) // 1024} KB; a questionnaire file may be at most "
                f"{MAX_FILE_BYTES // 1024} KB"
            )
        ]
    try:
        # utf-8-sig: files saved by some editors start with a byte-order mark
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(
                f"the file is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                "save it as UTF-8 and try again"
            )
        ]
    if not text.strip():
        return None, [Problem("the file is empty")]
    try:
        return json.loads(text), []
    except json.JSONDecodeError as exc:
        return None, [Problem(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")]
    except RecursionError:
        return None, [Problem("the file is nested far too deeply to be a questionnaire")]
    except ValueError:
        # an integer longer than Python agrees to read (sys.get_int_max_str_digits)
        return None, [Problem("the file holds a number far too long to be a score")]


def clinic_rules(
    data: dict[str, Any],
    entry: Entry,
    *,
    builtins: Mapping[str, Entry],
    known_ids: Collection[str] = (),
    same_file: Path | None = None,
) -> list[Problem]:
    """What a clinic's own questionnaire must also be, besides a valid file.

    Its id fits in an address and is none of the questionnaires that come with
    this installation (``builtins``: Waypost's own and ``WAYPOST_INSTRUMENTS_DIR``'s,
    unless ``same_file`` is that very file); it has a canonical ``url``, which no
    installed questionnaire uses, so an imported response finds it; and
    ``short_form_of`` names a questionnaire that exists (``builtins`` or ``known_ids``).
    """
    problems: list[Problem] = []
    if not ID_PATTERN.fullmatch(entry.id):
        problems.append(
            Problem(
                f"id {entry.id!r} must be lowercase letters, digits and hyphens "
                '(at most 64, e.g. "brief-screen")',
                "id",
            )
        )
    installed = builtins.get(entry.id)
    if installed is not None and not _same_path(installed.path, same_file):
        problems.append(
            Problem(
                f"id {entry.id!r} is already a questionnaire of this installation "
                f"({installed.instrument.short_name}); give yours an id of its own",
                "id",
            )
        )
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        problems.append(
            Problem(
                "the Questionnaire needs a 'url', its canonical address (e.g. "
                f'"urn:example:questionnaire:{entry.id}"), so exported and imported '
                "responses can name it",
                "url",
            )
        )
    else:
        for other in builtins.values():
            if other.questionnaire.get("url") == url and not _same_path(other.path, same_file):
                problems.append(
                    Problem(
                        f"url {url!r} is already the url of {other.instrument.short_name}", "url"
                    )
                )
                break
    short_form_of = entry.short_form_of
    if short_form_of and short_form_of not in builtins and short_form_of not in known_ids:
        problems.append(
            Problem(
                f"short_form_of names {short_form_of!r}, which is not a questionnaire here",
                "waypost.short_form_of",
            )
        )
    return problems


def _same_path(path: Path, other: Path | None) -> bool:
    if other is None:
        return False
    try:
        return path.resolve() == other.resolve()
    except OSError:
        return False


def notes_on(entry: Entry) -> list[str]:
    """What is worth knowing about a good file before it is used."""
    notes = []
    if not entry.client_name:
        notes.append(
            f"no client_name: clients will see the title {entry.instrument.title!r} "
            '(a plain, discreet name such as "Online habits questionnaire" is kinder)'
        )
    if not entry.instrument.bands:
        notes.append("no bands: results show the score without a band")
    restricted = {"permission-required", "restricted"}
    if entry.licence.electronic_use in restricted or entry.licence.commercial_use in restricted:
        notes.append(
            "the licence needs permission for some uses: keep the holder's permission on file"
        )
    return notes


def check_file(
    raw: bytes,
    *,
    builtins: Mapping[str, Entry] | None = None,
    known_ids: Collection[str] = (),
    same_file: Path | None = None,
    name: str = "upload",
) -> FileCheck:
    """Read and check a questionnaire file: its entry, or every problem found.

    ``builtins`` defaults to the installed catalogue. Problems the format finds in
    the file's parts come first; the checks that compare parts (bands against the
    range, cut-offs, critical items) run once every part reads correctly.
    """
    data, problems = read_json(raw)
    if problems:
        return FileCheck(problems=tuple(problems))
    declared, problems = catalog.validate(data)
    if declared is None:
        return FileCheck(problems=tuple(problems), data=data)
    entry = catalog.entry_from(Path(name), data, declared)
    installed = catalog.catalog() if builtins is None else builtins
    problems = clinic_rules(
        data, entry, builtins=installed, known_ids=known_ids, same_file=same_file
    )
    if problems:
        return FileCheck(problems=tuple(problems), data=data)
    return FileCheck(entry=entry, notes=tuple(notes_on(entry)), data=data)


# --- worked examples ---------------------------------------------------------------


class ExampleError(ValueError):
    """An example that cannot be checked: what is wrong with it, in plain words."""


@dataclass(frozen=True)
class Example:
    """Answers from a publication and what it says they score."""

    answers: tuple[Number, ...]  # the chosen options' scores, in item order
    total: Number
    band: str | None = None
    check_band: bool = False  # "band" was given (None then means "no band")
    flags: tuple[str, ...] | None = None  # None: not checked
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        """The example as the examples file and the stored version hold it."""
        out: dict[str, Any] = {"answers": list(self.answers), "total": self.total}
        if self.check_band:
            out["band"] = self.band
        if self.flags is not None:
            out["flags"] = list(self.flags)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Difference:
    """One way the scoring disagrees with the example: ``what`` is total, band or flags."""

    what: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.what}: expected {self.expected}, got {self.got}"


@dataclass(frozen=True)
class ExampleResult:
    example: Example
    result: scoring.Result
    differences: tuple[Difference, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def read_example(raw: Any, instrument: scoring.Instrument) -> Example:
    """One example from its JSON, checked against the questionnaire, or an ExampleError."""
    if not isinstance(raw, dict):
        raise ExampleError("must be an object with answers and total")
    unknown = sorted(set(raw) - {"answers", "total", "band", "flags", "note"})
    if unknown:
        raise ExampleError(f"{', '.join(unknown)} is not a key of an example (check its spelling)")
    answers = raw.get("answers")
    if isinstance(answers, dict):
        link_ids = [item.link_id for item in instrument.items]
        strangers = [key for key in answers if key not in link_ids]
        if strangers:
            raise ExampleError(
                f"answers name items the questionnaire has not: {', '.join(strangers)}"
            )
        missing = [link_id for link_id in link_ids if link_id not in answers]
        if missing:
            raise ExampleError(f"answers are missing for {', '.join(missing)}")
        answers = [answers[link_id] for link_id in link_ids]
    if not isinstance(answers, list):
        raise ExampleError("answers must be a list of scores in item order, or {linkId: score}")
    try:
        scoring.check_answers(instrument, answers)
    except scoring.AnswerError as exc:
        raise ExampleError(_plain_answer_error(str(exc), instrument)) from None
    total = raw.get("total")
    if not isinstance(total, int | float) or not _is_number(total):
        raise ExampleError("total must be a number")
    check_band = "band" in raw
    band = raw.get("band")
    if band is not None and (not isinstance(band, str) or not band.strip()):
        raise ExampleError("band must be a band's label, or null for no band")
    flags = raw.get("flags")
    if flags is not None and (
        not isinstance(flags, list) or not all(isinstance(f, str) and f for f in flags)
    ):
        raise ExampleError('flags must be a list of flags, e.g. ["screen-positive"]')
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ExampleError("note must be text")
    if len(note) > MAX_NOTE:
        raise ExampleError(f"note must be at most {MAX_NOTE} characters")
    return Example(
        answers=tuple(answers),
        total=total,
        band=band.strip() if isinstance(band, str) else None,
        check_band=check_band,
        flags=tuple(dict.fromkeys(flags)) if flags is not None else None,
        note=note.strip(),
    )


def _plain_answer_error(message: str, instrument: scoring.Instrument) -> str:
    # scoring names the instrument by id ("x has 4 items; got 3 answers"); here it is known
    return message.replace(f"{instrument.id} has ", "the questionnaire has ", 1)


def read_examples(data: Any, instrument: scoring.Instrument) -> tuple[list[Example], list[Problem]]:
    """Every example of an examples file, or every problem with them (nothing is half read)."""
    if not isinstance(data, list):
        return [], [Problem("the examples file must hold a list of examples: [{...}, {...}]")]
    if len(data) > MAX_EXAMPLES:
        return [], [Problem(f"at most {MAX_EXAMPLES} examples, not {len(data)}")]
    examples, problems = [], []
    for position, raw in enumerate(data, start=1):
        try:
            examples.append(read_example(raw, instrument))
        except ExampleError as exc:
            problems.append(Problem(f"example {position}: {exc}", f"[{position - 1}]"))
    return (examples, []) if not problems else ([], problems)


def check_example(instrument: scoring.Instrument, example: Example) -> ExampleResult:
    """Score the example's answers and say where the result differs from the example."""
    result = scoring.score(instrument, example.answers)
    differences = []
    if not math.isclose(float(result.total), float(example.total), abs_tol=1e-6):
        differences.append(
            Difference("total", plain_number(example.total), plain_number(result.total))
        )
    if example.check_band and (example.band or None) != (result.band or None):
        differences.append(Difference("band", _band(example.band), _band(result.band)))
    if example.flags is not None and set(example.flags) != set(result.flags):
        differences.append(Difference("flags", _flags(example.flags), _flags(result.flags)))
    return ExampleResult(example=example, result=result, differences=tuple(differences))


def _band(label: str | None) -> str:
    return repr(label) if label else "no band"


def _flags(flags: Collection[str]) -> str:
    return ", ".join(sorted(flags)) if flags else "no flags"
