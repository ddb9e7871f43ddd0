"""How long "download my data" takes, and how big it is, for a client with 1 and 50 forms.

Builds a throwaway SQLite database in a temporary folder, a small clinic and a client
with a safety plan, a history, a story and N completed PHQ-9s, then times the whole
download as the client's browser asks for it (the view: collecting every section,
the JSON, the readable page, the FHIR files, the ZIP and the audit row) and the ZIP
alone. Prints JSON:

    uv run python benchmarks/data_export.py
    {"runs": 5, "results": [{"forms": 1, "seconds": ..., "zip_bytes": ..., ...}, ...]}
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

FORMS = (1, 50)
RUNS = 5


def _setup() -> None:
    data_dir = tempfile.mkdtemp(prefix="waypost-bench-")
    os.environ["WAYPOST_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypost.settings")
    os.environ.setdefault("WAYPOST_ALLOWED_HOSTS", "testserver")
    os.environ["WAYPOST_TASKS_IMMEDIATE"] = "1"
    os.environ.setdefault("WAYPOST_LOG_LEVEL", "WARNING")  # stdout is the JSON only
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def _client_with_forms(n: int, tag: str):
    """A client in a clinic of their own with ``n`` completed PHQ-9s and a full record."""
    from django.utils import timezone

    from waypost.accounts.models import User
    from waypost.assessments.models import ClinicMeasureSettings
    from waypost.assessments.services import record_completed
    from waypost.clinics.models import Clinic, ClinicianProfile
    from waypost.intake import services as intake
    from waypost.intake.demo_data import WEI_JIE_INTAKE, WEI_JIE_STORY
    from waypost.program.services import enroll_client
    from waypost.safety.services import save_plan

    now = timezone.now()
    clinic = Clinic.objects.create(
        name=f"Clinic {tag}", slug=f"clinic-{tag}", time_zone="Asia/Singapore"
    )
    ClinicMeasureSettings.objects.create(clinic=clinic, baseline_instruments=[])
    clinician = User.objects.create_user(f"clinician-{tag}@bench.test", "x" * 12, name="Cleo")
    profile = ClinicianProfile.objects.create(user=clinician, clinic=clinic)
    client = User.objects.create_user(f"client-{tag}@bench.test", "x" * 12, name="Sam")
    enrollment = enroll_client(
        client=client, clinician_profile=profile, by=clinician, at=now - timedelta(days=400)
    )
    for week in range(n):
        record_completed(
            enrollment=enrollment,
            instrument_id="phq-9",
            answers=[(week + i) % 4 for i in range(9)],
            at=now - timedelta(weeks=n - week),
        )
    save_plan(
        enrollment=enrollment,
        content={"reasons": ["My children"], "helpers": ["Aunt Lina, 9123 4567"]},
        by=client,
    )
    for key, answers in WEI_JIE_INTAKE.items():
        intake.save_intake_topic(enrollment=enrollment, topic_key=key, answers=answers, by=client)
    for key, content in WEI_JIE_STORY.items():
        intake.save_story_part(enrollment=enrollment, part_key=key, content=content, by=client)
    return client


def _measure(n: int) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from waypost.access.policy import forget_roles
    from waypost.accounts import archive

    client = _client_with_forms(n, f"{n}")
    browser = Client()
    browser.force_login(client)
    url = reverse("accounts:download")
    browser.get(url)  # warm up (templates, translations, the instrument catalogue)
    view_times, build_times = [], []
    size = 0
    queries = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(url)
        view_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
        queries = len(captured.captured_queries)
        forget_roles(client)
        started = time.perf_counter()
        built = archive.build(client)
        build_times.append(time.perf_counter() - started)
    return {
        "forms": n,
        "seconds": round(statistics.median(view_times), 4),
        "seconds_max": round(max(view_times), 4),
        "build_seconds": round(statistics.median(build_times), 4),
        "zip_bytes": size,
        "files_in_zip": built.files,
        "queries": queries,
    }


def main() -> None:
    _setup()
    results = [_measure(n) for n in FORMS]
    print(json.dumps({"runs": RUNS, "results": results}, indent=2))


if __name__ == "__main__":
    main()
