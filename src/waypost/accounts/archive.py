"""The "download everything about me" ZIP: the JSON, a readable page, and the FHIR files.

The ZIP holds

- ``waypost-data.json``: every section (``core.exports``), for programs, with the
  format's name and version;
- ``waypost-data.html``: the same for people, one page with no outside assets
  (styles inline, nothing fetched), that prints well;
- the sections' own files, such as ``health-records/…`` (each completed questionnaire as a
  FHIR QuestionnaireResponse and Observation).

Building it only reads. The view that serves it audits the download.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from waypost.core import exports

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.accounts.models import User

JSON_NAME = "waypost-data.json"
HTML_NAME = "waypost-data.html"


@dataclass(frozen=True)
class Archive:
    content: bytes
    filename: str
    sections: int
    files: int


def build(user: User, *, now: datetime | None = None) -> Archive:
    """Everything about ``user``, as a ZIP file in memory."""
    now = now or timezone.now()
    collected = exports.collect(user)
    extra = exports.files(user)
    document = exports.document(collected, extra, exported_at=now)
    html = render_html(user, collected, extra, now=now)
    stamp = timezone.localtime(now).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16  # private to whoever unpacks it
            archive.writestr(info, data)

        add(JSON_NAME, exports.dumps(document))
        add(HTML_NAME, html.encode("utf-8"))
        for item in extra:
            add(item.path, item.content())
    day = timezone.localtime(now).date().isoformat()
    return Archive(
        content=buffer.getvalue(),
        filename=f"waypost-data-{day}.zip",
        sections=len(collected),
        files=2 + len(extra),
    )


# --- the readable copy -----------------------------------------------------------------


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: StrOrPromise
    description: StrOrPromise
    html: SafeString


def render_html(
    user: User,
    collected: list[exports.Collected],
    extra: list[exports.ExportFile],
    *,
    now: datetime,
) -> str:
    """One page with every section, readable and printable, with nothing to fetch."""
    sections = [
        RenderedSection(
            key=c.key,
            title=c.title,
            description=c.section.description,
            html=Renderer(c.section.labels, skip=c.section.machine_only).value(c.data),
        )
        for c in collected
    ]
    # The file is opened from the person's disk, never served, so the site's content
    # security policy (no inline styles) does not apply, and it must need nothing else.
    styles = render_to_string("accounts/data_export.css")
    return render_to_string(
        "accounts/data_export.html",
        {
            "inline_styles": mark_safe(f"<style>\n{styles}</style>"),  # noqa: S308 - our file
            "person": user,
            "exported_at": now,
            "sections": sections,
            "files": extra,
            "json_name": JSON_NAME,
        },
    )


class Renderer:
    """Turns a section's plain data into HTML: dicts as lists of facts, rows as tables."""

    def __init__(
        self, labels: Mapping[str, StrOrPromise], *, skip: frozenset[str] = frozenset()
    ) -> None:
        self.labels = {**exports.COMMON_LABELS, **labels}
        self.skip = skip | exports.MACHINE_ONLY

    def label(self, key: str) -> str:
        found = self.labels.get(key)
        return str(found) if found is not None else key.replace("_", " ").capitalize()

    def value(self, value: Any) -> SafeString:
        if value is None or value == "":
            return format_html('<span class="none">{}</span>', "—")
        if isinstance(value, bool):
            return format_html("{}", _("Yes") if value else _("No"))
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return format_html("<time>{}</time>", date_format(local, "j M Y, H:i"))
        if isinstance(value, date):
            return format_html("<time>{}</time>", date_format(value, "j M Y"))
        if isinstance(value, time):
            return format_html("<time>{}</time>", value.strftime("%H:%M"))
        if isinstance(value, float):
            return format_html("{}", f"{value:g}")
        if isinstance(value, int | str | Promise):
            text = str(value)
            if "\n" in text:
                return format_html('<div class="text">{}</div>', text)
            return format_html("{}", text)
        if isinstance(value, Mapping):
            return self.facts(value)
        if isinstance(value, list | tuple):
            return self.rows(list(value))
        return format_html("{}", str(value))

    def facts(self, data: Mapping[str, Any]) -> SafeString:
        data = {k: v for k, v in data.items() if str(k) not in self.skip}
        if not data:
            return format_html('<span class="none">{}</span>', _("None"))
        return format_html(
            '<dl class="facts">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((self.label(str(k)), self.value(v)) for k, v in data.items()),
            ),
        )

    def rows(self, items: list[Any]) -> SafeString:
        if not items:
            return format_html('<span class="none">{}</span>', _("None"))
        if all(_is_scalar(item) for item in items):
            return format_html(
                "<ul>{}</ul>",
                format_html_join("", "<li>{}</li>", ((self.value(i),) for i in items)),
            )
        if all(isinstance(item, Mapping) and _is_flat(item) for item in items):
            return self.table(items)
        return format_html(
            '<ol class="items">{}</ol>',
            format_html_join("", "<li>{}</li>", ((self.value(i),) for i in items)),
        )

    def table(self, items: list[Mapping[str, Any]]) -> SafeString:
        columns: list[str] = []
        for item in items:
            columns.extend(
                str(k) for k in item if str(k) not in columns and str(k) not in self.skip
            )
        labels = {c: self.label(c) for c in columns}  # once a column, not once a cell
        head = format_html_join("", '<th scope="col">{}</th>', ((labels[c],) for c in columns))
        body = mark_safe(  # noqa: S308 - every part is escaped by format_html
            "".join(
                format_html(
                    "<tr>{}</tr>",
                    format_html_join(
                        "",
                        '<td data-label="{}">{}</td>',
                        ((labels[c], self.value(item.get(c))) for c in columns),
                    ),
                )
                for item in items
            )
        )
        return format_html(
            '<div class="table"><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>',
            head,
            body,
        )


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _is_flat(item: Mapping[str, Any]) -> bool:
    """A row of a table: every value a scalar, or a short list of scalars."""
    return all(
        _is_scalar(v) or (isinstance(v, list | tuple) and all(_is_scalar(x) for x in v))
        for v in item.values()
    )
