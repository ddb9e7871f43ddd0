"""The clinician's caseload and a client record as caseloads grow: 10, 100 and 500 clients.

What it does, in one run:

1. Builds a throwaway database (SQLite in a temporary folder, or the database
   ``DATABASE_URL`` names) with one clinic and one clinician per size, whose clients
   (in every stage) each have ``DAYS`` days of history: daily check-ins with their
   timeline lines, urges and a lapse now and then, fortnightly questionnaires (one open,
   one missed lately), risk alerts, early warnings, two devices on Shield, weekly
   messages and fortnightly appointments; a third of the clients have something open
   (an alert, an early warning, an unread message, a silent device). Bulk inserts, from
   ``tests/caseload/history.py``, the data the query-count tests use too.
2. Starts the production server (waitress with ``waypost.wsgi.application``, as
   ``waypost serve`` runs it, 8 threads) in a process of its own, the application
   wrapped so that each response carries the time the server spent on it and the SQL
   queries it made (``X-Bench-Ms``, ``X-Bench-Queries``; the wrapper exists only here).
3. With each clinician's signed-in session cookie, one request after another over a
   kept-alive loopback connection: ``REQUESTS`` rounds of the caseload (``/caseload/``,
   its usual order, "needs attention first") and one client's record (a Stage 2 client
   with the whole history) for every size in turn, after a few warm-up rounds, so that
   whatever else the machine is doing weighs on every size alike.

Prints JSON: ``{"dashboard": {"10": {"queries", "p50_ms", "p95_ms", ...}, "100": {...},
"500": {...}}, "record": {...}, "ratios": {...}, "goals": {...}, "setup": {...}}``. The
``*_ms`` figures are server time; ``rtt_p50_ms`` / ``rtt_p95_ms`` the round trip.

    uv run python benchmarks/caseload.py             # 10, 100, 500 clients × 365 days
    uv run python benchmarks/caseload.py --quick     # 5, 20, 50 clients × 30 days
    uv run python benchmarks/caseload.py --data-dir D   # seed D once, reuse it next time
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.checkin import (  # noqa: E402 — after the path, like the tests' imports
    THREADS,
    _django,
    _environment,
    _free_port,
    _wait_until_up,
)

SIZES = (10, 100, 500)
QUICK_SIZES = (5, 20, 50)
DAYS = 365
REQUESTS = 60
WARM_UP = 5


# --- 1. the data ---------------------------------------------------------------------------


def _seed(sizes: tuple[int, ...], days: int) -> dict:
    """A clinician per size with that many clients; their session cookies and a record each."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tests.caseload.history import seed_history
    from waypost.accounts.models import User
    from waypost.assessments.models import ClinicMeasureSettings
    from waypost.clinics.models import Clinic, ClinicianProfile
    from waypost.program.services import change_stage, enroll_client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rng = random.Random(14)  # noqa: S311 — benchmark data
    now = timezone.now()
    clinic = Clinic.objects.create(
        name="Bench Clinic", slug="bench", time_zone="Asia/Singapore", require_two_factor=False
    )
    ClinicMeasureSettings.objects.create(clinic=clinic, baseline_instruments=[])
    plan: dict[str, dict] = {}
    for size in sizes:
        clinician = User.objects.create_user(
            f"clinician-{size}@bench.test", "x" * 12, name=f"Clinician {size}"
        )
        profile = ClinicianProfile.objects.create(user=clinician, clinic=clinic)
        record = None
        for n in range(size):
            user = User.objects.create_user(
                f"client-{size}-{n}@bench.test", "x" * 12, name=f"Client {size}-{n:03d}"
            )
            enrollment = enroll_client(
                client=user,
                clinician_profile=profile,
                by=clinician,
                at=now - timedelta(days=days + 30),
            )
            # stages 2, 3, 4 and 1 in turn; the stage changes before the history begins
            for stage in range(2, 2 + (n + 1) % 4):
                change_stage(
                    enrollment=enrollment,
                    to_stage=stage,
                    reason="Ready for the next step.",
                    by=clinician,
                    at=now - timedelta(days=days + 10 - stage),
                )
            enrollment.refresh_from_db()
            seed_history(
                enrollment, clinician=clinician, days=days, now=now, rng=rng, worried=n % 3 == 0
            )
            if record is None and enrollment.stage == 2:
                record = enrollment.pk
        session = SessionStore()
        session[SESSION_KEY] = str(clinician.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = clinician.get_session_auth_hash()
        session.create()
        plan[str(size)] = {"session": session.session_key, "record": f"/clients/{record}/"}
    if connection.vendor == "postgresql":
        # What autovacuum does once a table has grown: without statistics the planner knows
        # nothing of a year of rows, and reads every completed form of the clinic to find
        # fifty clients' (measured: 6 ms instead of 1 ms for one query at 500 clients).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return plan


# --- 2. the server, measuring itself -------------------------------------------------------


def _measured(application):
    """The WSGI application, with the server time and SQL queries of each response in its
    headers. Django renders the whole page before it returns, so the headers can wait."""
    from django.db import connection

    def wrapped(environ, start_response):
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        answer: list = []

        def hold(status, headers, exc_info=None):
            answer[:] = [status, headers, exc_info]
            return lambda data: None  # Django never calls write()

        began = time.perf_counter()
        with connection.execute_wrapper(count):
            body = application(environ, hold)
            try:
                chunks = list(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        elapsed = time.perf_counter() - began
        status, headers, exc_info = answer
        headers = [
            *headers,
            ("X-Bench-Ms", f"{elapsed * 1000:.2f}"),
            ("X-Bench-Queries", str(queries)),
        ]
        start_response(status, headers, exc_info)
        return chunks

    return wrapped


def _serve(port: int) -> None:
    _django()
    from waitress import serve

    from waypost.wsgi import application

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(
        _measured(application),
        host="127.0.0.1",
        port=port,
        threads=THREADS,
        ident="Waypost",
        clear_untrusted_proxy_headers=False,
    )


# --- 3. the requests ------------------------------------------------------------------------


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)


def _measure(port: int, plan: dict[str, dict], requests: int) -> dict[str, dict]:
    """Each page of each size in turn, ``requests`` rounds (so a busy moment of the machine
    falls on every size alike), after ``WARM_UP`` rounds."""
    targets = [
        (page, size, path, seeded["session"])
        for size, seeded in plan.items()
        for page, path in (("dashboard", "/caseload/"), ("record", seeded["record"]))
    ]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    seen: dict[tuple[str, str], dict[str, list]] = {
        (page, size): {"server": [], "trip": [], "queries": [], "statuses": []}
        for page, size, _path, _session in targets
    }
    for n in range(WARM_UP + requests):
        for page, size, path, session in targets:
            began = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": f"sessionid={session}"})
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if n < WARM_UP:
                continue
            found = seen[page, size]
            found["statuses"].append(response.status)
            found["server"].append(float(response.getheader("X-Bench-Ms", "nan")))
            found["trip"].append(elapsed)
            found["queries"].append(int(response.getheader("X-Bench-Queries", "-1")))
    conn.close()
    results: dict[str, dict] = {"dashboard": {}, "record": {}}
    for (page, size), found in seen.items():
        # The page's own count: the most frequent one (once every five minutes a signed-in
        # session's expiry is refreshed, core.sessions, and that request makes 2 more).
        counts = Counter(found["queries"])
        results[page][size] = {
            "queries": counts.most_common(1)[0][0],
            "queries_seen": dict(sorted(counts.items())),
            "p50_ms": _pct(found["server"], 0.50),
            "p95_ms": _pct(found["server"], 0.95),
            "mean_ms": round(statistics.fmean(found["server"]), 1),
            "rtt_p50_ms": _pct(found["trip"], 0.50),
            "rtt_p95_ms": _pct(found["trip"], 0.95),
            "requests": requests,
            "statuses": sorted(set(found["statuses"])),
        }
    return results


def _seeded(args: argparse.Namespace, sizes: tuple[int, ...]) -> tuple[dict, dict, float]:
    """The environment and the seeded plan: made now, or read back from ``--data-dir``."""
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="waypost-bench-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    kept = Path(data_dir, "caseload-bench.json")
    if kept.exists():
        saved = json.loads(kept.read_text())
        if saved["sizes"] == list(sizes) and saved["days"] == args.days:
            return {**_environment(data_dir), **saved["keys"]}, saved["plan"], 0.0
        raise SystemExit(f"{data_dir} holds another run's data: choose an empty folder")
    env = _environment(data_dir)
    began = time.monotonic()
    plan = json.loads(
        subprocess.run(  # noqa: S603
            [*_me(), "--seed", json.dumps(sizes), "--days", str(args.days)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    keys = {k: env[k] for k in ("WAYPOST_SECRET_KEY", "WAYPOST_ENCRYPTION_KEYS")}
    if args.data_dir:
        kept.write_text(
            json.dumps({"sizes": list(sizes), "days": args.days, "keys": keys, "plan": plan})
        )
    return env, plan, round(time.monotonic() - began, 1)


def _me() -> list[str]:
    return [sys.executable, str(Path(__file__).resolve())]


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--quick", action="store_true", help="5, 20, 50 clients × 30 days")
    parser.add_argument(
        "--data-dir", help="keep the seeded database here and reuse it on the next run"
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve)
        return
    if args.seed:
        _django()
        print(json.dumps(_seed(tuple(json.loads(args.seed)), args.days)))
        return
    sizes = QUICK_SIZES if args.quick else SIZES
    if args.quick:
        args.days, args.requests = 30, 20
    env, plan, seed_seconds = _seeded(args, sizes)
    port = _free_port()
    server = subprocess.Popen([*_me(), "--serve", str(port)], env=env)  # noqa: S603
    try:
        _wait_until_up(port)
        results = _measure(port, plan, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    small, large = str(sizes[0]), str(sizes[-1])
    ratios = {
        f"{page}_p95_{large}_vs_{small}": round(
            results[page][large]["p95_ms"] / results[page][small]["p95_ms"], 2
        )
        for page in ("dashboard", "record")
    }
    goals = {
        f"{page}_same_queries": len({r["queries"] for r in results[page].values()}) == 1
        for page in ("dashboard", "record")
    }
    goals["dashboard_p95_at_most_twice"] = ratios[f"dashboard_p95_{large}_vs_{small}"] <= 2
    print(
        json.dumps(
            {
                **results,
                "ratios": ratios,
                "goals": goals,
                "setup": {
                    "sizes": list(sizes),
                    "days": args.days,
                    "requests_each": args.requests,
                    "server": f"waitress, {THREADS} threads, one request at a time, "
                    "the pages and sizes in turn",
                    "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
                    "cpus": os.cpu_count(),
                    "seed_seconds": seed_seconds,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
