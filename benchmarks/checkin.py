"""The daily check-in and the client's home page under load, beside a bare page.

What it does, in one run:

1. Builds a throwaway database (SQLite in a temporary folder, or the database
   ``DATABASE_URL`` names) with one clinic and ``CLIENTS`` clients in Stage 2, each with
   ``DAYS`` days of check-ins and urges (a lapse now and then), and a signed-in session
   per client.
2. Counts the SQL queries of the client's home page (Today) for a client with the whole
   year of history and for one with a single day: the page must not grow with history.
3. Starts the production server (waitress, as ``waypost serve`` runs it, 8 threads) in a
   process of its own, with one extra URL: a bare view returning a constant page through
   the same middleware (``benchmarks/_bare_urls.py``).
4. From a second process, ``CONCURRENCY`` connections drive, one after the other: the bare
   page, the home page and check-in submissions (each a POST of today's check-in by a
   random client: the first of the day creates it, the next ones change it), for
   ``SECONDS`` seconds each after a short warm-up.

Prints JSON: ``{"checkin": {"rps", "p50_ms", "p95_ms", "p99_ms", ...}, "home": {...,
"queries"}, "bare": {...}, "ratios": {...}, ...}``.

    uv run python benchmarks/checkin.py             # 200 clients × 365 days, 10 s each
    uv run python benchmarks/checkin.py --quick     # 20 clients × 30 days, 3 s each
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 8  # waitress threads, as ``waypost demo`` / ``waypost serve`` use
CSRF = "b" * 32  # a CSRF secret of our own: the cookie and the form carry the same value


# --- the environment both processes share ----------------------------------------------


def _environment(data_dir: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WAYPOST_", "DJANGO_", "REDIS_URL"))
    }
    env.update(
        WAYPOST_DATA_DIR=data_dir,
        WAYPOST_SECRET_KEY=secrets.token_urlsafe(50),
        WAYPOST_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        WAYPOST_ALLOWED_HOSTS="127.0.0.1,testserver",
        WAYPOST_PLAIN_HTTP="true",
        WAYPOST_LOG_LEVEL="WARNING",
        WAYPOST_TASKS_IMMEDIATE="1",
        DJANGO_SETTINGS_MODULE="waypost.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]),
    )
    return env


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- 1. the data ---------------------------------------------------------------------------


def _seed(clients: int, days: int) -> dict:
    """The clinic, the clients and their history; returns their session cookies."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from waypost.accounts.models import User
    from waypost.assessments.models import ClinicMeasureSettings
    from waypost.clinics.models import Clinic, ClinicianProfile
    from waypost.program.models import Enrollment
    from waypost.program.services import change_stage, enroll_client
    from waypost.recovery import selectors
    from waypost.recovery.models import CheckIn, Urge

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rng = random.Random(11)  # noqa: S311 — benchmark data
    now = timezone.now()
    clinic = Clinic.objects.create(
        name="Bench Clinic", slug="bench", time_zone="Asia/Singapore", require_two_factor=False
    )
    ClinicMeasureSettings.objects.create(clinic=clinic, baseline_instruments=[])
    clinician = User.objects.create_user("clinician@bench.test", "x" * 12, name="Cleo")
    profile = ClinicianProfile.objects.create(user=clinician, clinic=clinic)
    cookies = []
    for n in range(clients):
        user = User.objects.create_user(f"client-{n}@bench.test", "x" * 12, name=f"Client {n}")
        enrollment = enroll_client(
            client=user, clinician_profile=profile, by=clinician, at=now - timedelta(days=days + 30)
        )
        change_stage(
            enrollment=enrollment,
            to_stage=2,
            reason="Ready for the plan.",
            by=clinician,
            at=now - timedelta(days=days + 1),
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(welcomed_at=now)
        enrollment.refresh_from_db()
        today = selectors.client_today(enrollment, now)
        # one client (the last) has a single day of history: the query count must match
        span = 1 if n == clients - 1 else days
        check_ins, urges = [], []
        for back in range(span, 0, -1):
            day = today - timedelta(days=back)
            check_ins.append(
                CheckIn(
                    enrollment=enrollment,
                    local_date=day,
                    client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                    sober=rng.random() > 0.03,
                    mood=rng.randint(2, 5),
                    urge=rng.randint(0, 8),
                    mindfulness_minutes=rng.choice((0, 0, 10)),
                    created_at=now,
                    updated_at=now,
                )
            )
            for _ in range(rng.choice((0, 1, 1, 2))):
                urges.append(
                    Urge(
                        enrollment=enrollment,
                        client_uuid=uuid.UUID(int=rng.getrandbits(128)),
                        occurred_at=now - timedelta(days=back),
                        local_date=day,
                        local_hour=rng.choice((13, 21, 22, 23)),
                        intensity=rng.randint(2, 9),
                        trigger=rng.choice(("Bored", "Stress", "Late at night")),
                        outcome=Urge.Outcome.RESISTED,
                        created_at=now,
                        updated_at=now,
                    )
                )
        CheckIn.objects.bulk_create(check_ins, batch_size=500)
        Urge.objects.bulk_create(urges, batch_size=500)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    return {"sessions": cookies, "full": cookies[0], "one_day": cookies[-1]}


# --- 2. the home page's queries ------------------------------------------------------------


def _home_queries(session_key: str) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    browser = Client()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert browser.get("/today/").status_code == 200  # noqa: S101 — the first saves the session
    with CaptureQueriesContext(connection) as captured:
        response = browser.get("/today/")
    assert response.status_code == 200, response.status_code  # noqa: S101
    return len(captured.captured_queries)


# --- 3. the server ----------------------------------------------------------------------------


def _serve(port: int) -> None:
    _django()
    from django.conf import settings

    from waypost.cli import _serve as serve

    settings.ROOT_URLCONF = "benchmarks._bare_urls"
    # waitress says when requests wait for a thread; under a load test they always do.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve("127.0.0.1", port, threads=THREADS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


# --- 4. the load ------------------------------------------------------------------------------


def _request(conn: http.client.HTTPConnection, kind: str, session: str) -> int:
    cookie = f"sessionid={session}; csrftoken={CSRF}"
    if kind == "checkin":
        body = (
            f"csrfmiddlewaretoken={CSRF}&client_uuid={uuid.uuid4()}&sober=yes&mood=4&urge=3"
            "&sleep_hours=7&mindfulness_minutes=10&note="
        )
        conn.request(
            "POST",
            "/checkin/",
            body=body,
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
    else:
        path = "/today/" if kind == "home" else "/bench/bare/"
        conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.status


def _drive(port: int, kind: str, sessions: list[str], seconds: float, concurrency: int) -> dict:
    ok = 302 if kind == "checkin" else 200
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad: list[int] = []
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                status = _request(conn, kind, rng.choice(sessions))
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append(time.perf_counter() - began)
            if status != ok:
                bad.append(status)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "requests": len(ordered),
        "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(1000 * statistics.fmean(ordered), 1) if ordered else None,
    }


def _load(port: int, sessions: list[str], seconds: float, concurrency: int) -> dict:
    results = {}
    for kind in ("bare", "home", "checkin"):
        _drive(port, kind, sessions, min(2.0, seconds / 3), concurrency)  # warm-up
        results[kind] = _drive(port, kind, sessions, seconds, concurrency)
    return results


# --- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="20 clients, 30 days, 3 s each")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve)
        return
    if args.seed:
        _django()
        seeded = _seed(args.clients, args.days)
        seeded["queries"] = {
            "full_history": _home_queries(seeded["full"]),
            "one_day": _home_queries(seeded["one_day"]),
        }
        print(json.dumps(seeded))
        return
    if args.load:
        plan = json.loads(args.load)
        results = _load(plan["port"], plan["sessions"], plan["seconds"], plan["concurrency"])
        print(json.dumps(results))
        return
    if args.quick:
        args.clients, args.days, args.seconds = 20, 30, 3.0

    data_dir = tempfile.mkdtemp(prefix="waypost-bench-")
    env = _environment(data_dir)
    me = [sys.executable, str(Path(__file__).resolve())]
    began = time.monotonic()
    seeded = json.loads(
        subprocess.run(  # noqa: S603
            [*me, "--seed", "--clients", str(args.clients), "--days", str(args.days)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    seed_seconds = round(time.monotonic() - began, 1)
    port = _free_port()
    server = subprocess.Popen([*me, "--serve", str(port)], env=env)  # noqa: S603
    try:
        _wait_until_up(port)
        plan = {
            "port": port,
            "sessions": seeded["sessions"][:-1],
            "seconds": args.seconds,
            "concurrency": args.concurrency,
        }
        results = json.loads(
            subprocess.run(  # noqa: S603
                [*me, "--load", json.dumps(plan)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["home"]["queries"] = seeded["queries"]["full_history"]
    results["home"]["queries_with_one_day"] = seeded["queries"]["one_day"]
    bare = results["bare"]["rps"] or 1
    print(
        json.dumps(
            {
                **results,
                "ratios": {
                    "checkin_rps_vs_bare": round(results["checkin"]["rps"] / bare, 2),
                    "home_rps_vs_bare": round(results["home"]["rps"] / bare, 2),
                },
                "setup": {
                    "clients": args.clients,
                    "days": args.days,
                    "seconds_each": args.seconds,
                    "concurrency": args.concurrency,
                    "server": f"waitress, {THREADS} threads",
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
