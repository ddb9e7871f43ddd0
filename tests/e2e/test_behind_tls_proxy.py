"""Story: a clinic runs Waypost exactly as docs/deployment.md says, behind nginx with TLS.

Real parts only: ``waypost serve`` in its own process with the environment lines the guide
gives, Debian's nginx terminating TLS on loopback with the guide's server blocks and a
certificate made here, and Chromium signing in through it. The guide's blocks are read from
the guide itself, so the guide and this test cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS

# Each run starts its own data folder and SQLite database; DATABASE_URL is cleared.
pytestmark = pytest.mark.own_processes

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HOST = "127.0.0.1"  # the guide's care.example.org, here on loopback
PASSWORD = "waypost-demo"


def _block(name: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(
        rf"<!-- {name}: start -->\n```\w+\n(.*?)```\n<!-- {name}: end -->", text, re.S
    )
    assert found, f"docs/deployment.md has no {name} block"
    return found.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "care.example.org")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _environment(tmp: Path, https_port: int, app_port: int) -> dict[str, str]:
    """The guide's lines, with this machine's folders, fresh keys and the loopback host."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WAYPOST_", "DATABASE_URL", "DJANGO_", "REDIS_URL"))
    }
    fresh = {
        "WAYPOST_SECRET_KEY": Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "WAYPOST_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    for line in _block("environment").splitlines():
        if not line.startswith("export "):
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = fresh.get(name, value)
        value = value.replace("/srv/waypost", str(tmp))
        value = value.replace("care.example.org", f"{HOST}:{https_port}")
        env[name] = shlex.split(value)[0]
    env["WAYPOST_ALLOWED_HOSTS"] = HOST  # a host name, without the port
    env["WAYPOST_PORT"] = str(app_port)
    return env


def _nginx_conf(tmp: Path, https_port: int, http_port: int, app_port: int) -> Path:
    cert, key = _certificate(tmp)
    servers = (
        _block("nginx")
        .replace("listen 443 ssl", f"listen {HOST}:{https_port} ssl")
        .replace("listen 80", f"listen {HOST}:{http_port}")
        .replace("/etc/ssl/care.example.org/fullchain.pem", str(cert))
        .replace("/etc/ssl/care.example.org/privkey.pem", str(key))
        .replace("http://127.0.0.1:8000", f"http://127.0.0.1:{app_port}")
    )
    temp = tmp / "nginx-temp"
    temp.mkdir()
    conf = tmp / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/nginx-error.log;\n"
        + "events { worker_connections 64; }\n"
        + "http {\n  access_log off;\n"
        + "".join(
            f"  {kind}_temp_path {temp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + servers
        + "}\n"
    )
    return conf


def _wait_for(url: str, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in time")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _direct(url: str) -> tuple[int, str]:
    """A plain-HTTP request straight to the app, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.headers.get("Location", "")


@pytest.fixture(scope="module")
def clinic_behind_nginx(tmp_path_factory):
    """The demo clinic served by ``waypost serve`` behind nginx, configured as documented.

    One for this module's tests: each uses demo accounts the other leaves alone.
    """
    tmp_path = tmp_path_factory.mktemp("behind-nginx")
    if not Path(NGINX).exists():
        message = f"This test needs Debian's nginx at {NGINX} (apt-get install nginx-light)."
        if os.environ.get("CI"):
            pytest.fail(message + " CI is set, so this is a failure, not a skip.")
        pytest.skip(message)
    https_port, http_port, app_port = _free_port(), _free_port(), _free_port()
    env = _environment(tmp_path, https_port, app_port)
    run = [sys.executable, "-m", "waypost.cli"]
    prepared = subprocess.run(  # noqa: S603
        [*run, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300
    )
    assert prepared.returncode == 0, prepared.stderr
    server = subprocess.Popen(  # noqa: S603
        [*run, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    conf = _nginx_conf(tmp_path, https_port, http_port, app_port)
    proxy = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        assert _wait_for(f"http://{HOST}:{app_port}/healthz", deadline) == 200
        yield {
            "url": f"https://{HOST}:{https_port}",
            "app": f"http://{HOST}:{app_port}",
            "mail": Path(env["WAYPOST_DATA_DIR"]) / "mail",
        }
    finally:
        for process in (proxy, server):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _context(browser):
    context = browser.new_context(
        viewport=VIEWPORTS[390], locale="en-GB", ignore_https_errors=True, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _sign_in(page, url: str, email: str, password: str):
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_client_signs_in_through_the_tls_proxy_with_hsts_secure_cookies_and_https_links(
    browser, clinic_behind_nginx
):
    from playwright.sync_api import expect

    url = clinic_behind_nginx["url"]
    context = _context(browser)
    page = context.new_page()
    try:
        # Given the sign-in page, over HTTPS through nginx: HSTS is on the response
        first = page.goto(f"{url}/login/")
        assert first is not None and first.status == 200
        hsts = first.headers.get("strict-transport-security", "")
        assert "max-age=31536000" in hsts
        assert "includeSubDomains" in hsts

        # When the client signs in, Django's CSRF check accepts the HTTPS origin
        _sign_in(page, url, "client1@demo.waypost.test", PASSWORD)
        expect(page).to_have_url(f"{url}/today/")
        expect(
            page.get_by_role("button", name="Sign out", include_hidden=True).first
        ).to_be_attached()

        # Then every cookie is Secure and the session cookie HttpOnly
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
        assert cookies["csrftoken"]["secure"]
    finally:
        context.close()

    # A password reset asked for through the proxy sends an https:// link
    context = _context(browser)
    page = context.new_page()
    try:
        page.goto(f"{url}/password/reset/")
        page.get_by_label("Your e-mail address").fill("client3@demo.waypost.test")
        with page.expect_navigation():
            page.get_by_role("button", name="Send me a link").click()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(clinic_behind_nginx["mail"].iterdir()):
            time.sleep(0.2)
        mails = [p.read_text(errors="replace") for p in clinic_behind_nginx["mail"].iterdir()]
        links = re.findall(r"(\S+/password/reset/key/\S+)", "\n".join(mails))
        assert links, mails
        assert all(link.startswith(f"{url}/") for link in links), links
        # and the link opens the page to choose a new password
        opened = page.goto(links[0])
        assert opened is not None and opened.status == 200
        expect(page.get_by_label("New password", exact=False).first).to_be_visible()
    finally:
        context.close()

    # Straight to the app over plain HTTP: one redirect to HTTPS, no loop; health stays plain
    status, location = _direct(f"{clinic_behind_nginx['app']}/login/")
    assert status == 301 and location.startswith("https://")
    assert _direct(f"{clinic_behind_nginx['app']}/healthz")[0] == 200


def test_five_wrong_passwords_through_the_proxy_do_not_stop_anyone_else(
    browser, clinic_behind_nginx
):
    from playwright.sync_api import expect

    url = clinic_behind_nginx["url"]
    guesser = _context(browser)
    page = guesser.new_page()
    try:
        for _ in range(5):
            _sign_in(page, url, "client4@demo.waypost.test", "not-the-password")
            expect(page).to_have_url(f"{url}/login/")
        _sign_in(page, url, "client4@demo.waypost.test", PASSWORD)
        expect(page.get_by_text("Too many")).to_be_visible()
    finally:
        guesser.close()

    # Another client behind the same proxy (the same address, as the app sees it) signs in
    other = _context(browser)
    page = other.new_page()
    try:
        _sign_in(page, url, "client2@demo.waypost.test", PASSWORD)
        expect(page).to_have_url(f"{url}/today/")
    finally:
        other.close()
