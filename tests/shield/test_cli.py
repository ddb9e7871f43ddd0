"""``waypost shield compile`` and ``waypost shield serve --standalone``, as separate processes."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

ROOT = Path(__file__).resolve().parents[2]


def waypost(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "waypost.cli", "shield", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        **kwargs,
    )


def test_compile_merges_lists_and_reports_junk_lines(tmp_path):
    adult = tmp_path / "adult.txt"
    adult.write_text(
        "# a hosts file\n0.0.0.0 One.Example.\n127.0.0.1 localhost\n"
        "||two.example^\nnot a domain!\n",
        encoding="utf-8",
    )
    dating = tmp_path / "dating.txt"
    dating.write_text("three.example\n*.four.example\n", encoding="utf-8")
    out = tmp_path / "lists.bin"
    done = waypost("compile", "--out", str(out), f"adult={adult}", f"dating={dating}")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["domains"] == 4
    assert report["by_category"]["adult"] == 2 and report["by_category"]["dating"] == 2
    (problem,) = report["problems"]
    assert problem["line"] == 5 and "not a domain" in problem["text"]
    assert out.stat().st_size > 0


def test_compile_refuses_an_unknown_category(tmp_path):
    listed = tmp_path / "x.txt"
    listed.write_text("one.example\n", encoding="utf-8")
    done = waypost("compile", "--out", str(tmp_path / "o.bin"), f"nonsense={listed}")
    assert done.returncode == 2 and "unknown category" in done.stderr


def test_serve_without_a_database_or_a_snapshot_says_so(tmp_path):
    # a fresh data directory: no database tables, no snapshot written before
    env = {**os.environ, "WAYPOST_DATA_DIR": str(tmp_path)}
    done = waypost("serve", "--dns", "127.0.0.1:0", env=env)
    assert done.returncode == 2
    assert "no database and no snapshot" in done.stderr


def _ready(process: subprocess.Popen[str]) -> dict:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready, "shield did not start"
    return json.loads(process.stdout.readline())


@pytest.mark.own_processes
def test_serve_standalone_blocks_from_its_list_and_reloads_on_sighup(tmp_path, upstream):
    listed = tmp_path / "list.txt"
    listed.write_text("blocked.test\n", encoding="utf-8")
    compiled = tmp_path / "lists.bin"
    assert waypost("compile", "--out", str(compiled), f"adult={listed}").returncode == 0
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "waypost.cli",
            "shield",
            "serve",
            "--standalone",
            "--dns",
            "127.0.0.1:0",
            "--doh",
            "127.0.0.1:0",
            "--upstream",
            f"127.0.0.1:{upstream.port}",
            "--blocklist",
            str(compiled),
            "--blocklist",
            f"dating={listed}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        ready = _ready(process)
        assert ready["ready"] is True and ready["blocklist_domains"] == 2
        assert ready["load_seconds"] < 5
        host, port = ready["dns"][0]

        def ask(name: str) -> int:
            query = dns.message.make_query(name, "A")
            return dns.query.udp(query, host, port=port, timeout=5).rcode()

        assert ask("www.blocked.test") == dns.rcode.NXDOMAIN
        assert ask("allowed.test") == dns.rcode.NOERROR
        # a recompiled list is picked up on SIGHUP, without a restart
        listed.write_text("blocked.test\nallowed.test\n", encoding="utf-8")
        assert waypost("compile", "--out", str(compiled), f"adult={listed}").returncode == 0
        process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while ask("allowed.test") != dns.rcode.NXDOMAIN:
            assert time.monotonic() < deadline, "the new list was not picked up"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


@pytest.mark.own_processes
def test_with_the_database_down_it_serves_the_devices_of_its_last_snapshot(tmp_path, upstream):
    import base64
    import http.client

    from waypost.shield import snapshot

    snapshot.write(
        tmp_path / "shield" / "snapshot.json",
        {
            "version": 1,
            "written_at": time.time(),
            "devices": {
                "7": {
                    "token": "phonetoken",
                    "address": None,
                    "categories": ["adult"],
                    "safesearch": "strict",
                    "allow": [],
                    "block": ["blocked.test"],
                    "lockdown_until": None,
                },
            },
        },
    )
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "waypost.cli",
            "shield",
            "serve",
            "--doh",
            "127.0.0.1:0",
            "--upstream",
            f"127.0.0.1:{upstream.port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "WAYPOST_DATA_DIR": str(tmp_path)},
    )
    try:
        ready = _ready(process)
        assert ready["devices"] == 1
        host, port = ready["doh"][0]

        def get(path: str, name: str) -> tuple[int, bytes]:
            wire = dns.message.make_query(name, "A").to_wire()
            encoded = base64.urlsafe_b64encode(wire).rstrip(b"=").decode()
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", f"{path}?dns={encoded}")
            response = connection.getresponse()
            return response.status, response.read()

        status, body = get("/dns-query/phonetoken", "www.blocked.test")
        assert status == 200 and dns.message.from_wire(body).rcode() == dns.rcode.NXDOMAIN
        status, body = get("/dns-query/phonetoken", "allowed.test")
        assert status == 200 and dns.message.from_wire(body).rcode() == dns.rcode.NOERROR
        assert get("/dns-query/someone-else", "allowed.test")[0] == 404
        assert get("/dns-query", "allowed.test")[0] == 404
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


def test_refresh_fetches_the_configured_lists_into_the_data_directory(tmp_path):
    listed = tmp_path / "adult.txt"
    listed.write_text("one.example\n", encoding="utf-8")
    env = {
        **os.environ,
        "WAYPOST_DATA_DIR": str(tmp_path / "data"),
        "WAYPOST_SHIELD_LISTS": f"adult={listed.as_uri()}",
    }
    done = waypost("refresh", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["compiled"]["domains"] == 1
    assert (tmp_path / "data" / "shield" / "lists.bin").is_file()
    env["WAYPOST_SHIELD_LISTS"] = ""
    assert waypost("refresh", env=env).returncode == 2


def _free_udp_and_tcp_port() -> int:
    import socket

    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


@pytest.mark.own_processes
def test_several_workers_share_one_port_and_stop_together(tmp_path, upstream):
    port = _free_udp_and_tcp_port()
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "waypost.cli",
            "shield",
            "serve",
            "--standalone",
            "--dns",
            f"127.0.0.1:{port}",
            "--upstream",
            f"127.0.0.1:{upstream.port}",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert _ready(process)["workers"] == 2
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        assert len(children.read_text().split()) == 1  # the second worker
        for _ in range(20):  # answered, whichever worker the kernel picks
            query = dns.message.make_query("allowed.test", "A")
            answer = dns.query.udp(query, "127.0.0.1", port=port, timeout=5)
            assert answer.answer[0][0].to_text() == "192.0.2.10"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
