"""Shield beside dnsmasq and unbound: throughput, latency, memory and start-up, one run.

Issue 12's "Performance" paragraph is the specification. What it does, in one run:

1. Checks for ``dnsperf``, ``dnsmasq`` and ``unbound`` (Debian packages: ``apt-get install
   -y dnsperf dnsmasq unbound``); a missing server is skipped and said so in the JSON.
2. Generates, in a temporary folder and from a seeded RNG (the same files every run), a
   blocklist of ``DOMAINS`` random plausible names and a dnsperf query file of 10,000
   distinct names: 30 % blocked (a listed domain with 0–3 extra labels in front) and
   70 % allowed (names of the same shape, neither listed nor below a listed domain). From
   the list: Shield's compiled file (``waypost shield compile``), a dnsmasq configuration
   of ``address=/domain/`` lines (NXDOMAIN for the domain and its subdomains) and an
   unbound one of ``local-zone: "domain." always_nxdomain`` lines; all three with their
   caches on (big enough for the 7,000 allowed names) and the same upstream.
3. Starts that upstream on loopback (``benchmarks/_shield_upstream.py``): it answers every
   A question at once with TTL 3600, so it is never the bottleneck — after the warm-up
   every allowed name comes from the server's own cache.
4. For each server, pinned to one core (``taskset``) with the load on the other: the time
   from start to the first answered query (a blocked name, polled every 2 ms, must come
   back NXDOMAIN: the list is in force) — ``load_s``; one pass of the query file to warm
   the cache; dnsperf at full speed — ``qps``; dnsperf at a fixed moderate rate (the same
   for all three), each query's latency from dnsperf's verbose output — ``p50_ms``,
   ``p99_ms``; resident memory of the server and its children after the load —
   ``rss_mb``. Shield runs as a process of its own through its command line (``python -m
   waypost.cli shield serve --standalone …``) with every feature on (SafeSearch strict,
   counters, canary) and ``--rate-limit 0`` (the load comes from one address), its
   modules byte-compiled first as an installed package's are (``setup.byte_compiled``).

Prints JSON: ``{"shield": {"qps", "p50_ms", "p99_ms", "rss_mb", "load_s", ...},
"dnsmasq": {...}, "unbound": {...}, "ratios": {...}, "goals": {...}, "setup": {...}}``.

    uv run python benchmarks/shield.py                 # 1,000,000 listed domains, 10 s each
    uv run python benchmarks/shield.py --quick         # 100,000 listed domains, 3 s each
    uv run python benchmarks/shield.py --only shield   # just Shield, when working on its speed
    uv run python benchmarks/shield.py --quick --only shield --profile /tmp/shield.prof

``--profile FILE`` runs Shield under cProfile (its figures are then the profiler's, not
Shield's) and prints where its time goes on standard error. Run it on an otherwise idle
machine with two cores or more: the server has one to itself, the load the other.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import pwd
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = Path(__file__).resolve().parent / "_shield_upstream.py"
SERVERS = ("shield", "dnsmasq", "unbound")
SEED = 12  # issue 12
QUERIES = 10_000
BLOCKED_SHARE = 0.30
DNSPERF_TIMEOUT = 2  # seconds before dnsperf counts a query lost
POLL = 0.002  # seconds between two start-up probes
QUERY_HEADER = b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"  # after the id: RD, one question
SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])
APT = "apt-get install -y dnsperf dnsmasq unbound"


class Failed(RuntimeError):
    """A server that did not start, or stopped answering: its entry says why."""


# --- 2. the names ------------------------------------------------------------------------------

ONSETS = (
    *"bcdfghjklmnprstvwz",
    *("bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "pl", "pr", "sh", "sk"),
    *("sl", "sp", "st", "str", "th", "tr", "", ""),
)
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ee", "io", "oo", "ou", "y")
CODAS = ("", "", "", "", "n", "r", "s", "t", "x", "ck", "ng", "nd", "st", "m", "l")
SYLLABLES = sorted({o + v + c for o in ONSETS for v in VOWELS for c in CODAS})
TLDS = (
    *("com",) * 40,
    *("net",) * 10,
    *("org",) * 6,
    *("io", "xyz", "info", "online", "site", "top", "club", "shop", "live", "me", "tv"),
    *("co", "de", "ru", "fr", "nl", "pl", "jp", "co.uk", "com.br", "com.au", "app", "biz"),
)
SUBDOMAINS = (
    *("www", "m", "cdn", "img", "static", "api", "ads", "track", "media", "go", "app"),
    *("mail", "shop", "video", "news", "stats", "pixel", "files", "live", "my", "en"),
)
# names Shield answers by its own rules (SafeSearch, the Firefox canary), not by the list:
# an allowed name of the mix must be forwarded by all three servers alike
RULED = frozenset(
    ("google", "bing", "duckduckgo", "youtube", "youtu", "ytimg", "use-application-dns")
)


def _label(rng: random.Random) -> str:
    """A made-up word of 1–3 syllables, now and then with digits or a hyphen."""
    word = "".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 2, 3, 3))))
    roll = rng.random()
    if roll < 0.08:
        word += str(rng.randrange(1, 1000))
    elif roll < 0.14:
        word += "-" + "".join(rng.choices(SYLLABLES, k=2))
    return word


def _name(rng: random.Random) -> str:
    """``word.tld``, a fifth of the time under a common subdomain, a tenth under a word."""
    name = f"{_label(rng)}.{rng.choice(TLDS)}"
    roll = rng.random()
    if roll < 0.2:
        return f"{rng.choice(SUBDOMAINS)}.{name}"
    if roll < 0.3:
        return f"{_label(rng)}.{name}"
    return name


def _suffixes(name: str) -> Iterator[str]:
    yield name
    while "." in name:
        name = name.partition(".")[2]
        yield name


def generate(domains: int) -> tuple[list[str], list[str]]:
    """The listed domains and the query names (shuffled), the same for every run."""
    rng = random.Random(SEED)
    listed: dict[str, None] = {}  # insertion-ordered, so sampling from it is deterministic
    while len(listed) < domains:
        listed[_name(rng)] = None
    ordered = list(listed)
    blocked_count = round(QUERIES * BLOCKED_SHARE)
    names: dict[str, None] = {}
    while len(names) < blocked_count:
        extra = [rng.choice(SUBDOMAINS) if rng.random() < 0.5 else _label(rng)]
        extra += [_label(rng) for _ in range(2)]
        name = ".".join([*extra[: rng.randrange(4)], rng.choice(ordered)])
        if len(name) <= 253:
            names[name] = None
    while len(names) < QUERIES:
        name = _name(rng)
        if not any(s in listed for s in _suffixes(name)) and RULED.isdisjoint(name.split(".")):
            names[name] = None
    queries = list(names)
    rng.shuffle(queries)
    return ordered, queries


def write_files(
    folder: Path, listed: list[str], queries: list[str], servers: list[str], upstream: int
) -> dict[str, Path]:
    """The list, the query file and each server's configuration; their paths by name."""
    paths = {"list": folder / "domains.txt", "queries": folder / "queries.txt"}
    paths["list"].write_text("".join(f"{d}\n" for d in listed))
    paths["queries"].write_text("".join(f"{q} A\n" for q in queries))
    if "dnsmasq" in servers:
        paths["dnsmasq"] = folder / "dnsmasq.conf"
        paths["dnsmasq"].write_text(
            f"no-resolv\nno-hosts\nserver=127.0.0.1#{upstream}\ncache-size=10000\n"
            + "".join(f"address=/{d}/\n" for d in listed)
        )
    if "unbound" in servers:
        paths["unbound"] = folder / "unbound.conf"
        paths["unbound"].write_text(
            "server:\n"
            + "".join(f'    local-zone: "{d}." always_nxdomain\n' for d in listed)
            + f'forward-zone:\n    name: "."\n    forward-addr: 127.0.0.1@{upstream}\n'
        )
    return paths


