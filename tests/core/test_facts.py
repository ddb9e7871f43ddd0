"""Facts: every app's question about one client answered in a single query, as the ORM would."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext

from waypost.core import facts
from waypost.learn.models import ModuleProgress
from waypost.recovery.models import Lapse
from waypost.safety.models import SafetyPlan

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 9, 21, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def only_these():
    """The registry holds only what a test registers, and gets the apps' facts back after."""
    saved = dict(facts._facts)
    facts._facts.clear()
    yield
    facts._facts.clear()
    facts._facts.update(saved)


def _register_three():
    facts.register(
        "t.has_safety_plan",
        lambda enrollment, now: Exists(SafetyPlan.objects.filter(enrollment=OuterRef("pk"))),
    )
    facts.register(
        "t.progress",
        lambda enrollment, now: facts.Rows(
            ModuleProgress.objects.filter(client=OuterRef("client_id")),
            ["module_slug", "started_at", "read_at", "note"],
            extra={"client_name": F("client__name")},
        ),
    )
    facts.register(
        "t.lapses",
        lambda enrollment, now: facts.Rows(
            Lapse.objects.filter(enrollment=OuterRef("pk"), local_date__lte=now.date()),
            ["id", "local_date", "chain", "learning_version", "created_at"],
        ),
    )


def test_every_fact_is_read_in_one_query_with_python_values(cast, only_these):
    _register_three()
    ModuleProgress.objects.create(
        client=cast.client, module_slug="what-is-it", started_at=AT, read_at=AT, note="Mine"
    )
    ModuleProgress.objects.create(client=cast.client, module_slug="the-cycle", started_at=AT)
    lapse = Lapse.objects.create(
        enrollment=cast.enrollment,
        client_uuid=uuid.uuid4(),
        local_date=date(2026, 3, 8),
        chain='{"trigger": "Late, alone"}',
        created_at=AT,
        updated_at=AT,
    )
    Lapse.objects.create(  # after "now": the fact's own filter leaves it out
        enrollment=cast.enrollment,
        client_uuid=uuid.uuid4(),
        local_date=date(2026, 3, 20),
        created_at=AT,
        updated_at=AT,
    )
    with CaptureQueriesContext(connection) as captured:
        read = facts.read(cast.enrollment, AT)
    assert len(captured.captured_queries) == 1
    assert read["t.has_safety_plan"] is False
    progress = sorted(read["t.progress"], key=lambda p: p.module_slug)
    assert [(p.module_slug, p.started_at, p.read_at) for p in progress] == [
        ("the-cycle", AT, None),
        ("what-is-it", AT, AT),
    ]
    assert progress[1].note == "Mine"  # encrypted at rest, decrypted as the ORM does
    assert progress[1].client_name == cast.client.name
    (only,) = read["t.lapses"]
    assert isinstance(only, Lapse)
    assert (only.pk, only.local_date, only.chain, only.learning_version, only.created_at) == (
        lapse.pk,
        date(2026, 3, 8),
        '{"trigger": "Late, alone"}',
        None,
        AT,
    )


def test_a_field_not_asked_for_is_deferred_not_wrong(cast, only_these):
    _register_three()
    ModuleProgress.objects.create(client=cast.client, module_slug="what-is-it", started_at=AT)
    (progress,) = facts.read(cast.enrollment, AT)["t.progress"]
    assert "note_updated_at" in progress.get_deferred_fields()


def test_no_rows_is_an_empty_list_and_true_is_true(cast, only_these):
    _register_three()
    SafetyPlan.objects.create(
        enrollment=cast.enrollment, version=1, content="{}", created_at=AT, saved_by=cast.client
    )
    read = facts.read(cast.enrollment, AT)
    assert read["t.has_safety_plan"] is True
    assert read["t.progress"] == []
    assert read["t.lapses"] == []


def test_a_limit_keeps_the_first_rows_in_the_querysets_order(cast, only_these):
    for n in range(5):
        ModuleProgress.objects.create(
            client=cast.client, module_slug=f"m-{n}", started_at=AT + timedelta(days=n)
        )
    facts.register(
        "t.newest_two",
        lambda enrollment, now: facts.Rows(
            ModuleProgress.objects.filter(client=OuterRef("client_id")).order_by("-started_at"),
            ["module_slug"],
            limit=2,
        ),
    )
    newest = facts.read(cast.enrollment, AT)["t.newest_two"]
    assert sorted(p.module_slug for p in newest) == ["m-3", "m-4"]


def test_facts_are_read_once_per_request(cast, only_these):
    _register_three()
    request = RequestFactory().get("/today/")
    with CaptureQueriesContext(connection) as captured:
        first = facts.facts_for(request, cast.enrollment)
        again = facts.facts_for(request, cast.enrollment)
    assert again is first
    assert len(captured.captured_queries) == 1
    assert facts.facts_for(RequestFactory().get("/today/"), cast.enrollment) is not first


def test_with_no_facts_registered_nothing_is_read(cast, only_these):
    with CaptureQueriesContext(connection) as captured:
        assert facts.read(cast.enrollment, AT).values == {}
    assert captured.captured_queries == []
