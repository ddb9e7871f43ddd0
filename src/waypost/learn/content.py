"""The psychoeducation library: Markdown files with a front-matter header, loaded at start-up.

Each module is one ``.md`` file. It starts with a YAML header between two
lines of three dashes, then the text in Markdown::

    ---
    slug: five-cs
    title: The 5 Cs
    summary: One or two sentences for the library list.
    audience: client        # client, ally or both
    core: true              # counted by the "core modules read" gate
    stage: 1                # the stage it helps most in (1-4)
    order: 10               # position within its stage
    sources:
      - Author, A. (2018). Title. Journal, 1(2), 3-4.
    ---
    The text …

Built-in modules live in ``modules/`` beside this file; a clinic adds its own
by pointing ``WAYPOST_MODULES_DIR`` at a folder of files in the same format.
Every file is checked when Waypost starts (the header against its
declaration in ``front_matter.py``); any problem stops start-up with a
message naming the file and what is wrong, because a half-loaded library
would quietly lose someone's homework.

No Django import here, so the loader can be used and tested on its own.
Markdown is rendered with markdown-it-py with raw HTML switched off, and the
result is cleaned again with nh3 (an allow-list sanitiser) so that nothing a
file says can put a script, a style or an outside image on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nh3
import yaml
from markdown_it import MarkdownIt
from pydantic import ValidationError

from waypost.conf import env_str
from waypost.learn.front_matter import FrontMatter, header_problems, reading_minutes_for

BUILT_IN_DIR = Path(__file__).parent / "modules"
MODULES_DIR_VARIABLE = "WAYPOST_MODULES_DIR"

# What the rendered text may contain. No images (they would load from another
# host), no styles, no scripts, no forms, no iframes.
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "blockquote",
    "code",
    "pre",
    "hr",
    "br",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto"}


class LibraryError(Exception):
    """One or more module files are broken; ``problems`` lists (file, problem) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"{path}: {problem}" for path, problem in problems]
        super().__init__(
            "the reading library cannot start, fix these module files:\n  " + "\n  ".join(lines)
        )


@dataclass(frozen=True)
class Module:
    """One reading module, parsed, checked and rendered."""

    slug: str
    title: str
    summary: str
    audience: str
    core: bool
    stage: int
    order: int
    sources: tuple[str, ...]
    body: str
    html: str
    words: int
    reading_minutes: int
    path: Path
    override: bool = False

    @property
    def for_clients(self) -> bool:
        return self.audience in ("client", "both")

    @property
    def for_allies(self) -> bool:
        return self.audience in ("ally", "both")


@dataclass(frozen=True)
class Library:
    """All modules, in reading order: by stage, then ``order``, then title."""

    modules: tuple[Module, ...] = ()
    _by_slug: dict[str, Module] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({m.slug: m for m in self.modules})

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __len__(self) -> int:
        return len(self.modules)

    def get(self, slug: str) -> Module | None:
        return self._by_slug.get(slug)

    @property
    def core(self) -> list[Module]:
        return [m for m in self.modules if m.core]

    def for_allies(self) -> list[Module]:
        return [m for m in self.modules if m.for_allies]


# --- rendering ---------------------------------------------------------------------

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def render_markdown(text: str) -> str:
    """Markdown to clean HTML. Headings start at h2: the page's h1 is the title."""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    return sanitise(_markdown.renderer.render(tokens, _markdown.options, {}))


def sanitise(html: str) -> str:
    """Keep only the allowed tags and attributes; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(markdown: str) -> int:
    """Words a reader reads: Markdown punctuation and link targets do not count."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)  # drop link targets, keep link text
    return len(_WORD.findall(text))


