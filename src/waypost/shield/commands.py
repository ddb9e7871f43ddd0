"""``waypost shield``: run the resolver, compile blocklists.

waypost shield serve --standalone --dns 127.0.0.1:5353 [--dns …] [--doh 127.0.0.1:8053]
                     [--dot 0.0.0.0:853 --tls-cert FILE --tls-key FILE]
                     --upstream 127.0.0.1:5399 [--upstream …] [--blocklist [CATEGORY=]FILE …]
                     [--block-mode nxdomain|null] [--safesearch strict|moderate|off]
                     [--categories adult,dating,…] [--rate-limit N] [--workers N]
waypost shield compile --out FILE CATEGORY=FILE [CATEGORY=FILE …]

``serve --standalone`` needs no database: everything comes from its flags. When it is
listening it prints one line of JSON to standard output, ``{"ready": true, "dns": [[host,
port]], "doh": [[host, port]], "dot": [], "blocklist_domains": n, "load_seconds": s}``
(the ports are the real ones, also when 0 asked for any free port). SIGHUP reopens the
blocklist files (a running resolver switches to a recompiled file between two queries);
SIGTERM or SIGINT stops it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import signal
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from waypost.shield import blocklist as lists
from waypost.shield import rules

DEFAULT_UPSTREAM = "9.9.9.9"  # Quad9: filtering of malware, no logging of addresses


def _address(text: str) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port``."""
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
    else:
        host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not host:port")
    return host, int(port)


def _source(text: str) -> tuple[str, str]:
    category, sep, path = text.partition("=")
    if not sep:
        category, path = "adult", text
    if category not in lists.CATEGORIES:
        raise argparse.ArgumentTypeError(
            f"unknown category {category!r}; known: {', '.join(lists.CATEGORIES)}"
        )
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    return category, path


def _categories(text: str) -> frozenset[str]:
    chosen = frozenset(c.strip() for c in text.split(",") if c.strip())
    unknown = chosen - set(lists.CATEGORIES)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown categories: {', '.join(sorted(unknown))}")
    return chosen


@dataclass
class Lists:
    """Several blocklists as one: the first that lists a name gives its category."""

    parts: list[lists.Blocklist]

    def match(self, name: str) -> str | None:
        for part in self.parts:
            category = part.match(name)
            if category is not None:
                return category
        return None

    def __len__(self) -> int:
        return sum(len(part) for part in self.parts)

    def close(self) -> None:
        for part in self.parts:
            part.close()


def _open_lists(sources: list[tuple[str, str]]) -> Lists:
    return Lists([lists.load(path, category) for category, path in sources if Path(path).is_file()])


