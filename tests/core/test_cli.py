"""The `waypost` command, run for real in a subprocess on a fresh data directory."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

# Each run starts its own data folder and SQLite database; DATABASE_URL is cleared.
pytestmark = pytest.mark.own_processes

DEMO_EMAILS = {
    "admin@demo.waypost.test",
    "clinician@demo.waypost.test",
    "clinician2@demo.waypost.test",
    "client1@demo.waypost.test",
    "client2@demo.waypost.test",
    "client3@demo.waypost.test",
    "client4@demo.waypost.test",
    "ally@demo.waypost.test",
}


# A secret key as `secrets.token_urlsafe(50)` makes one; "s" * 50 would be refused as weak.
STRONG_KEY = "pV3q0t6mYw1cK9xZrB2nL8sD4fH7jT5gQeUaWvXyIoPbNkMlJhGd"


def documented_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment docs/deployment.md tells an operator to set, behind a TLS proxy."""
    return _env(
        WAYPOST_DATA_DIR=str(tmp_path / "data"),
        WAYPOST_KEYS_DIR=str(tmp_path / "keys"),
        WAYPOST_SECRET_KEY=STRONG_KEY,
        WAYPOST_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        WAYPOST_ALLOWED_HOSTS="care.example.org",
        WAYPOST_SITE_URL="https://care.example.org",
        WAYPOST_BEHIND_PROXY="true",
        WAYPOST_SECURE_COOKIES="true",
        WAYPOST_SSL_REDIRECT="true",
        **extra,
    )


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WAYPOST_", "DATABASE_URL", "DJANGO_", "REDIS_URL"))
    }
    env.update(extra)
    return env


def waypost(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "waypost.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _users(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        return {row[0] for row in conn.execute("SELECT email FROM accounts_user")}


def test_demo_prepares_everything_once_and_reset_starts_over(tmp_path):
    data = tmp_path / "data"
    # when preparing the demo without serving
    first = waypost("demo", "--no-serve", "--data-dir", str(data), env=_env())
    assert first.returncode == 0, first.stderr
    # then the data directory has a WAL-mode database, a secret key and an encryption key
    db_path = data / "waypost.sqlite3"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (data / "secret_key").stat().st_mode & 0o077 == 0
    Fernet((data / "encryption_keys").read_text().strip())
    assert _users(db_path) == DEMO_EMAILS
    assert "waypost-demo" in first.stdout
    assert "client4@demo.waypost.test" in first.stdout
    # and the commands for cron jobs read it: online meetings of the sample feed start
    # within two hours of any moment (every hour of the week is covered), in order
    env = _env(WAYPOST_DATA_DIR=str(data))
    soon = waypost("meetings", "soon", "--clinic", "demo", "--json", env=env)
    assert soon.returncode == 0, soon.stderr
    starts = [datetime.fromisoformat(m["starts_at"]) for m in json.loads(soon.stdout)]
    assert starts and starts == sorted(starts)
    nowhere = waypost("meetings", "soon", "--clinic", "nowhere", "--json", env=env)
    assert nowhere.returncode == 2 and nowhere.stdout == ""
    assert "no clinic with the slug 'nowhere'" in nowhere.stderr
    # a second run changes nothing
    key_before = (data / "secret_key").read_text()
    second = waypost("demo", "--no-serve", "--data-dir", str(data), env=_env())
    assert second.returncode == 0, second.stderr
    assert "already present" in second.stdout
    assert (data / "secret_key").read_text() == key_before
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0] == 8
        # add something the reset must remove
        conn.execute(
            "INSERT INTO clinics_clinic (name, slug, time_zone, default_language, "
            "require_two_factor, contact_email, contact_phone, address, about, gate_settings, "
            "created_at) VALUES ('Extra', 'extra', 'UTC', 'en', 1, '', '', '', '', '{}', "
            "'2026-01-01')"
        )
    # --reset starts over
    third = waypost("demo", "--no-serve", "--reset", "--data-dir", str(data), env=_env())
    assert third.returncode == 0, third.stderr
    assert "demo clinic loaded" in third.stdout
    with sqlite3.connect(db_path) as conn:
        slugs = {row[0] for row in conn.execute("SELECT slug FROM clinics_clinic")}
    assert slugs == {"demo"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "no secret key"),
        ({"WAYPOST_SECRET_KEY": STRONG_KEY}, "no encryption keys"),
        ({"WAYPOST_SECRET_KEY": "s" * 50}, "the secret key is too weak"),
        ({"WAYPOST_SECRET_KEY": STRONG_KEY[:49]}, "the secret key is too weak"),
        ({"WAYPOST_SECRET_KEY": "django-insecure-" + STRONG_KEY}, "the secret key is too weak"),
        ({"WAYPOST_ALLOWED_HOSTS": "*"}, "not '*'"),
        ({}, "secure cookies are off"),
        (
            {"WAYPOST_PLAIN_HTTP": "true", "WAYPOST_HOST": "0.0.0.0"},  # noqa: S104
            "WAYPOST_PLAIN_HTTP is for this machine only",
        ),
        ({"WAYPOST_SSL_REDIRECT": "true"}, "WAYPOST_SSL_REDIRECT needs WAYPOST_BEHIND_PROXY"),
        ({"WAYPOST_TRUSTED_PROXIES": "10.0.0.300"}, "WAYPOST_TRUSTED_PROXIES: '10.0.0.300'"),
        (
            {
                "WAYPOST_SECRET_KEY": STRONG_KEY,
                "WAYPOST_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "WAYPOST_ALLOWED_HOSTS": "example.org",
                "WAYPOST_DEBUG": "true",
            },
            "WAYPOST_DEBUG is on",
        ),
        (
            {
                "WAYPOST_SECRET_KEY": STRONG_KEY,
                "WAYPOST_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            },
            "no allowed hosts",
        ),
        ({"WAYPOST_DEBUG": "maybe"}, "WAYPOST_DEBUG must be true or false"),
        ({"WAYPOST_API_RATE_LIMIT": "lots"}, "WAYPOST_API_RATE_LIMIT must look like 600/m"),
    ],
)
def test_serve_refuses_an_unsafe_configuration(tmp_path, extra, message):
    result = waypost("serve", env=_env(WAYPOST_DATA_DIR=str(tmp_path), **extra))
    assert result.returncode == 2
    assert message in result.stderr


