"""Every response carries the security headers; the CSP names no other host."""

from __future__ import annotations

import re

from django.urls import reverse


def test_pages_send_a_strict_content_security_policy(client, db):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    # no host names, no wildcards, no unsafe-inline anywhere
    assert not re.search(r"https?://|\*|unsafe-inline|unsafe-eval", csp)


def test_pages_forbid_framing_and_sniffing(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_private_pages_are_not_cached(client, cast):
    client.force_login(cast.client)
    response = client.get(reverse("program:today"))
    assert "no-store" in response["Cache-Control"]


def test_forms_require_csrf(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.clinician)
    response = strict.post(
        reverse("caseload:change_stage", args=[cast.enrollment.pk]),
        {"to_stage": 3, "reason": "x"},
    )
    assert response.status_code == 403
    cast.enrollment.refresh_from_db()
    assert cast.enrollment.stage == 2


def test_templates_load_nothing_from_another_host():
    from pathlib import Path

    import waypost

    root = Path(waypost.__file__).parent
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']https?://""", text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders, offenders


def test_templates_have_no_inline_styles_or_scripts():
    """The CSP allows only files from our own host: inline code would be blocked."""
    from pathlib import Path

    import waypost

    root = Path(waypost.__file__).parent
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        inline = r"\sstyle=|<style|<script(?![^>]*\s(src=|type=.application/json.))|\son[a-z]+="
        if re.search(inline, text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders, offenders