def cmd_compile(args: argparse.Namespace) -> int:
    try:
        report = lists.compile_lists(args.sources, args.out)
    except (OSError, ValueError) as exc:
        print(f"waypost shield compile: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.as_json(), indent=2))
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from waypost import conf
    from waypost.shield import refresh

    try:
        sources = refresh.parse_sources(conf.env_list("WAYPOST_SHIELD_LISTS"))
    except refresh.RefreshError as exc:
        print(f"waypost shield refresh: WAYPOST_SHIELD_LISTS: {exc}", file=sys.stderr)
        return 2
    if not sources:
        print("waypost shield refresh: WAYPOST_SHIELD_LISTS names no lists", file=sys.stderr)
        return 2
    done = refresh.refresh(sources, conf.data_dir() / "shield")
    print(json.dumps(done.as_json(), indent=2))
    return 0 if done.report is not None else 2


def _use_uvloop() -> None:
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def _sync_once(
    drained: tuple[Any, Any, Any], path: Path
) -> tuple[dict[str, Any] | None, Exception | None]:
    """On a thread: store the counts, then read and write a fresh snapshot.

    Returns the snapshot (None when the database could not be read) and the error that
    stopped the counts from being stored (None when they were).
    """
    from django.db import Error, close_old_connections

    from waypost.shield import snapshot, sync

    close_old_connections()
    stored: Exception | None = None
    try:
        sync.record(*drained)
    except Error as exc:
        stored = exc
    try:
        fresh = sync.build_snapshot()
        snapshot.write(path, fresh)
    except (Error, OSError):
        fresh = None
    finally:
        close_old_connections()
    return fresh, stored


def _spool(drained: tuple[Any, Any, Any], folder: Path) -> Path:
    """Keep counts the database could not take at stop, encrypted, for the next start.

    One file per process (workers stop together); blocked names are intimate, so the
    file is encrypted with the installation's keys, as the database's copy would be.
    """
    from waypost.core import crypto

    allowed, blocked, last_seen = drained
    data = {
        "allowed": [[device, hour, n] for (device, hour), n in allowed.items()],
        "blocked": [list(event) for event in blocked],
        "last_seen": last_seen,
    }
    path = folder / f"unsent-{os.getpid()}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(crypto.encrypt(json.dumps(data)), encoding="ascii")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path


def _unspool(folder: Path, stats: Any) -> int:
    """Put back counts kept by an earlier stop (each file claimed by one worker only)."""
    from waypost.core import crypto

    taken = 0
    for path in sorted(folder.glob("unsent-*.json")):
        claimed = path.with_name(f"{path.name}.{os.getpid()}.claimed")
        try:
            os.rename(path, claimed)  # atomic: another worker gets FileNotFoundError
        except OSError:
            continue
        try:
            data = json.loads(crypto.decrypt(claimed.read_text(encoding="ascii")))
            stats.restore(
                {(device, hour): n for device, hour, n in data["allowed"]},
                [tuple(event) for event in data["blocked"]],
                data["last_seen"],
            )
            taken += 1
        except (OSError, ValueError, KeyError, TypeError, crypto.DecryptionError) as exc:
            print(f"waypost shield: could not read {path.name}: {exc}", file=sys.stderr)
        finally:
            claimed.unlink(missing_ok=True)
    return taken


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


async def _keep_in_sync(
    resolver: Any, identities: Any, path: Path, reopen: Callable[[], None]
) -> None:
    """Every FLUSH_SECONDS: hand the counts to the database, pick up device changes and a
    newly compiled ``lists.bin`` (from ``waypost shield refresh`` or the worker)."""
    from waypost.shield import sync

    loop = asyncio.get_running_loop()
    lists = path.parent / "lists.bin"
    seen = _mtime(lists)
    while True:
        await asyncio.sleep(sync.FLUSH_SECONDS)
        if _mtime(lists) != seen:
            seen = _mtime(lists)
            reopen()
        drained = resolver.stats.drain()  # on the loop's thread, between two queries
        fresh, failed = await loop.run_in_executor(None, _sync_once, drained, path)
        if failed is not None:
            resolver.stats.restore(*drained)
            print(f"waypost shield: counts kept for later: {failed}", file=sys.stderr)
        if fresh is not None:
            identities.replace(fresh)
            resolver.forget_repeats()  # answers remembered under the old policies


def _installed_identities() -> tuple[Any, Path]:
    """The devices from the database, else from the last snapshot written (database down)."""
    from waypost import conf

    conf.setup_django()
    from django.db import Error

    from waypost.shield import snapshot, sync

    path = conf.data_dir() / "shield" / "snapshot.json"
    try:
        data = sync.build_snapshot()
        snapshot.write(path, data)
    except Error as exc:
        print(f"waypost shield: database unavailable ({exc}); using {path}", file=sys.stderr)
        data = snapshot.read(path)
    return snapshot.SnapshotIdentities(data), path


async def _serve(
    args: argparse.Namespace, *, reuse_port: bool, announce: bool, sync_with: Path | None
) -> None:
    from waypost.shield import server
    from waypost.shield.upstream import Server, Upstream

    began = time.monotonic()
    blocklist = _open_lists(args.blocklist)
    policy = rules.Policy(categories=args.categories, safesearch=rules.SafeSearch(args.safesearch))
    identities: server.Identities = args.identities
    resolver = server.Resolver(
        upstream=Upstream(
            [Server.parse(u) for u in args.upstream or [DEFAULT_UPSTREAM]],
            args.timeout,
            ssl.create_default_context(cafile=args.upstream_ca) if args.upstream_ca else None,
        ),
        blocklist=blocklist,
        options=server.Options(
            block_mode=args.block_mode, rate_limit=args.rate_limit, policy=policy
        ),
        policy_for=getattr(identities, "policy_for", None),
        # Standalone, nothing takes the blocked names anywhere: count them, keep none.
        stats=server.Stats(max_events=0 if identities.standalone else 100_000),
    )
    tls = server.tls_context(args.tls_cert, args.tls_key) if args.dot else None
    listeners = await server.start(
        resolver,
        dns=args.dns,
        doh=args.doh,
        dot=args.dot,
        tls=tls,
        identities=identities,
        reuse_port=reuse_port,
    )
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def reopen() -> None:
        old, fresh = resolver.blocklist, _open_lists(args.blocklist)
        resolver.blocklist = fresh  # forgets remembered answers too
        if isinstance(old, Lists):
            old.close()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, reopen)
    if sync_with is not None:
        _unspool(sync_with.parent, resolver.stats)  # counts an earlier stop could not store
    syncing = (
        asyncio.ensure_future(_keep_in_sync(resolver, identities, sync_with, reopen))
        if sync_with is not None
        else None
    )
    # Everything loaded so far lives as long as the process: keep the garbage collector
    # from walking it again and again (fewer pauses in the answers' latency).
    gc.collect()
    gc.freeze()
    if announce:
        ready: dict[str, Any] = {
            "ready": True,
            "dns": listeners.dns,
            "doh": listeners.doh,
            "dot": listeners.dot,
            "blocklist_domains": len(blocklist),
            "devices": None if identities.standalone else len(identities),
            "load_seconds": round(time.monotonic() - began, 3),
            "workers": args.workers,
        }
        print(json.dumps(ready), flush=True)
    await stop.wait()
    if syncing is not None:
        syncing.cancel()
        drained = resolver.stats.drain()
        if sync_with is not None:
            _fresh, failed = await loop.run_in_executor(None, _sync_once, drained, sync_with)
            if failed is not None:
                kept = _spool(drained, sync_with.parent)
                print(
                    f"waypost shield: database unavailable at stop ({failed}); "
                    f"counts kept in {kept.name} for the next start",
                    file=sys.stderr,
                )
    listeners.close()
    resolver.upstream.close()