def compile_list(folder: Path, source: Path) -> tuple[Path, dict[str, Any]]:
    """Shield's compiled file, made by its own command line; its report, timed."""
    out = folder / "blocklist.wpbl"
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "waypost.cli", "shield", "compile", "--out", str(out),
         f"adult={source}"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"waypost shield compile failed:\n{done.stderr}")
    report = json.loads(done.stdout)
    report["seconds"] = round(time.monotonic() - began, 2)
    return out, report


# --- 3. the upstream ----------------------------------------------------------------------------


class Upstream:
    """``_shield_upstream.py`` in a process of its own, on the load's core."""

    def __init__(self, pin: list[str]) -> None:
        self.process = subprocess.Popen(
            [*pin, sys.executable, str(UPSTREAM)], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.port = int(json.loads(self.process.stdout.readline())["port"])

    def queries(self) -> int:
        """How many questions it has answered so far."""
        assert self.process.stdout is not None
        self.process.send_signal(signal.SIGUSR1)
        return int(json.loads(self.process.stdout.readline())["queries"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- 4. the servers -----------------------------------------------------------------------------


def _free_port() -> int:
    """A port free for both UDP and TCP (the servers listen on both)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket() as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port


def _byte_compile() -> list[str]:
    """Byte-compile what Shield runs, as installing a package does (pip's default).

    Without it, a machine that sets PYTHONDONTWRITEBYTECODE compiles Shield's source at
    every start, which is slower and leaves the compiler's garbage in its memory: not
    how it runs installed. Writes only ``__pycache__`` folders (ignored by git).
    """
    import uvloop

    folders = [ROOT / "src" / "waypost" / "shield", Path(uvloop.__file__).parent]
    files = [ROOT / "src" / "waypost" / "__init__.py", ROOT / "src" / "waypost" / "cli.py"]
    for target in [*folders, *files]:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(target)], check=True, cwd=ROOT
        )
    return [str(t.relative_to(ROOT) if t.is_relative_to(ROOT) else t.name) for t in folders + files]


def _command(
    name: str, port: int, upstream: int, paths: dict[str, Path], args: argparse.Namespace
) -> list[str]:
    """The command line starting ``name`` on ``port`` (unbound's also writes its settings)."""
    if name == "shield":
        runner = [sys.executable]
        if args.profile:
            runner += ["-m", "cProfile", "-o", str(args.profile)]
        return [
            *runner, "-m", "waypost.cli", "shield", "serve", "--standalone",
            "--dns", f"127.0.0.1:{port}", "--upstream", f"127.0.0.1:{upstream}",
            "--blocklist", str(paths["shield"]), "--rate-limit", "0",
            "--workers", str(args.workers),
        ]  # fmt: skip
    if name == "dnsmasq":
        return [
            _which("dnsmasq") or "dnsmasq", "--keep-in-foreground", "--bind-interfaces",
            "--listen-address=127.0.0.1", f"--port={port}", "--pid-file=",
            "--log-facility=-", f"--user={pwd.getpwuid(os.getuid()).pw_name}",
            f"--conf-file={paths['dnsmasq']}",
        ]  # fmt: skip
    config = paths["unbound"].with_name(f"unbound-{port}.conf")
    config.write_text(
        "server:\n"
        "    verbosity: 0\n    num-threads: 1\n    do-daemonize: no\n"
        f"    interface: 127.0.0.1\n    port: {port}\n    do-ip6: no\n"
        "    access-control: 127.0.0.0/8 allow\n"
        f'    username: ""\n    chroot: ""\n    directory: "{config.parent}"\n'
        '    pidfile: ""\n    use-syslog: no\n    logfile: ""\n'
        '    module-config: "iterator"\n'  # no DNSSEC validation: none of the others does it
        "    do-not-query-localhost: no\n    qname-minimisation: no\n"
        f'include: "{paths["unbound"]}"\n'
    )
    return [_which("unbound") or "unbound", "-d", "-c", str(config)]


def _query(name: str, ident: int) -> bytes:
    """A DNS query for ``name`` A, recursion desired."""
    labels = b"".join(bytes((len(p),)) + p.encode() for p in name.split("."))
    return ident.to_bytes(2, "big") + QUERY_HEADER + labels + b"\x00\x00\x01\x00\x01"


def _first_answer(port: int, probe: str, began: float, process: subprocess.Popen[Any]) -> float:
    """Seconds from ``began`` to the first NXDOMAIN answer for ``probe`` (a listed name)."""
    query = _query(probe, 0x5157)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(("127.0.0.1", port))
        sock.settimeout(POLL)
        while True:
            try:
                sock.send(query)
                reply = sock.recv(4096)
            except OSError as exc:  # not listening yet (refused), or no answer within POLL
                if isinstance(exc, ConnectionRefusedError):
                    time.sleep(POLL)
                if process.poll() is not None:
                    raise Failed(f"exited with status {process.returncode}") from None
                if time.monotonic() - began > 600:
                    raise Failed("no answer within 600 s") from None
                continue
            if reply[:2] == query[:2] and len(reply) > 3 and reply[3] & 0x0F == 3:
                return time.monotonic() - began
            time.sleep(POLL)  # answered, but not yet blocked: the list is still loading


def _family(pid: int) -> set[int]:
    """``pid`` and its descendants (Shield's workers)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    return family


def _memory_mb(pid: int, field: str) -> float:
    """A /proc status figure (``VmRSS``, ``RssAnon`` …) of ``pid`` and its descendants, in MB."""
    kb = 0
    for member in _family(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        found = re.search(rf"^{field}:\s+(\d+) kB", status, re.M)
        kb += int(found.group(1)) if found else 0
    return round(kb / 1024, 1)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by ``pid`` and its descendants."""
    ticks = 0
    for member in _family(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _dnsperf(pin: list[str], port: int, queries: Path, *extra: str) -> dict[str, Any]:
    """One dnsperf run: its summary, and each answered query's latency with ``-v``."""
    done = subprocess.run(
        [*pin, _which("dnsperf") or "dnsperf", "-s", "127.0.0.1", "-p", str(port),
         "-d", str(queries), "-t", str(DNSPERF_TIMEOUT), *extra],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    out = done.stdout
    if done.returncode or "Queries per second" not in out:
        raise Failed(f"dnsperf failed: {done.stderr.strip() or out[-500:]}")

    def number(label: str) -> float:
        found = re.search(rf"{re.escape(label)}:\s+([\d.]+)", out)
        return float(found.group(1)) if found else 0.0

    codes = re.search(r"Response codes:\s+(.*)", out)
    rcodes = {c: int(n) for c, n in re.findall(r"(\w+) (\d+) \(", codes.group(1))} if codes else {}
    latencies = [
        float(parts[-1])
        for line in out.splitlines()
        if line.startswith("> ") and len(parts := line.split()) >= 5 and parts[1] not in "TI"
    ]
    version = re.search(r"^Version (\S+)", out, re.M)
    return {
        "sent": int(number("Queries sent")),
        "completed": int(number("Queries completed")),
        "lost": int(number("Queries lost")),
        "qps": round(number("Queries per second")),
        "run_s": number("Run time (s)"),
        "mean_ms": round(1000 * number("Average Latency (s)"), 3),
        "rcodes": rcodes,
        "latencies": latencies,
        "version": version.group(1) if version else None,
    }


def _percentile(ordered: list[float], p: float) -> float | None:
    if not ordered:
        return None
    return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)


def measure(
    name: str,
    paths: dict[str, Path],
    upstream: Upstream,
    cpus: tuple[list[str], list[str]],
    args: argparse.Namespace,
    probe: str,
) -> dict[str, Any]:
    """Start ``name`` on the server's core, load it from the other, stop it: its figures."""
    server_pin, load_pin = cpus
    port = _free_port()
    log = paths["queries"].with_name(f"{name}.log")
    began = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [*server_pin, *_command(name, port, upstream.port, paths, args)],
            cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    result: dict[str, Any] = {}
    try:
        load_s = _first_answer(port, probe, began, process)
        asked = upstream.queries()
        warm = _dnsperf(load_pin, port, paths["queries"], "-n", "1", "-q", "50")
        if warm["lost"] > warm["sent"] // 100:  # a broken set-up, not a slow server
            raise Failed(f"the warm-up pass lost {warm['lost']} of {warm['sent']} queries")
        cpu = _cpu_seconds(process.pid)
        top = _dnsperf(
            load_pin, port, paths["queries"], "-l", str(args.seconds),
            "-c", str(args.clients), "-q", str(args.outstanding),
        )  # fmt: skip
        busy = (_cpu_seconds(process.pid) - cpu) / (top["run_s"] or 1)
        paced = _dnsperf(
            load_pin, port, paths["queries"], "-l", str(args.seconds),
            "-c", str(args.clients), "-Q", str(args.rate), "-v",
        )  # fmt: skip
        rss_mb, anon_mb = _memory_mb(process.pid, "VmRSS"), _memory_mb(process.pid, "RssAnon")
        if process.poll() is not None:
            raise Failed(f"exited with status {process.returncode} under the load")
        ordered = sorted(paced["latencies"])
        answered = sum(top["rcodes"].values()) or 1
        result = {
            "qps": top["qps"],
            "p50_ms": _percentile(ordered, 0.50),
            "p99_ms": _percentile(ordered, 0.99),
            "rss_mb": rss_mb,
            "load_s": round(load_s, 3),
            # of rss_mb, the process's own memory; the rest is mapped files (a compiled list
            # is in the page cache, shared between workers and reclaimable)
            "rss_anon_mb": anon_mb,
            "mean_ms_at_rate": round(1000 * statistics.fmean(ordered), 3) if ordered else None,
            # the server's share of its core during the full-speed run: well under 1, and
            # the load (dnsperf, on one core of its own) was the limit, not the server
            "cpu_busy": round(busy, 2),
            "lost": top["lost"],
            "lost_at_rate": paced["lost"],
            "nxdomain_share": round(top["rcodes"].get("NXDOMAIN", 0) / answered, 3),
            "rcodes": top["rcodes"],
            "warmup": {k: warm[k] for k in ("completed", "lost", "qps")},
            "upstream_queries": upstream.queries() - asked,
            "dnsperf_version": warm["version"],
        }
    except Failed as exc:
        result = {"error": str(exc), "log": log.read_text()[-2000:]}
    finally:
        process.send_signal(signal.SIGINT if name == "shield" and args.profile else signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if name == "shield":
        ready = _ready_line(log)
        if ready is not None:
            result["reported_load_s"] = ready.get("load_seconds")
            result["blocklist_domains"] = ready.get("blocklist_domains")
    return result


def _ready_line(log: Path) -> dict[str, Any] | None:
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            try:
                ready = json.loads(line)
            except ValueError:
                continue
            if isinstance(ready, dict) and ready.get("ready"):
                return ready
    return None


# --- 5. the report ----------------------------------------------------------------------------


def _which(program: str) -> str | None:
    return shutil.which(program, path=SBIN)


def _version(name: str) -> str | None:
    if name == "shield":
        try:
            uvloop = metadata.version("uvloop")
        except metadata.PackageNotFoundError:
            uvloop = "absent"
        return (
            f"waypost {metadata.version('waypost')}, Python {platform.python_version()}, "
            f"uvloop {uvloop}"
        )
    program = _which(name)
    if program is None:
        return None
    flag = "-V" if name == "unbound" else "--version"
    out = subprocess.run([program, flag], capture_output=True, text=True, check=False).stdout
    found = re.search(r"(?:Dnsmasq version|^Version) (\S+)", out, re.M)
    return found.group(1) if found else out.splitlines()[0] if out else None


# issue 12's goals: (ratio, "min" or "max", bound); and Shield ready within 0.5 s of start
GOALS = (
    ("shield_qps_vs_dnsmasq", "min", 3.0),
    ("shield_qps_vs_unbound", "min", 0.6),
    ("shield_p99_vs_dnsmasq", "max", 1.0),
    ("shield_rss_vs_dnsmasq", "max", 0.5),
)
READY_GOAL_S = 0.5  # with the 1,000,000-domain list


def _ratios(results: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Shield's figures over the others' (None when one is missing)."""
    ratios: dict[str, float | None] = {}
    for key, other in (("qps", "dnsmasq"), ("qps", "unbound"), ("rss_mb", "dnsmasq"),
                       ("p99_ms", "dnsmasq")):  # fmt: skip
        mine, theirs = results.get("shield", {}).get(key), results.get(other, {}).get(key)
        ratios[f"shield_{key.split('_')[0]}_vs_{other}"] = (
            round(mine / theirs, 2)
            if isinstance(mine, int | float) and isinstance(theirs, int | float) and theirs
            else None
        )
    return ratios


def _goals(ratios: dict[str, float | None], load_s: Any, domains: int) -> dict[str, bool | None]:
    """Each of issue 12's goals: met, not met, or None (a figure is missing)."""
    met: dict[str, bool | None] = {}
    for name, kind, bound in GOALS:
        value = ratios[name]
        sign = ">=" if kind == "min" else "<="
        met[f"{name} {sign} {bound:g}"] = (
            None if value is None else value >= bound if kind == "min" else value <= bound
        )
    timed = isinstance(load_s, int | float) and domains >= 1_000_000
    met[f"shield_load_s <= {READY_GOAL_S:g} (1M domains)"] = (
        load_s <= READY_GOAL_S if timed else None
    )
    return met


def _profile_summary(path: Path) -> None:
    """Where Shield's time went: the top functions, on standard error."""
    stats = pstats.Stats(str(path), stream=sys.stderr)
    stats.strip_dirs().sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domains", type=int, default=1_000_000, help="listed domains")
    parser.add_argument("--seconds", type=float, default=10.0, help="each dnsperf run")
    parser.add_argument("--clients", type=int, default=4, help="dnsperf -c (sockets)")
    parser.add_argument("--outstanding", type=int, default=200, help="dnsperf -q, full speed")
    parser.add_argument("--rate", type=int, default=5000, help="queries/s of the latency run")
    parser.add_argument("--workers", type=int, default=1, help="Shield --workers")
    parser.add_argument("--quick", action="store_true", help="100,000 domains, 3 s each")
    parser.add_argument("--only", action="append", choices=SERVERS, help="repeatable")
    parser.add_argument("--profile", type=Path, metavar="FILE", help="Shield under cProfile")
    args = parser.parse_args()
    if args.quick:
        args.domains, args.seconds = 100_000, 3.0
    args.seconds = max(1, round(args.seconds))  # dnsperf -l takes whole seconds
    chosen = args.only or list(SERVERS)

    skipped: dict[str, str] = {}
    if _which("dnsperf") is None:
        skipped |= {s: f"dnsperf is not installed ({APT})" for s in chosen}
    for server in ("dnsmasq", "unbound"):
        if server in chosen and server not in skipped and _which(server) is None:
            skipped[server] = f"{server} is not installed (apt-get install -y {server})"
    for server, why in skipped.items():
        print(f"shield benchmark: skipping {server}: {why}", file=sys.stderr)
    running = [s for s in chosen if s not in skipped]

    available = sorted(os.sched_getaffinity(0))
    if len(available) >= 2 and _which("taskset"):
        server_cpu, load_cpu = available[0], available[1]
        os.sched_setaffinity(0, {load_cpu})  # this script's own polling stays off the server
        cpus = (["taskset", "-c", str(server_cpu)], ["taskset", "-c", str(load_cpu)])
        pinning: dict[str, Any] = {"server_cpu": server_cpu, "load_cpu": load_cpu}
    else:
        cpus, pinning = ([], []), {"unpinned": "fewer than two cores, or no taskset"}

    results: dict[str, dict[str, Any]] = {s: {"skipped": why} for s, why in skipped.items()}
    setup: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="waypost-shield-bench-") as tmp:
        folder = Path(tmp)
        began = time.monotonic()
        listed, queries = generate(args.domains)
        setup["generate_s"] = round(time.monotonic() - began, 2)
        if "shield" in running:
            setup["byte_compiled"] = _byte_compile()
        upstream = Upstream(cpus[1])
        try:
            paths = write_files(folder, listed, queries, running, upstream.port)
            if "shield" in running:
                paths["shield"], report = compile_list(folder, paths["list"])
                setup["compile"] = {
                    "seconds": report["seconds"],
                    "bytes": paths["shield"].stat().st_size,
                    **{k: v for k, v in report.items() if k in ("domains", "junk")},
                }
            for server in running:
                results[server] = measure(server, paths, upstream, cpus, args, probe=listed[0])
                print(f"shield benchmark: {server}: {json.dumps(results[server])}",
                      file=sys.stderr)  # fmt: skip
        finally:
            upstream.stop()
    if args.profile and "shield" in running:
        _profile_summary(args.profile)

    ratios = _ratios(results)
    versions = {s: _version(s) for s in SERVERS if s in chosen}
    versions["dnsperf"] = next(
        (r["dnsperf_version"] for r in results.values() if r.get("dnsperf_version")), None
    )
    print(
        json.dumps(
            {
                **{s: results[s] for s in SERVERS if s in results},
                "ratios": ratios,
                "goals": _goals(ratios, results.get("shield", {}).get("load_s"), args.domains),
                "setup": {
                    "domains": args.domains,
                    "queries": QUERIES,
                    "blocked_share": BLOCKED_SHARE,
                    "seconds": args.seconds,
                    "dnsperf": {
                        "clients": args.clients,
                        "outstanding": args.outstanding,
                        "latency_rate_qps": args.rate,
                        "timeout_s": DNSPERF_TIMEOUT,
                    },
                    "shield_workers": args.workers,
                    "profiled": bool(args.profile),
                    "cpus": os.cpu_count(),
                    **pinning,
                    **setup,
                    "versions": versions,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