def test_the_documented_environment_passes_djangos_deployment_checks(tmp_path):
    result = waypost(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=documented_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_files_at_rest_are_for_waypost_alone_whatever_the_umask(tmp_path):
    env = documented_env(tmp_path)
    data, keys = tmp_path / "data", tmp_path / "keys"
    # an operator's shell with a loose umask, and a data folder an older version left open
    data.mkdir(mode=0o755)
    (data / "waypost.sqlite3").touch(mode=0o644)
    loose = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "waypost.cli", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: os.umask(0o022),  # noqa: PLW1509 - the test is about the umask
    )
    assert loose.returncode == 0, loose.stderr
    made = [data, *data.rglob("*"), keys, *keys.iterdir()]
    assert (data / "waypost.sqlite3").stat().st_size > 0  # the demo clinic was written
    assert (data / "mail").is_dir()
    assert (data / "media").is_dir()
    open_to_others = {
        str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777)
        for p in made
        if not p.is_symlink() and p.stat().st_mode & 0o077
    }
    assert open_to_others == {}
    # the keys live in their own folder: a copy of the data folder does not carry them
    assert sorted(p.name for p in keys.iterdir()) == ["encryption_keys", "secret_key"]
    assert not (data / "secret_key").exists()
    assert not (data / "encryption_keys").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_reports_unready_until_migrated_then_ok(tmp_path):
    port = _free_port()
    env = _env(
        WAYPOST_DATA_DIR=str(tmp_path),
        WAYPOST_SECRET_KEY=STRONG_KEY,
        WAYPOST_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        WAYPOST_ALLOWED_HOSTS="127.0.0.1",
        WAYPOST_PORT=str(port),
        WAYPOST_PLAIN_HTTP="true",
    )
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "waypost.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 30
        status, body = 0, b""
        while time.monotonic() < deadline:
            try:
                status, body = _get(url)
                break
            except OSError:
                time.sleep(0.2)
        # before migrations: 503 with a reason
        assert status == 503, body
        assert b"migrations not applied" in body
        migrate = waypost("migrate", env=env)
        assert migrate.returncode == 0, migrate.stderr
        status, body = _get(url)
        assert status == 200
        assert body == b'{"status": "ok"}'
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc")
def test_demo_stops_its_worker_when_terminated(tmp_path):
    port = _free_port()
    env = _env()
    demo = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "waypost.cli",
            "demo",
            "--data-dir",
            str(tmp_path),
            "--port",
            str(port),
            "--shield-dns",
            str(_free_port()),
            "--shield-doh",
            str(_free_port()),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/healthz")
            except OSError:
                time.sleep(0.3)
        assert status == 200
        workers = _children(demo.pid)
        assert len(workers) == 2, "the demo should run a background worker and Shield"
        # when the demo is terminated the way a service manager does it
        demo.terminate()
        assert demo.wait(timeout=20) == 0
        # then its worker is gone too
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
            time.sleep(0.2)
        assert not [p for p in workers if _alive(p)]
    finally:
        if demo.poll() is None:
            demo.kill()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"
