"""Helpers for the safety tests."""

from __future__ import annotations

import pytest
from django.db import connection

from waypost.safety.plan_content import Contact


@pytest.fixture
def as_user(client):
    """Sign the test browser in as ``user`` and return it."""

    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def plan_content():
    """A small plan, as the service takes it."""
    return {
        "reasons": ["Walking my niece to school"],
        "warning_signs": ["Staying up past two"],
        "coping": ["Cold shower"],
        "helpers": [Contact("Aunt Lina", "9123 4567"), Contact("Jun")],
        "environment": ["Phone charges in the kitchen"],
    }


def raw_column(table: str, column: str, pk: int) -> str:
    """The value as the database stores it, bypassing the model's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]
