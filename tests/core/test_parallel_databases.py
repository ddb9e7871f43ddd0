"""Parallel test runs (pytest-xdist) never share a database between workers."""

from __future__ import annotations

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_each_worker_tests_against_its_own_database():
    name = connection.settings_dict["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return  # an in-memory database lives inside its worker's process
    if worker:
        # pytest-django names each worker's database after it: test_test_gw0, test_test_gw1 …
        assert name.endswith(f"_{worker}")
    else:
        assert "_gw" not in name
