"""Who may use the pages of a clinic's own questionnaires: that clinic's admins only.

(Kept here, with the policy's tests, beside ``Action.MANAGE_INSTRUMENTS``; the role
test gathers every ``tests/<package>/role_expectations.py``.)
"""

from __future__ import annotations

from tests.assessments.clinic_questionnaires import draft, published
from tests.roles import Route

ADMIN = frozenset({"admin"})


def _clinic(cast) -> dict:
    return {"slug": cast.clinic.slug}


def _version(version) -> dict:
    return {
        "slug": version.clinic.slug,
        "instrument_id": version.instrument_id,
        "revision": version.revision,
    }


def _draft(cast) -> dict:
    return _version(draft(cast.clinic, cast.admin))


ROUTES = [
    Route("assessments:clinic_instruments", ADMIN, kwargs=_clinic),
    Route(
        "assessments:clinic_instrument_upload",
        ADMIN,
        kwargs=_clinic,
        method="post",
        also_ok=frozenset({400}),
        note="an empty upload is refused with the form's message",
    ),
    Route("assessments:clinic_instrument", ADMIN, kwargs=_draft),
    Route("assessments:clinic_instrument_preview", ADMIN, kwargs=_draft),
    Route("assessments:clinic_instrument_download", ADMIN, kwargs=_draft),
    Route("assessments:clinic_instrument_download_examples", ADMIN, kwargs=_draft),
    Route(
        "assessments:clinic_instrument_add_example",
        ADMIN,
        kwargs=_draft,
        method="post",
        data=lambda c: {"answers": "0,0,0,0", "total": "0", "band": "Low"},
    ),
    Route(
        "assessments:clinic_instrument_remove_example",
        ADMIN,
        kwargs=lambda c: {**_draft(c), "position": 1},
        method="post",
    ),
    Route("assessments:clinic_instrument_publish", ADMIN, kwargs=_draft, method="post"),
    Route(
        "assessments:clinic_instrument_withdraw",
        ADMIN,
        kwargs=lambda c: {
            "slug": c.clinic.slug,
            "instrument_id": published(c.clinic, c.admin).instrument_id,
        },
        method="post",
    ),
]