def cmd_serve(args: argparse.Namespace) -> int:
    from waypost.shield import server, snapshot

    if args.dot and not (args.tls_cert and args.tls_key):
        print("waypost shield serve: --dot needs --tls-cert and --tls-key", file=sys.stderr)
        return 2
    if not args.dns and not args.doh and not args.dot:
        args.dns = [("127.0.0.1", 53)]
    sync_with: Path | None = None
    if args.standalone:
        args.identities = server.Identities()
    else:
        try:
            args.identities, sync_with = _installed_identities()
        except snapshot.SnapshotError as exc:
            print(f"waypost shield serve: no database and no snapshot: {exc}", file=sys.stderr)
            return 2
        # the lists the worker downloads and compiles (WAYPOST_SHIELD_LISTS), when there are
        args.blocklist.append(("adult", str(sync_with.parent / "lists.bin")))
    _use_uvloop()
    workers = max(1, args.workers)
    if workers > 1 and any(port == 0 for _host, port in [*args.dns, *args.doh, *args.dot]):
        print("waypost shield serve: several workers need fixed ports", file=sys.stderr)
        return 2
    children = []
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:  # a worker: same ports (SO_REUSEPORT), no announcement
            asyncio.run(_serve(args, reuse_port=True, announce=False, sync_with=sync_with))
            os._exit(0)
        children.append(pid)
    try:
        asyncio.run(_serve(args, reuse_port=workers > 1, announce=True, sync_with=sync_with))
    except (OSError, ValueError, ssl.SSLError) as exc:
        print(f"waypost shield serve: {exc}", file=sys.stderr)
        return 2
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    shield = sub.add_parser("shield", help="the Shield DNS filter: serve, compile blocklists")
    commands = shield.add_subparsers(dest="shield_command", required=True)

    serve = commands.add_parser(
        "serve",
        help="run the resolver",
        description="Run Shield: plain DNS over UDP and TCP, and DNS-over-HTTPS.",
    )
    serve.add_argument(
        "--standalone",
        action="store_true",
        help="run without the database: no devices, the policy comes from these flags "
        "(without it: the devices and their policies come from the web app's database, "
        "or from the last snapshot of it when the database is down)",
    )
    serve.add_argument(
        "--dns",
        type=_address,
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="plain DNS on UDP and TCP (repeatable; port 0: any free port; "
        "default 127.0.0.1:53 when neither --dns nor --doh is given)",
    )
    serve.add_argument(
        "--doh",
        type=_address,
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="DNS-over-HTTPS (HTTP/1.1, for a TLS proxy in front) at /dns-query (repeatable)",
    )
    serve.add_argument(
        "--dot",
        type=_address,
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="DNS-over-TLS (RFC 7858; usually port 853), with --tls-cert and --tls-key "
        "(repeatable)",
    )
    serve.add_argument("--tls-cert", metavar="FILE", help="certificate chain (PEM) for --dot")
    serve.add_argument("--tls-key", metavar="FILE", help="its private key (PEM)")
    serve.add_argument(
        "--upstream",
        action="append",
        metavar="SERVER",
        help=f"upstream resolver: udp://h:p, tcp://h:p, tls://h:p#name (DNS-over-TLS), "
        f"https://h:p/path#name (DNS-over-HTTPS) or h[:p] "
        f"(repeatable; tried in order; default {DEFAULT_UPSTREAM})",
    )
    serve.add_argument(
        "--upstream-ca",
        metavar="FILE",
        help="trust this certificate authority (PEM) for tls:// and https:// upstreams, "
        "instead of the system's",
    )
    serve.add_argument(
        "--blocklist",
        type=_source,
        action="append",
        default=[],
        metavar="[CATEGORY=]FILE",
        help="a blocklist, compiled or in any supported text format (repeatable; category "
        "default adult)",
    )
    serve.add_argument(
        "--categories",
        type=_categories,
        default=frozenset(lists.CATEGORIES),
        metavar="LIST",
        help="the categories blocked, comma-separated (default: all)",
    )
    serve.add_argument(
        "--block-mode",
        choices=["nxdomain", "null"],
        default="nxdomain",
        help="answer blocked names NXDOMAIN, or 0.0.0.0 and :: (default nxdomain)",
    )
    serve.add_argument(
        "--safesearch",
        choices=[level.value for level in rules.SafeSearch],
        default="strict",
        help="SafeSearch for Google, Bing, DuckDuckGo and YouTube (default strict; YouTube "
        "also moderate)",
    )
    serve.add_argument(
        "--rate-limit",
        type=int,
        default=500,
        metavar="N",
        help="UDP queries a second per source address before dropping (0: no limit; default 500)",
    )
    serve.add_argument(
        "--timeout",
        type=float,
        default=2.0,
        metavar="SECONDS",
        help="give up on the upstreams and answer SERVFAIL after this long (default 2)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes sharing the ports (SO_REUSEPORT; default 1)",
    )
    serve.set_defaults(func=cmd_serve)

    compile_ = commands.add_parser(
        "compile",
        help="compile blocklists into one file",
        description="Merge and normalise blocklists into Shield's compact file; prints a JSON "
        "report with the junk lines found.",
    )
    compile_.add_argument("--out", required=True, help="the compiled file to write")
    compile_.add_argument(
        "sources", type=_source, nargs="+", metavar="CATEGORY=FILE", help="the lists to merge"
    )
    compile_.set_defaults(func=cmd_compile)

    commands.add_parser(
        "refresh",
        help="download the lists in WAYPOST_SHIELD_LISTS and compile them",
        description="Download each CATEGORY=URL of WAYPOST_SHIELD_LISTS (keeping last time's "
        "copy when a download fails) and compile them into $WAYPOST_DATA_DIR/shield/lists.bin, "
        "which a running Shield picks up within a minute. The worker does this on a schedule.",
    ).set_defaults(func=cmd_refresh)