# --- parsing -----------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str]:
    """The YAML header and the Markdown body. Raises ValueError with a plain reason."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file must start with a line of three dashes (---) and a header")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise ValueError("the header is never closed: add a line of three dashes (---) after it")


def parse_module(path: Path) -> Module:
    """Read and check one module file. Raises ValueError with a plain reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError("the file is not UTF-8 text") from exc
    except OSError as exc:
        raise ValueError(f"cannot read the file ({exc.strerror})") from exc
    header_text, body = split_front_matter(text)
    try:
        meta = yaml.safe_load(header_text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at header line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or "it cannot be read"
        raise ValueError(f"the header is not valid YAML{at}: {problem}") from exc
    words = count_words(body)
    try:
        header = FrontMatter.model_validate(meta, context={"words": words})
    except ValidationError as exc:
        # Every problem of the header at once, one line: "missing title; stage 5 must be …".
        raise ValueError("; ".join(header_problems(exc))) from None
    if not body.strip():
        raise ValueError("the text after the header is empty")
    return Module(
        slug=header.slug,
        title=header.title,
        summary=header.summary,
        audience=header.audience,
        core=header.core,
        stage=header.stage,
        order=header.order,
        sources=tuple(header.sources),
        body=body,
        html=render_markdown(body),
        words=words,
        reading_minutes=header.reading_minutes or reading_minutes_for(words),
        path=path,
        override=header.override,
    )


# --- loading -----------------------------------------------------------------------


def module_files(directory: Path) -> list[Path]:
    """The module files of one folder: every ``*.md`` except README.md and ``_drafts``."""
    return sorted(
        p
        for p in directory.glob("*.md")
        if p.is_file() and not p.name.startswith("_") and p.name.lower() != "readme.md"
    )


def extra_directory() -> Path | None:
    """The clinic's own folder of modules, from ``WAYPOST_MODULES_DIR`` (unset: none)."""
    raw = env_str(MODULES_DIR_VARIABLE).strip()
    return Path(raw).expanduser() if raw else None


def load_library(directories: Iterable[Path | None] | None = None) -> Library:
    """Load and check every module; raise ``LibraryError`` listing every broken file.

    ``directories`` defaults to the built-in folder and the clinic's folder.
    A slug may appear once. A file in a later folder may stand in for a
    built-in module of the same slug only if it says ``override: true``, so
    a clinic can reword a module and keep everyone's reading progress.
    """
    if directories is None:
        directories = [BUILT_IN_DIR, extra_directory()]
    problems: list[tuple[str, str]] = []
    found: dict[str, Module] = {}
    for position, directory in enumerate(directories):
        if directory is None:
            continue
        if not directory.is_dir():
            where = MODULES_DIR_VARIABLE if position else "built-in modules"
            problems.append((str(directory), f"{where}: this is not a folder"))
            continue
        from_this_folder: set[str] = set()
        for path in module_files(directory):
            try:
                module = parse_module(path)
            except ValueError as exc:
                problems.append((str(path), str(exc)))
                continue
            earlier = found.get(module.slug)
            if earlier is not None:
                replaces_built_in = module.override and module.slug not in from_this_folder
                if not replaces_built_in:
                    problems.append(
                        (
                            str(path),
                            f"slug {module.slug!r} is already used by {earlier.path}"
                            + (
                                ""
                                if module.slug in from_this_folder
                                else "; to replace that module, add 'override: true'"
                            ),
                        )
                    )
                    continue
            elif module.override:
                problems.append(
                    (
                        str(path),
                        f"override: true, but there is no module {module.slug!r} to replace",
                    )
                )
                continue
            found[module.slug] = module
            from_this_folder.add(module.slug)
    if problems:
        raise LibraryError(problems)
    modules = sorted(found.values(), key=lambda m: (m.stage, m.order, m.title.lower()))
    return Library(tuple(modules))


_library: Library | None = None


def library() -> Library:
    """The loaded library (loaded on first use if start-up has not done it yet)."""
    global _library
    if _library is None:
        _library = load_library()
    return _library


def reload() -> Library:
    """Load the library again from the files (start-up, and tests that change the folder)."""
    global _library
    _library = None
    _library = load_library()
    return _library
