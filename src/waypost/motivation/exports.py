"""The motivation tools in "download my data": readiness, balance, values, stage of change.

Every saved version of the balance and the values sort is included. Only the
client's own view of their stage of change is: the clinician's view is their
judgement, for clinicians.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from waypost.assessments.gates import READINESS_RULER
from waypost.assessments.models import Administration
from waypost.core import exports
from waypost.motivation import tools
from waypost.motivation.models import (
    DecisionalBalance,
    MotivationRequest,
    StageOfChangeEntry,
    ValuesCardSort,
)
from waypost.motivation.values_cards import card

if TYPE_CHECKING:
    from waypost.accounts.models import User


def _by(user: User, saved_by_id: int, name: str) -> str:
    return gettext_now("You") if saved_by_id == user.pk else name


def _card_name(key: str) -> str:
    found = card(key)
    return str(found.name) if found else key


def _balance(user: User) -> list[dict[str, Any]]:
    versions = (
        DecisionalBalance.objects.filter(enrollment__client=user)
        .select_related("saved_by")
        .order_by("created_at", "version")
    )
    return [
        {
            "version": v.version,
            "saved_at": v.created_at,
            "saved_by": _by(user, v.saved_by_id, v.saved_by.name),
            "in_session": v.in_session,
            "boxes": [
                {
                    "box": str(box.title),
                    "key": box.key,
                    "items": [
                        {"text": item.get("text", ""), "how_much_it_matters": item.get("weight")}
                        for item in items
                    ],
                }
                for box, items in v.boxes
            ],
        }
        for v in versions
    ]


def _values(user: User) -> list[dict[str, Any]]:
    versions = (
        ValuesCardSort.objects.filter(enrollment__client=user)
        .select_related("saved_by")
        .order_by("created_at", "version")
    )
    return [
        {
            "version": v.version,
            "saved_at": v.created_at,
            "saved_by": _by(user, v.saved_by_id, v.saved_by.name),
            "in_session": v.in_session,
            "piles": [
                {
                    "pile": str(tools.PILE_LABELS[pile]),
                    "key": pile,
                    "values": [_card_name(c) for c, p in v.piles.items() if p == pile],
                }
                for pile in tools.PILES
            ],
            "top_values": [
                {"value": _card_name(t.get("card", "")), "note": t.get("note", "")} for t in v.top
            ],
        }
        for v in versions
    ]


def _stage_of_change(user: User) -> list[dict[str, Any]]:
    entries = StageOfChangeEntry.objects.filter(
        enrollment__client=user, view=StageOfChangeEntry.View.CLIENT
    ).order_by("recorded_at", "pk")
    out = []
    for entry in entries:
        stage = entry.change_stage
        out.append(
            {
                "at": entry.recorded_at,
                "statement": str(stage.statement) if stage else entry.stage,
                "key": entry.stage,
                "in_session": entry.in_session,
                "note": entry.note,
            }
        )
    return out


def _readiness(user: User) -> list[dict[str, Any]]:
    forms = Administration.objects.filter(
        enrollment__client=user,
        instrument_id=READINESS_RULER,
        status=Administration.Status.COMPLETED,
    ).order_by("completed_at", "pk")
    return [{"at": form.completed_at, "number": form.total} for form in forms]


def _requests(user: User) -> list[dict[str, Any]]:
    rows = MotivationRequest.objects.filter(enrollment__client=user).order_by("asked_at", "pk")
    return [
        {
            "tool": str(MotivationRequest.Tool(row.tool).label),
            "asked_at": row.asked_at,
            "closed_at": row.closed_at,
        }
        for row in rows
    ]


def motivation(user: User) -> dict[str, Any]:
    return {
        "readiness": _readiness(user),
        "decisional_balance": _balance(user),
        "values_card_sort": _values(user),
        "stage_of_change": _stage_of_change(user),
        "requests": _requests(user),
    }


SECTION = exports.Section(
    key="motivation",
    title=_("Motivation tools"),
    order=70,
    collect=motivation,
    description=_(
        "How ready you felt, your decisional balance, your values and where you placed "
        "yourself, with every saved version."
    ),
    labels={
        "readiness": _("Readiness ruler (0 to 10)"),
        "number": _("How ready"),
        "decisional_balance": _("Decisional balance"),
        "boxes": _("Boxes"),
        "box": _("Box"),
        "items": _("What you wrote"),
        "how_much_it_matters": _("How much it matters (1 to 5)"),
        "values_card_sort": _("Values card sort"),
        "piles": _("Piles"),
        "pile": _("Pile"),
        "values": _("Values"),
        "top_values": _("Your top values"),
        "value": _("Value"),
        "stage_of_change": _("Where you placed yourself"),
        "statement": _("What fitted best"),
        "requests": _("Tools your clinician asked you to use"),
        "tool": _("Tool"),
        "asked_at": _("Asked"),
        "closed_at": _("Done or taken back"),
    },
)


def register() -> None:
    exports.register(SECTION)
