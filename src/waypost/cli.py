"""The ``waypost`` command: demo, serve, worker, migrate and Django's own commands.

waypost demo [--host H] [--port P] [--data-dir D] [--no-serve] [--reset]
waypost serve          # production: configured only by environment variables
waypost worker         # the background task consumer
waypost migrate        # apply database migrations and create the cache table
waypost manage ARGS    # any Django management command
waypost shield serve|compile …   # the Shield DNS filter (see waypost.shield.commands)
waypost meetings import|soon …   # peer meeting feeds (see waypost.connect.meetings.commands)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from waypost import conf


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)


def _serve(host: str, port: int, threads: int) -> None:
    from waitress import serve

    from waypost.wsgi import application

    # Forwarded headers reach waypost.proxy, which believes them only from a trusted
    # proxy and removes them otherwise (waitress alone trusts one address or all).
    serve(
        application,
        host=host,
        port=port,
        threads=threads,
        ident="Waypost",
        clear_untrusted_proxy_headers=False,
    )


def _start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "waypost.cli", "worker"], env=os.environ.copy())


def cmd_demo(args: argparse.Namespace) -> int:
    if args.data_dir:
        os.environ["WAYPOST_DATA_DIR"] = str(Path(args.data_dir).resolve())
    directory = conf.data_dir()
    if args.reset and not os.environ.get("DATABASE_URL") and directory.exists():
        for name in os.listdir(directory):
            if name.endswith((".sqlite3", ".sqlite3-wal", ".sqlite3-shm")) or name in (
                "media",
                "mail",
            ):
                path = directory / name
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    created = conf.ensure_data_dir(directory)
    hosts = {"127.0.0.1", "localhost", "[::1]", args.host}
    # The demo's own Shield, on high ports of this machine (docs/shield.md, "The demo").
    os.environ.setdefault("WAYPOST_SHIELD_HOST", "localhost")
    os.environ.setdefault("WAYPOST_SHIELD_DNS_ADDRESSES", "127.0.0.1")
    os.environ.setdefault("WAYPOST_ALLOWED_HOSTS", ",".join(sorted(hosts)))
    os.environ.setdefault("WAYPOST_SITE_URL", f"http://{_display_host(args.host)}:{args.port}")
    conf.setup_django()
    _migrate()
    from waypost import demo

    if args.reset and os.environ.get("DATABASE_URL"):
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
    loaded = demo.load_demo()
    for made in created:
        print(f"created {made}")
    print(
        "demo clinic loaded"
        if loaded
        else "demo clinic already present (use --reset to start over)"
    )
    print(f"data directory: {directory}")
    print("demo logins (password: waypost-demo):")
    for email, role in demo.DEMO_LOGINS:
        print(f"  {email:32} {role}")
    if args.no_serve:
        return 0
    url = f"http://{_display_host(args.host)}:{args.port}/"
    print(f"Waypost is running at {url}  (Ctrl+C to stop)", flush=True)
    worker = _start_worker()
    shield = None if args.no_shield else _start_demo_shield(directory, args)
    # `kill` and service managers send SIGTERM: stop as on Ctrl+C, worker included
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _serve(args.host, args.port, threads=8)
    except KeyboardInterrupt:
        pass
    finally:
        for child in (worker, shield):
            if child is None:
                continue
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


def _start_demo_shield(directory: Path, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """The demo's Shield: its devices from the demo database, a made-up blocklist."""
    from waypost.shield import demo_lists

    compiled, _report = demo_lists.write(directory / "shield")
    print(
        f"Shield (the DNS filter) answers plain DNS on 127.0.0.1:{args.shield_dns} and "
        f"DNS-over-HTTP on 127.0.0.1:{args.shield_doh}/dns-query/<token>; "
        f"try: dig @127.0.0.1 -p {args.shield_dns} www.blocked-demo-7.example",
        flush=True,
    )
    return subprocess.Popen(  # noqa: S603 — our own command
        [
            sys.executable,
            "-m",
            "waypost.cli",
            "shield",
            "serve",
            "--dns",
            f"127.0.0.1:{args.shield_dns}",
            "--doh",
            f"127.0.0.1:{args.shield_doh}",
            "--blocklist",
            str(compiled),
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
    )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "") else host  # noqa: S104


