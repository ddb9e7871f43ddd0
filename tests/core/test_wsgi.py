"""The WSGI application freezes what lives as long as the process, views included."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from tests.core.test_cli import STRONG_KEY, _env

pytestmark = pytest.mark.own_processes

PROBE = """
import gc, json, sys
import waypost.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views": "waypost.caseload.views" in sys.modules,
    "tracked": len(gc.get_objects()),
}))
"""


def test_the_urlconf_and_its_views_are_loaded_before_the_freeze(tmp_path):
    # given the production application, imported as a server imports it
    env = _env(
        WAYPOST_DATA_DIR=str(tmp_path),
        WAYPOST_SECRET_KEY=STRONG_KEY,
        WAYPOST_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    # then every view module is loaded (the first request would have loaded them after
    # the freeze), and full collections are left with what requests make, not the code
    assert seen["views"]
    assert seen["frozen"] > 50_000
