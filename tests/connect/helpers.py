"""Helpers for the allies tests: a fixed moment, a client's Stage 2 history, page parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from uuid import uuid4

from django.urls import reverse

# 12:00 in Singapore, the cast's clinic: the client's today is 14 March 2030.
NOW = datetime(2030, 3, 14, 4, 0, tzinfo=UTC)

# Free text the client wrote: no ally may ever see it, whatever is shared.
CHECK_IN_NOTE = "Note only for me about the evening"
LAPSE_NOTE = "What happened stays private here"
PRIVATE_TEXTS = (CHECK_IN_NOTE, LAPSE_NOTE)


def stage_two_history(cast) -> None:
    """Three weeks of Stage 2 for the cast's client (call with the time frozen at NOW).

    Stage 2 from 23 Feb (20 days before today); check-ins on 12 (mood 5), 13 (mood 2,
    the inner circle not kept) and 14 March (mood 4); a lapse logged for 13 March. So:
    current streak 1, total days 20, longest streak 19; three check-ins in the last
    seven days, average mood 3.7; one lapse, on 13 March.
    """
    from waypost.recovery import services
    from waypost.recovery.services import lapses

    enrollment = cast.enrollment
    enrollment.stage_entered_at = NOW - timedelta(days=20)
    enrollment.save(update_fields=["stage_entered_at"])
    today = NOW.date()
    for days_ago, sober, mood, note in (
        (2, True, 5, ""),
        (1, False, 2, CHECK_IN_NOTE),
        (0, True, 4, ""),
    ):
        services.check_in(
            enrollment=enrollment,
            by=cast.client,
            day=today - timedelta(days=days_ago),
            client_uuid=uuid4(),
            sober=sober,
            mood=mood,
            urge=3,
            sleep_hours=7,
            note=note,
        )
    lapses.log_lapse(
        enrollment=enrollment,
        by=cast.client,
        day=today - timedelta(days=1),
        client_uuid=uuid4(),
        what_happened=LAPSE_NOTE,
    )


def shared_url(link) -> str:
    return reverse("connect:ally_shared", kwargs={"link_id": link.pk})


def api_shared_url(link) -> str:
    return f"/api/v1/ally/links/{link.pk}/shared"


class _Section(HTMLParser):
    """The text inside the element labelled ``section-<key>`` (nested tags included)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            if tag not in VOID:
                self.depth += 1
        elif ("aria-labelledby", self.label) in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and data.strip():
            self.texts.append(" ".join(data.split()))


VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "source", "wbr"})


class _Texts(HTMLParser):
    """Every piece of text a reader sees on a page (not scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(page: str) -> list[str]:
    parser = _Texts()
    parser.feed(page)
    return parser.texts


def shows(page: str, text: str) -> bool:
    """Does the page show ``text`` to a reader: inside a longer text, or, when it is short
    (a number: "3"), as a piece of text of its own — never inside a link or an id."""
    pieces = page_texts(page)
    if len(text) >= 4:
        return any(text in piece for piece in pieces)
    return text in pieces


def section_texts(page: str, key: str) -> list[str]:
    """Every piece of text in the ally page's section of scope ``key`` ([] when absent)."""
    parser = _Section(f"section-{key}")
    parser.feed(page)
    return parser.texts