def production_problems() -> list[str]:
    """Why the configured settings are unsafe to serve real people, if they are."""
    from django.conf import settings

    problems = []
    if settings.SECRET_KEY_IS_EPHEMERAL:
        problems.append("no secret key: set WAYPOST_SECRET_KEY (or WAYPOST_SECRET_KEY_FILE)")
    elif weak_secret_key(settings.SECRET_KEY):
        problems.append(
            "the secret key is too weak: use at least 50 random characters, e.g. "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if settings.ENCRYPTION_KEYS_ARE_EPHEMERAL:
        problems.append(
            "no encryption keys: set WAYPOST_ENCRYPTION_KEYS (or WAYPOST_ENCRYPTION_KEYS_FILE)"
        )
    if settings.DEBUG:
        problems.append("WAYPOST_DEBUG is on; it must be off in production")
    if not settings.ALLOWED_HOSTS:
        problems.append("no allowed hosts: set WAYPOST_ALLOWED_HOSTS")
    elif any(host.strip() in ("*", ".") for host in settings.ALLOWED_HOSTS):
        problems.append(
            "WAYPOST_ALLOWED_HOSTS must name this site's host names, not '*' "
            "(any Host header would be believed, in links sent by e-mail too)"
        )
    plain_http = conf.env_bool("WAYPOST_PLAIN_HTTP", False)
    if not settings.SESSION_COOKIE_SECURE:
        if not plain_http:
            problems.append(
                "secure cookies are off: serve over HTTPS and set WAYPOST_SECURE_COOKIES=true "
                "(to try Waypost over plain HTTP on this machine only, set WAYPOST_PLAIN_HTTP=true)"
            )
        elif not _is_loopback(os.environ.get("WAYPOST_HOST", "127.0.0.1")):
            problems.append(
                "WAYPOST_PLAIN_HTTP is for this machine only: WAYPOST_HOST must be a loopback "
                "address (127.0.0.1 or ::1)"
            )
    if settings.SECURE_SSL_REDIRECT and not settings.TRUSTED_PROXIES:
        problems.append(
            "WAYPOST_SSL_REDIRECT needs WAYPOST_BEHIND_PROXY=true (or WAYPOST_TRUSTED_PROXIES): "
            "waypost serve speaks plain HTTP, so without a trusted proxy saying the request "
            "came over HTTPS every request would be redirected forever"
        )
    return problems


# Secret keys copied from examples and tutorials: known to anyone, so no secret at all.
KNOWN_SECRET_KEYS = {"...", "changeme", "change-me", "secret", "waypost", "your-secret-key"}


def weak_secret_key(key: str) -> bool:
    """Too short, too repetitive, or a value from an example (Django's own rule, and ours)."""
    return (
        len(key) < 50
        or len(set(key)) < 5
        or key.startswith("django-insecure")
        or key.strip().lower() in KNOWN_SECRET_KEYS
    )


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        conf.setup_django()
    except conf.ConfigError as exc:
        print(f"waypost serve: {exc}", file=sys.stderr)
        return 2
    problems = production_problems()
    if problems:
        for problem in problems:
            print(f"waypost serve: refusing to start: {problem}", file=sys.stderr)
        return 2
    host = os.environ.get("WAYPOST_HOST", "127.0.0.1")
    port = conf.env_int("WAYPOST_PORT", 8000)
    print(f"Waypost is serving on http://{host}:{port}/", flush=True)
    _serve(host, port, threads=conf.env_int("WAYPOST_THREADS", 8))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    conf.setup_django()
    from django.core.management import call_command

    call_command("run_huey")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    conf.setup_django()
    _migrate(verbosity=1)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    conf.setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["waypost", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="waypost", description="Waypost recovery platform")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="prepare the embedded demo clinic and serve it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data-dir", help="default: $WAYPOST_DATA_DIR or ./var")
    demo.add_argument("--no-serve", action="store_true", help="prepare only, then exit")
    demo.add_argument("--reset", action="store_true", help="delete the demo data and start over")
    demo.add_argument("--shield-dns", type=int, default=5353, help="the demo Shield's DNS port")
    demo.add_argument("--shield-doh", type=int, default=8053, help="the demo Shield's DoH port")
    demo.add_argument("--no-shield", action="store_true", help="do not start the demo Shield")
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("serve", help="serve for a real deployment (env-configured)").set_defaults(
        func=cmd_serve
    )
    sub.add_parser("worker", help="run the background task consumer").set_defaults(func=cmd_worker)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    from waypost.assessments import commands as instrument_commands

    instrument_commands.add_parser(sub)
    from waypost.shield import commands as shield_commands

    shield_commands.add_parser(sub)
    from waypost.connect.meetings import commands as meeting_commands

    meeting_commands.add_parser(sub)
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["shield"]:
        # Shield runs as its own process: only its command line, none of the web app's
        # imports (half its memory and most of its start-up time otherwise).
        from waypost.shield import commands as shield_commands

        parser = argparse.ArgumentParser(prog="waypost")
        shield_commands.add_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
    else:
        args = build_parser().parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except conf.ConfigError as exc:
        print(f"waypost: configuration error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from django.core.exceptions import ImproperlyConfigured

        if not isinstance(exc, ImproperlyConfigured):
            raise
        print(f"waypost: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
