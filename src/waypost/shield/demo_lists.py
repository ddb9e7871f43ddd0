"""The demo's blocklist: fictional names under ``.example``, made and compiled at start.

No third-party list ships with Waypost (docs/shield.md), so the demo makes its own: a
few hundred made-up names in each category, enough to try Shield with ``dig``::

    dig @127.0.0.1 -p 5353 www.blocked-demo-7.example    # NXDOMAIN
"""

from __future__ import annotations

from pathlib import Path

from waypost.shield.blocklist import CompileReport, compile_lists

PER_CATEGORY = {"adult": 300, "dating": 50, "gambling": 50, "bypass": 20}
PREFIX = {
    "adult": "blocked-demo",
    "dating": "dating-demo",
    "gambling": "betting-demo",
    "bypass": "private-dns-demo",
}


def write(folder: Path) -> tuple[Path, CompileReport]:
    """Write the demo's lists into ``folder`` and compile them; returns the compiled file."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for category, count in PER_CATEGORY.items():
        text = folder / f"demo-{category}.txt"
        lines = [f"# Waypost demo list ({category}): fictional names, for trying Shield out"]
        lines += [f"{PREFIX[category]}-{n}.example" for n in range(1, count + 1)]
        text.write_text("\n".join(lines) + "\n", encoding="utf-8")
        sources.append((category, text))
    compiled = folder / "demo-lists.bin"
    return compiled, compile_lists(sources, compiled)
