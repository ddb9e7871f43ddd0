"""How a device is pointed at Shield: its addresses, the Apple profile, the QR code.

A device's identity is its token (``ShieldDevice.token``): the DNS-over-HTTPS URL
``https://<SHIELD_HOST>/dns-query/<token>`` and the DNS-over-TLS name
``<token>.<SHIELD_HOST>`` (Android's "Private DNS" takes only a host name). A home router
is known by its address instead, and points at ``SHIELD_DNS_ADDRESSES``.

When ``settings.SHIELD_HOST`` is empty the clinic has not set Shield up: ``configured()``
is False and the pages show no addresses at all (never a broken one).

``profile`` writes the configuration profile for iPhone, iPad and Mac: one payload of type
``com.apple.dnsSettings.managed`` with ``DNSSettings = {DNSProtocol: "HTTPS", ServerURL}``
(Apple's "DNS Settings" payload; installed by hand it applies on Wi-Fi and cellular).
"""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from waypost.shield.models import ShieldDevice

PROFILE_CONTENT_TYPE = "application/x-apple-aspen-config"
PROFILE_FILE_NAME = "waypost-shield.mobileconfig"
PROFILE_DISPLAY_NAME = "Waypost Shield"
# Every profile's identifiers start here; the device's own part follows (stable for the
# device, so a profile downloaded again, or after a new address, replaces the old one).
PROFILE_IDENTIFIER = "app.waypost.shield"


def host() -> str:
    """The public Shield host name, or "" when the clinic has not set Shield up."""
    return str(getattr(settings, "SHIELD_HOST", "") or "").strip().lower().rstrip(".")


def configured() -> bool:
    return bool(host())


def dns_addresses() -> list[str]:
    """The addresses a home router is pointed at (plain DNS); may be empty."""
    return [str(a) for a in getattr(settings, "SHIELD_DNS_ADDRESSES", []) or [] if str(a)]


def doh_url(token: str) -> str:
    """The device's DNS-over-HTTPS URL ("" when Shield is not set up)."""
    return f"https://{host()}/dns-query/{token}" if configured() else ""


def dot_name(token: str) -> str:
    """The device's DNS-over-TLS host name, for Android's Private DNS ("" when not set up)."""
    return f"{token}.{host()}" if configured() else ""


# --- the platforms a setup page offers --------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    key: str
    label: StrOrPromise


APPLE = Platform("apple", _("iPhone, iPad or Mac"))
ANDROID = Platform("android", _("Android"))
WINDOWS = Platform("windows", _("Windows 11"))
BROWSER = Platform("browser", _("Chrome or Firefox"))
ROUTER = Platform("router", _("Home router"))
PLATFORMS: tuple[Platform, ...] = (APPLE, ANDROID, WINDOWS, BROWSER, ROUTER)
BY_KEY = {p.key: p for p in PLATFORMS}

# What each kind of device (recovery.Device.Kind) most likely runs, most likely first.
# Consoles and TVs cannot be given a DNS-over-HTTPS address: the home router covers them.
_BY_KIND: dict[str, tuple[str, ...]] = {
    "phone": ("apple", "android"),
    "tablet": ("apple", "android"),
    "computer": ("windows", "apple", "browser"),
    "console": ("router",),
    "tv": ("router", "android"),
    "other": ("router", "browser"),
}


def _from_user_agent(user_agent: str) -> str | None:
    """The platform the browser asking seems to run on (a hint only, never trusted)."""
    agent = user_agent.lower()
    if "android" in agent:
        return "android"
    if any(word in agent for word in ("iphone", "ipad", "macintosh", "mac os x")):
        return "apple"
    if "windows" in agent:
        return "windows"
    return None


def platforms_for(kind: str, user_agent: str = "") -> list[Platform]:
    """Every platform, the one this device most likely runs first.

    The device's kind says which platforms are likely; when the page is opened on the
    device itself, its browser says which of those it is (a phone is an iPhone or an
    Android phone: only the browser can tell).
    """
    likely = list(_BY_KIND.get(kind, ("router", "browser")))
    seen = _from_user_agent(user_agent)
    if seen in likely:
        likely.remove(seen)
        likely.insert(0, seen)
    order = likely + [p.key for p in PLATFORMS if p.key not in likely]
    return [BY_KEY[key] for key in order]


# --- the Apple configuration profile --------------------------------------------------------


def _device_uuid(shield_device: ShieldDevice) -> uuid.UUID:
    """Stable for the device: a new download (or a new address) replaces the installed one."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://{host()}/shield/device/{shield_device.pk}")


def profile(shield_device: ShieldDevice) -> bytes:
    """The ``.mobileconfig`` (an XML property list) that points the device at its DoH URL.

    Unsigned, so the device says "Not Verified" while installing it; the steps on the
    setup page say so. Raises ``ValueError`` when Shield is not set up.
    """
    if not configured():
        raise ValueError("Shield is not set up: settings.SHIELD_HOST is empty")
    outer = _device_uuid(shield_device)
    # The payload's own UUID changes with the token, so a new address is a new payload.
    inner = uuid.uuid5(outer, shield_device.token)
    dns_payload = {
        "PayloadType": "com.apple.dnsSettings.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{PROFILE_IDENTIFIER}.{outer}.dns",
        "PayloadUUID": str(inner).upper(),
        "PayloadDisplayName": PROFILE_DISPLAY_NAME,
        "PayloadDescription": "Encrypted DNS through Waypost Shield.",
        "DNSSettings": {
            "DNSProtocol": "HTTPS",
            "ServerURL": doh_url(shield_device.token),
        },
    }
    document = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{PROFILE_IDENTIFIER}.{outer}",
        "PayloadUUID": str(outer).upper(),
        "PayloadDisplayName": PROFILE_DISPLAY_NAME,
        "PayloadDescription": "Points this device's DNS at Waypost Shield.",
        "PayloadOrganization": "Waypost",
        # DNS settings apply to the whole device (on a Mac: for every user).
        "PayloadScope": "System",
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [dns_payload],
    }
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True)


# --- the QR code ------------------------------------------------------------------------------


def qr_svg(url: str, label: str) -> SafeString:
    """``url`` as a QR code: an inline SVG (no outside file, nothing for the CSP to block).

    Dark modules on a white square with the quiet zone, so phones read it in dark mode too.
    The SVG is made here from the URL's bits (no text of the URL is in it) and ``label``
    (its name for screen readers) is escaped, so it is safe to put in a page.
    """
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=4, dark="#000000", light="#ffffff", omitsize=True)
    # Named for assistive technology; sized by the stylesheet (.shield-qr svg).
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)  # noqa: S308 — segno's own markup, no user text in it
