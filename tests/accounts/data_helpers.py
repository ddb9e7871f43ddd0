"""A client with something in every part of their record, for the data-download tests."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from django.utils import timezone

# Things the client wrote, each in a different app, that the download must hold.
READING_NOTE = "The part about evenings felt true."
CLIENT_STAGE_NOTE = "Ready to try, most days."
# Things that are the clinician's own and must stay out.
CLINICIAN_STAGE_NOTE = "Seems further along than he thinks."
STAGE_REASON = "Ready to commit to a plan."  # the cast's stage change
ALERT_NOTE = "Phoned the same evening; went through the safety plan together."


def fill_record(cast) -> dict[str, int]:
    """The e2e data (plan, forms, alerts, intake, story, balance, values) and a little more."""
    from tests.e2e.data import populate
    from waypost.learn import content
    from waypost.learn.services import mark_read, open_module, save_note
    from waypost.motivation.services import record_readiness, record_stage

    ids = populate(cast)
    now = timezone.now()
    module = content.library().modules[0]
    open_module(client=cast.client, module=module, at=now - timedelta(days=3))
    mark_read(enrollment=cast.enrollment, module=module, at=now - timedelta(days=2))
    save_note(client=cast.client, module=module, note=READING_NOTE, at=now - timedelta(days=2))
    record_stage(
        enrollment=cast.enrollment, stage="preparation", by=cast.client, note=CLIENT_STAGE_NOTE
    )
    record_stage(
        enrollment=cast.enrollment,
        stage="action",
        by=cast.clinician,
        view="clinician",
        note=CLINICIAN_STAGE_NOTE,
    )
    record_readiness(enrollment=cast.enrollment, value=7, by=cast.client)
    return {**ids, "module": module.slug}


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def data_json(files: dict[str, bytes]) -> dict:
    return json.loads(files["waypost-data.json"])
