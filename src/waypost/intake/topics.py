"""The history intake's topics: one short form per screen, in order.

Each topic is a Django form (``topic_forms.py``) whose cleaned data is stored
(JSON-safe) under the topic's key; the lists of answers the forms offer are
in ``answer_choices.py``. This module says which screens there are, in what
order, and how a saved topic reads on a review page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

# Re-exported: callers that predate the split read the answer lists from here.
from waypost.intake.answer_choices import Condition, Impact, Vulnerability, YesNoUnsure
from waypost.intake.topic_forms import (
    ActivitiesForm,
    AttemptsForm,
    ConditionsForm,
    DurationForm,
    EscalationForm,
    FirstExposureForm,
    FrequencyForm,
    ImpairmentForm,
    MoralForm,
    TopicForm,
    VulnerabilitiesForm,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Topic:
    """One screen of the intake."""

    number: int
    key: str
    title: StrOrPromise
    intro: StrOrPromise
    form_class: type[TopicForm]


TOPICS: list[Topic] = [
    Topic(
        1,
        "first_exposure",
        _("First exposure"),
        _("Most people came across it long before they chose to look for it."),
        FirstExposureForm,
    ),
    Topic(
        2,
        "duration",
        _("How long it has been a problem"),
        _("Think of when it first started to feel hard to manage."),
        DurationForm,
    ),
    Topic(
        3,
        "frequency",
        _("How often, and how long"),
        _("Think of a typical week over the last month."),
        FrequencyForm,
    ),
    Topic(
        4,
        "activities",
        _("What it involves"),
        _("This helps your clinician understand your situation. Nothing here is judged."),
        ActivitiesForm,
    ),
    Topic(
        5,
        "escalation",
        _("How it has changed"),
        _("Many people notice their use changing over time. It is a common pattern."),
        EscalationForm,
    ),
    Topic(
        6,
        "attempts",
        _("Times you tried to stop"),
        _("Every attempt teaches something, whatever happened afterwards."),
        AttemptsForm,
    ),
    Topic(
        7,
        "conditions",
        _("Health and treatment"),
        _("Other things you live with can make this harder, and are worth treating too."),
        ConditionsForm,
    ),
    Topic(
        8,
        "impairment",
        _("What it has affected"),
        _("How much has it affected each of these?"),
        ImpairmentForm,
    ),
    Topic(
        9,
        "vulnerabilities",
        _("What makes it harder"),
        _("These are common situations and experiences that make use more likely."),
        VulnerabilitiesForm,
    ),
    Topic(
        10,
        "moral",
        _("Values and beliefs"),
        _(
            "Your faith and values matter, and there are no right answers here. This helps "
            "your clinician offer the kind of support that fits you."
        ),
        MoralForm,
    ),
]
TOPIC_KEYS = [t.key for t in TOPICS]


def topic_by_number(number: int) -> Topic | None:
    return TOPICS[number - 1] if 1 <= number <= len(TOPICS) else None


def topic_by_key(key: str) -> Topic | None:
    return next((t for t in TOPICS if t.key == key), None)


def describe(topic: Topic, saved: dict[str, Any]) -> list[tuple[StrOrPromise | None, str]]:
    """Each question of a topic with the saved answer as readable text, for review pages."""
    rows: list[tuple[StrOrPromise | None, str]] = []
    for name, field in topic.form_class.base_fields.items():
        value = saved.get(name)
        if value in (None, "", []):
            continue
        choices = {str(k): v for k, v in getattr(field, "choices", []) if k != ""}
        if isinstance(value, list):
            text = ", ".join(str(choices.get(str(v), v)) for v in value)
        elif name in ("moral_distress", "control_distress"):
            text = str(_("%(n)s out of 10") % {"n": value})
        elif choices:
            text = str(choices.get(str(value), value))
        elif isinstance(value, float):
            text = f"{value:g}"
        else:
            text = str(value)
        rows.append((field.label, text))
    return rows


__all__ = [
    "TOPICS",
    "TOPIC_KEYS",
    "Condition",
    "Impact",
    "Topic",
    "Vulnerability",
    "YesNoUnsure",
    "describe",
    "topic_by_key",
    "topic_by_number",
]
