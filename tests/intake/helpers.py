"""Shared set-up for the intake tests: complete answers, and saving through the services."""

from __future__ import annotations

from waypost.intake import services

# Answers to every topic, as the forms store them.
COMPLETE_ANSWERS = {
    "first_exposure": {"current_age": 34, "first_exposure_age": 11},
    "duration": {"years": 12},
    "frequency": {"sessions_per_week": 6, "hours_per_week": 12.5},
    "activities": {"kinds": ["pornography", "webcam"], "other": ""},
    "escalation": {"more_time": "yes", "more_extreme": "no", "values_conflict": "unsure"},
    "attempts": {
        "count": 2,
        "longest": "months_1_3",
        "what_helped": "Telling my brother",
        "what_happened": "A bad week at work",
    },
    "conditions": {"conditions": ["depression"], "other": "", "treatment": "Sertraline 50 mg"},
    "impairment": {
        "work": "some",
        "relationships": "serious",
        "money": "none",
        "legal": "none",
        "detail": "",
    },
    "vulnerabilities": {"items": ["night", "loneliness"], "detail": ""},
    "moral": {"moral_distress": 2, "control_distress": 9, "note": ""},
}


def fill_intake(enrollment, by, answers=None, only=None):
    """Save topics through the service, as if typed in; ``only`` limits which topics."""
    for key, value in (answers or COMPLETE_ANSWERS).items():
        if only is None or key in only:
            services.save_intake_topic(enrollment=enrollment, topic_key=key, answers=value, by=by)


def write_story(enrollment, parts: dict):
    for key, content in parts.items():
        services.save_story_part(
            enrollment=enrollment, part_key=key, content=content, by=enrollment.client
        )
