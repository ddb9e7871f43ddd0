"""Shield for the clinician and allies: the record card, the names, decisions, the column.

The cast's client (Stage 2, in Singapore) has devices on Shield; time is frozen at noon
their time on 14 March 2030, so "the last 14 days" is 1 to 14 March, their days.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import sign_in
from tests.cast import make_user
from tests.shield.test_silence import on_shield
from waypost.core.models import AuditEvent, TimelineEvent
from waypost.recovery.models import Device
from waypost.shield import clinician_selectors, decisions, sync
from waypost.shield.models import BlockedLookup, ListEntry, ShieldDevice, WrongBlockRequest
from waypost.shield.views import clinician as views

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 3, 14, 4, 0, tzinfo=UTC)  # 12:00 in Singapore
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _record_url(cast) -> str:
    return reverse("caseload:record", args=[cast.enrollment.pk])


def _blocked(shield_device, at, name="site.example", category="adult", times=1) -> None:
    BlockedLookup.objects.bulk_create(
        BlockedLookup(shield_device=shield_device, at=at, name=name, category=category)
        for _ in range(times)
    )


def _asked(cast, name="recipes.example", note="") -> WrongBlockRequest:
    return WrongBlockRequest.objects.create(
        enrollment=cast.enrollment, name=name, note=note, created_at=timezone.now() - HOUR
    )


def _page(client, user, url) -> str:
    response = sign_in(client, user).get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the record card ------------------------------------------------------------------------


def test_the_card_shows_each_device_with_its_status(cast, frozen, client):
    on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - timedelta(minutes=3))
    on_shield(cast.enrollment, "Work laptop", last_seen_at=NOW - 3 * DAY)
    on_shield(cast.enrollment, "Tablet", created_at=NOW - HOUR)
    on_shield(cast.enrollment, "Old phone", revoked_at=NOW - DAY)
    on_shield(cast.enrollment, "TV", lockdown_until=NOW + 2 * HOUR, last_seen_at=NOW)
    page = _page(client, cast.clinician, _record_url(cast))
    card = page[page.index('id="shield"') :]
    assert "Sam&#x27;s phone" in card and "Last heard 3\xa0minutes ago." in card
    assert "Not heard from since 11 Mar" in card and "(3 days)" in card
    assert "it may have been switched off, removed or bypassed" in card
    assert "Not heard from yet: waiting to be set up." in card
    assert "Old phone" not in card  # its Shield identity was revoked
    assert "Lockdown until 14 Mar" in card and "End lockdown now" in card


def test_the_card_counts_blocked_attempts_per_day_and_category_for_fourteen_days(cast, frozen):
    phone = on_shield(cast.enrollment, "Phone", last_seen_at=NOW)
    laptop = on_shield(cast.enrollment, "Laptop", last_seen_at=NOW)
    _blocked(phone, NOW - 2 * HOUR, times=3)  # 14 March, 10:00 their time
    _blocked(laptop, NOW - 13 * HOUR, "dating.example", "dating")  # 13 March, 23:00
    _blocked(phone, datetime(2030, 2, 28, 16, 30, tzinfo=UTC))  # 1 March, 00:30: the first day
    _blocked(phone, datetime(2030, 2, 28, 15, 30, tzinfo=UTC))  # 28 February: too old
    _blocked(phone, NOW - HOUR, "use-application-dns.net", "canary")  # Firefox, not a person
    _blocked(phone, NOW - HOUR, "anything.example", "lockdown", times=40)  # background apps
    cast.enrollment.refresh_from_db()
    card = clinician_selectors.record_card(cast.enrollment, NOW)
    assert [c.label for c in card.categories] == ["Adult", "Dating"]
    assert [c.total for c in card.categories] == [4, 1] and card.total == 5
    assert len(card.days) == 14
    assert card.days[0].day.isoformat() == "2030-03-01" and card.days[0].counts == [1, 0]
    assert card.days[-2].counts == [0, 1] and card.days[-1].counts == [3, 0]
    assert sum(row.total for row in card.days) == 5
    assert card.blocked_by_device == {phone.pk: 4, laptop.pk: 1}
    # the busiest day's column is full height; the others in proportion
    assert sum(s.height for s in card.days[-1].segments) == clinician_selectors.CHART_HEIGHT


def test_the_numbers_are_in_a_table_and_the_names_only_behind_the_disclosure(cast, frozen, client):
    phone = on_shield(cast.enrollment, last_seen_at=NOW)
    _blocked(phone, NOW - HOUR, "tempting.example", times=2)
    page = _page(client, cast.clinician, _record_url(cast))
    assert "Blocked attempts, last 14 days" in page and "2 in all:" in page
    table = re.search(r"<table class=\"bars compact\">.*?</table>", page, re.S)
    assert table is not None and "Blocked attempts per day and category" in table.group(0)
    assert '<th scope="row" class="nowrap">Thu 14 Mar</th><td class="num">2</td>' in (
        table.group(0)
    )
    assert "tempting.example" not in page
    assert reverse("shield:client_names", args=[cast.enrollment.pk]) in page


def test_opening_the_record_audits_the_card_as_a_read(cast, frozen, client):
    on_shield(cast.enrollment, last_seen_at=NOW)
    _page(client, cast.clinician, _record_url(cast))
    assert AuditEvent.objects.filter(
        actor=cast.clinician, what=views.AUDIT_CARD, action=AuditEvent.Action.VIEW
    ).exists()
    assert not AuditEvent.objects.filter(what=views.AUDIT_NAMES).exists()


def test_the_names_page_lists_each_name_and_is_audited(cast, frozen, client):
    phone = on_shield(cast.enrollment, "Phone", last_seen_at=NOW)
    laptop = on_shield(cast.enrollment, "Laptop", last_seen_at=NOW)
    _blocked(phone, NOW - 2 * HOUR, "tempting.example", times=2)
    _blocked(laptop, NOW - HOUR, "tempting.example")
    _blocked(phone, NOW - 3 * HOUR, "bet.example", "gambling")
    _blocked(phone, NOW - 20 * DAY, "long-ago.example")
    _blocked(phone, NOW - HOUR, "background.example", "lockdown")
    page = _page(client, cast.clinician, reverse("shield:client_names", args=[cast.enrollment.pk]))
    assert "<title>Shield: blocked names · Waypost</title>" in page
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", page, re.S)
    assert [name for name, _ in rows] == ["tempting.example", "bet.example"]
    assert ">3</td>" in rows[0][1] and "Laptop, Phone" in rows[0][1]
    assert "Gambling" in rows[1][1]
    assert "long-ago.example" not in page and "background.example" not in page
    assert AuditEvent.objects.filter(actor=cast.clinician, what=views.AUDIT_NAMES).count() == 1


def test_a_client_before_stage_two_without_devices_has_no_card(cast, frozen, client):
    cast.enrollment.stage = 1
    cast.enrollment.save(update_fields=["stage"])
    page = _page(client, cast.clinician, _record_url(cast))
    assert 'id="shield"' not in page


def test_the_card_checks_access_itself(cast, frozen, rf):
    on_shield(cast.enrollment, last_seen_at=NOW)
    for user in (cast.other_clinician, cast.client, cast.ally_all, cast.admin):
        request = rf.get("/")
        request.user = user
        assert views.record_card(request, cast.enrollment) is None
    assert not AuditEvent.objects.filter(what=views.AUDIT_CARD).exists()


# --- deciding a "wrong block?" request ---------------------------------------------------------


def test_the_card_shows_a_waiting_request_with_allow_and_keep_blocked(cast, frozen, client):
    _asked(cast, "recipes.example", note="My cooking class uses it.")
    page = _page(client, cast.clinician, _record_url(cast))
    assert "recipes.example" in page and "“My cooking class uses it.”" in page
    assert 'name="decision" value="allow"' in page and 'name="decision" value="keep"' in page


def test_allowing_adds_the_name_to_the_client_s_allow_list_for_the_next_snapshot(
    cast, frozen, client
):
    on_shield(cast.enrollment, last_seen_at=NOW)
    asked = _asked(cast, "Recipes.Example")
    url = reverse("shield:client_decide", args=[cast.enrollment.pk, asked.pk])
    response = sign_in(client, cast.clinician).post(url, {"decision": "allow"}, follow=True)
    assert response.redirect_chain[0][0] == _record_url(cast) + "#shield"
    assert "“Recipes.Example” is allowed for Sam Client from now on" in response.content.decode()
    asked.refresh_from_db()
    assert asked.allowed is True and asked.decided_by == cast.clinician
    assert asked.decided_at == NOW
    (entry,) = ListEntry.objects.filter(enrollment=cast.enrollment)
    assert entry.name == "recipes.example" and entry.allow
    (device,) = sync.build_snapshot(NOW)["devices"].values()
    assert device["allow"] == ["recipes.example"]
    event = TimelineEvent.objects.get(kind=decisions.REQUEST_DECIDED)
    assert event.summary == (
        "Shield: “recipes.example” allowed by the clinician, as the client asked"
    )
    assert "name" not in event.data  # encrypted with the event's private data
    assert AuditEvent.objects.filter(
        actor=cast.clinician, what=decisions.AUDIT_SUBJECT, action=AuditEvent.Action.CHANGE
    ).exists()


def test_keeping_it_blocked_closes_the_request_and_allows_nothing(cast, frozen, client):
    on_shield(cast.enrollment, last_seen_at=NOW)
    asked = _asked(cast)
    url = reverse("shield:client_decide", args=[cast.enrollment.pk, asked.pk])
    sign_in(client, cast.clinician).post(url, {"decision": "keep"})
    asked.refresh_from_db()
    assert asked.allowed is False and asked.decided_at == NOW
    assert not ListEntry.objects.exists()
    (device,) = sync.build_snapshot(NOW)["devices"].values()
    assert device["allow"] == []
    page = _page(client, cast.clinician, _record_url(cast))
    assert "kept blocked" in page and 'value="keep"' not in page


def test_the_same_decision_twice_changes_nothing_and_the_other_one_is_refused(cast, frozen):
    asked = _asked(cast)
    decisions.decide_request(wrong_block=asked, by=cast.clinician, allow=True)
    decisions.decide_request(wrong_block=_fresh(asked), by=cast.clinician, allow=True)
    assert ListEntry.objects.count() == 1
    assert TimelineEvent.objects.filter(kind=decisions.REQUEST_DECIDED).count() == 1
    with pytest.raises(decisions.DecisionError, match="already decided: the name was allowed"):
        decisions.decide_request(wrong_block=_fresh(asked), by=cast.clinician, allow=False)


def _fresh(asked: WrongBlockRequest) -> WrongBlockRequest:
    return WrongBlockRequest.objects.select_related("enrollment").get(pk=asked.pk)


def test_a_name_already_on_the_allow_list_is_not_added_twice(cast, frozen):
    ListEntry.objects.create(
        enrollment=cast.enrollment, name="recipes.example", allow=True, created_at=NOW
    )
    decisions.decide_request(wrong_block=_asked(cast), by=cast.clinician, allow=True)
    assert ListEntry.objects.count() == 1


def test_only_the_clinician_decides_not_the_client(cast, frozen):
    asked = _asked(cast)
    for someone in (cast.client, cast.other_clinician, cast.ally_all):
        with pytest.raises(PermissionDenied):
            decisions.decide_request(wrong_block=_fresh(asked), by=someone, allow=True)
    assert _fresh(asked).decided_at is None and not ListEntry.objects.exists()


def test_a_request_of_another_client_is_not_found(cast, frozen, client):
    other = WrongBlockRequest.objects.create(
        enrollment=cast.foreign_enrollment, name="x.example", created_at=NOW
    )
    url = reverse("shield:client_decide", args=[cast.enrollment.pk, other.pk])
    assert sign_in(client, cast.clinician).post(url, {"decision": "allow"}).status_code == 404
    assert _fresh(other).decided_at is None


def test_no_decision_chosen_changes_nothing(cast, frozen, client):
    asked = _asked(cast)
    url = reverse("shield:client_decide", args=[cast.enrollment.pk, asked.pk])
    response = sign_in(client, cast.clinician).post(url, {"decision": "maybe"}, follow=True)
    assert "Please choose Allow or Keep blocked." in response.content.decode()
    assert _fresh(asked).decided_at is None


# --- ending a lockdown ----------------------------------------------------------------------


def test_the_clinician_ends_a_lockdown_now(cast, frozen, client):
    phone = on_shield(cast.enrollment, "Phone", last_seen_at=NOW, lockdown_until=NOW + 2 * HOUR)
    assert sync.build_snapshot(NOW)["devices"][str(phone.pk)]["lockdown_until"] is not None
    url = reverse("shield:client_end_lockdown", args=[cast.enrollment.pk, phone.pk])
    response = sign_in(client, cast.clinician).post(url, follow=True)
    assert "The lockdown of “Phone” has ended." in response.content.decode()
    phone.refresh_from_db()
    assert phone.lockdown_until == NOW
    assert sync.build_snapshot(NOW)["devices"][str(phone.pk)]["lockdown_until"] is None
    event = TimelineEvent.objects.get(kind=decisions.LOCKDOWN_ENDED)
    assert event.summary == "Shield: the lockdown of “Phone” ended early by the clinician"
    assert "End lockdown now" not in response.content.decode()


def test_the_client_cannot_end_their_own_lockdown_early(cast, frozen, client):
    phone = on_shield(cast.enrollment, last_seen_at=NOW, lockdown_until=NOW + 2 * HOUR)
    with pytest.raises(PermissionDenied):
        decisions.end_lockdown(shield_device=phone, by=cast.client)
    url = reverse("shield:client_end_lockdown", args=[cast.enrollment.pk, phone.pk])
    assert sign_in(client, cast.client).post(url).status_code == 404
    phone.refresh_from_db()
    assert phone.lockdown_until == NOW + 2 * HOUR


def test_ending_a_lockdown_that_is_over_changes_nothing(cast, frozen):
    phone = on_shield(cast.enrollment, last_seen_at=NOW, lockdown_until=NOW - HOUR)
    decisions.end_lockdown(shield_device=phone, by=cast.clinician)
    phone.refresh_from_db()
    assert phone.lockdown_until == NOW - HOUR
    assert not TimelineEvent.objects.filter(kind=decisions.LOCKDOWN_ENDED).exists()


def test_a_device_of_another_client_is_not_found(cast, frozen, client):
    theirs = on_shield(cast.foreign_enrollment, lockdown_until=NOW + HOUR)
    url = reverse("shield:client_end_lockdown", args=[cast.enrollment.pk, theirs.pk])
    assert sign_in(client, cast.clinician).post(url).status_code == 404


# --- the record stays within its budget ----------------------------------------------------------


def _shield_history(cast, devices: int, lookups: int, requests: int) -> None:
    for n in range(devices):
        shield_device = on_shield(
            cast.enrollment,
            f"Device {n}",
            last_seen_at=NOW - (3 * DAY if n % 2 else HOUR),
            lockdown_until=NOW + HOUR if n % 3 == 0 else None,
        )
        for i in range(lookups):
            _blocked(shield_device, NOW - i * 7 * HOUR, f"n{i}.example", ("adult", "dating")[i % 2])
    for i in range(requests):
        asked = _asked(cast, f"asked{i}.example")
        if i % 2:
            decisions.decide_request(wrong_block=_fresh(asked), by=cast.clinician, allow=i % 4 == 1)


def _count(browser, url: str) -> int:
    browser.get(url)  # the first page after signing in saves the session
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_card_costs_the_same_queries_with_one_device_as_with_twenty(cast, frozen, client):
    from tests.core.test_query_counts import BUDGET, MANY, _history

    _history(cast, MANY)  # every other card of the record with a long history
    browser = sign_in(client, cast.clinician)
    _shield_history(cast, devices=1, lookups=1, requests=1)
    few = _count(browser, _record_url(cast))
    _shield_history(cast, devices=20, lookups=30, requests=12)
    many = _count(browser, _record_url(cast))
    assert many == few
    assert many <= BUDGET["record"]


# --- the caseload column ------------------------------------------------------------------------


def _another_client(cast, n: int):
    from waypost.program.services import change_stage, enroll_client

    enrollment = enroll_client(
        client=make_user(f"client-{n}@north.test", f"Client {n}"),
        clinician_profile=cast.clinician_profile,
        by=cast.clinician,
        at=NOW - 40 * DAY,
    )
    change_stage(enrollment=enrollment, to_stage=2, reason="Ready.", by=cast.clinician)
    return enrollment


def _cells(cast):
    from waypost.program.selectors import visible_enrollments

    enrollments = list(visible_enrollments(cast.clinician))
    return views.caseload_cells(enrollments)


def test_the_column_counts_devices_on_shield_and_the_silent_ones(cast, frozen):
    on_shield(cast.enrollment, "Phone", last_seen_at=NOW - HOUR)
    on_shield(cast.enrollment, "Laptop", last_seen_at=NOW - 2 * DAY)
    on_shield(cast.enrollment, "Old", revoked_at=NOW)
    cell = _cells(cast)[cast.enrollment.pk]
    assert cell.text == "2 on Shield · 1 silent"
    assert cell.attention  # a silent device marks the client as needing attention
    assert cell.url == _record_url(cast) + "#shield"


def test_the_column_is_calm_when_every_device_is_heard_from(cast, frozen):
    on_shield(cast.enrollment, last_seen_at=NOW - HOUR)
    cell = _cells(cast)[cast.enrollment.pk]
    assert cell.text == "1 on Shield" and not cell.attention


def test_the_column_says_when_a_stage_two_client_has_nothing_on_shield(cast, frozen):
    cell = _cells(cast)[cast.enrollment.pk]
    assert cell.text == "none on Shield" and not cell.attention


def test_the_caseload_marks_a_client_with_a_silent_device(cast, frozen, client):
    on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    page = _page(client, cast.clinician, reverse("caseload:list") + "?show=attention")
    assert "1 on Shield · 1 silent" in page and "Sam Client" in page


def test_the_caseload_takes_as_many_queries_for_twenty_clients_as_for_one(cast, frozen, client):
    browser = sign_in(client, cast.clinician)
    on_shield(cast.enrollment, last_seen_at=NOW - 2 * DAY)
    one = _count(browser, reverse("caseload:list"))
    for n in range(1, 20):
        enrollment = _another_client(cast, n)
        on_shield(enrollment, "Phone", last_seen_at=NOW - (2 * DAY if n % 2 else HOUR))
        on_shield(enrollment, "Laptop", last_seen_at=NOW)
    twenty = _count(browser, reverse("caseload:list"))
    assert twenty == one


# --- an ally's "Shield alerts" ------------------------------------------------------------------


def _shared(client, cast, ally, link_key):
    url = reverse("connect:ally_shared", args=[cast.links[link_key].pk])
    return sign_in(client, ally).get(url)


def test_an_ally_who_may_see_shield_alerts_sees_status_and_silences_not_names(cast, frozen, client):
    from waypost.shield import silence

    phone = on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - timedelta(minutes=10))
    laptop = on_shield(cast.enrollment, "Work laptop", last_seen_at=NOW - 3 * DAY)
    _blocked(phone, NOW - HOUR, "tempting.example", times=4)
    silence.check(NOW - DAY, notify=False)  # the laptop was raised yesterday
    response = _shared(client, cast, cast.allies["shield"], "shield")
    page = response.content.decode()
    section = page[page.index('id="section-shield"') :]
    assert "Shield alerts" in section
    assert "Using Shield: last heard 10\xa0minutes ago." in section
    assert "Has not used Shield since 11 Mar (3 days)." in section
    assert "11 Mar: “Work laptop” went quiet" in section
    for private in ("tempting.example", "blocked attempt", "lockdown"):
        assert private not in page
    assert laptop.pk  # the laptop is listed by name only
    assert AuditEvent.objects.filter(
        actor=cast.allies["shield"], what="shared: shield", action=AuditEvent.Action.VIEW
    ).exists()


def test_an_ally_without_the_scope_sees_no_shield_section(cast, frozen, client):
    on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - 2 * DAY)
    page = _shared(client, cast, cast.ally_none, "none").content.decode()
    assert "Sam&#x27;s phone" not in page and "Shield" not in page


def test_once_consent_is_withdrawn_the_ally_sees_nothing_of_shield(cast, frozen, client):
    from waypost.connect.services import set_consent

    on_shield(cast.enrollment, "Sam's phone", last_seen_at=NOW - 2 * DAY)
    link = cast.links["shield"]
    assert (
        "Sam&#x27;s phone"
        in _shared(client, cast, cast.allies["shield"], "shield").content.decode()
    )
    set_consent(link=link, scopes=[], by=cast.client)
    page = _shared(client, cast, cast.allies["shield"], "shield").content.decode()
    assert "Sam&#x27;s phone" not in page and 'id="section-shield"' not in page
    assert _shared(client, cast, cast.ally_ended, "ended").status_code == 404


def test_the_scope_is_offered_to_the_client_with_honest_words(cast):
    from waypost.connect import scopes

    scope = scopes.get(clinician_selectors.ALLY_SCOPE)
    assert scope is not None and str(scope.label) == "Shield alerts"
    assert "Never what was blocked." in str(scope.explanation)


def test_a_retired_device_is_not_on_the_card(cast, frozen):
    on_shield(cast.enrollment, "Given away", retired_at=NOW - DAY, last_seen_at=NOW - 5 * DAY)
    cast.enrollment.refresh_from_db()
    card = clinician_selectors.record_card(cast.enrollment, NOW)
    assert card.devices == [] and Device.objects.count() == 1
    assert ShieldDevice.objects.count() == 1


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_puts_the_devices_of_clients_two_to_four_on_shield_with_a_history(demo):
    from waypost.connect.models import AllyLink
    from waypost.safety.models import RiskAlert
    from waypost.shield import silence
    from waypost.shield.models import HourlyCount

    now, client = demo
    for n in (2, 3, 4):
        devices = ShieldDevice.objects.filter(device__enrollment=client(n))
        assert devices.count() == 2
        assert HourlyCount.objects.filter(shield_device__in=devices).count() > 24 * 20
        lookups = list(BlockedLookup.objects.filter(shield_device__in=devices))
        assert lookups and all(lookup.name.endswith(".example") for lookup in lookups)
        assert all(lookup.at <= now for lookup in lookups)
    assert not ShieldDevice.objects.filter(device__enrollment=client(1)).exists()
    # thinning out: more in the first half of client 3's history than in the second
    lookups = BlockedLookup.objects.filter(shield_device__device__enrollment=client(3))
    first = min(lookup.at for lookup in lookups)
    middle = first + (now - first) / 2
    assert lookups.filter(at__lt=middle).count() > lookups.filter(at__gte=middle).count()
    # client 2's laptop is silent, raised: on his timeline, in the inbox, on his ally's page
    (quiet,) = ShieldDevice.objects.filter(silence_raised_at__isnull=False)
    assert quiet.device.enrollment == client(2) and quiet.device.name == "Work laptop"
    assert timedelta(days=3) < now - quiet.last_seen_at < timedelta(days=4)
    alert = RiskAlert.objects.get(kind=silence.ALERT_KIND)
    assert alert.enrollment == client(2) and alert.is_open
    assert AllyLink.objects.get(enrollment=client(2)).allows(clinician_selectors.ALLY_SCOPE)
    # a request waiting for client 2's clinician, one decided for clients 3 and 4
    assert WrongBlockRequest.objects.get(enrollment=client(2)).decided_at is None
    assert WrongBlockRequest.objects.get(enrollment=client(3)).allowed is False
    assert WrongBlockRequest.objects.get(enrollment=client(4)).allowed is True
    assert ListEntry.objects.filter(enrollment=client(4), allow=True).count() == 1
    # and the silence check that runs next finds nothing new to raise
    assert silence.check(now).raised == []


# --- the ways around Shield, per client ----------------------------------------------------------


def test_the_ways_around_shield_are_blocked_per_client_and_only_the_clinician_unblocks(cast):
    from waypost.shield.models import ClientShield

    device = on_shield(cast.enrollment, "Phone")
    assert sync.build_snapshot()["devices"][str(device.pk)]["categories"] == ["adult"]
    # the client may tighten the filter …
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.client, on=True)
    assert sync.build_snapshot()["devices"][str(device.pk)]["categories"] == ["adult", "bypass"]
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.client, on=True)  # again: same
    assert ClientShield.objects.get().block_bypass is True
    # … but not loosen it: that is the clinician's
    with pytest.raises(PermissionDenied):
        decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.client, on=False)
    decisions.set_block_bypass(enrollment=cast.enrollment, by=cast.clinician, on=False)
    assert sync.build_snapshot()["devices"][str(device.pk)]["categories"] == ["adult"]
    changes = TimelineEvent.objects.filter(kind=decisions.BYPASS_CHANGED).order_by("pk")
    assert [event.actor for event in changes] == [cast.client, cast.clinician]


def test_the_clinician_switches_it_from_the_record_card(cast, client):
    from waypost.shield.models import ClientShield

    on_shield(cast.enrollment, "Phone")
    browser = sign_in(client, cast.clinician)
    record = reverse("caseload:record", args=[cast.enrollment.pk])
    assert "Block them for this client" in browser.get(record).content.decode()
    url = reverse("shield:client_bypass", args=[cast.enrollment.pk])
    assert browser.post(url, {"on": "1"}).status_code == 302
    assert ClientShield.objects.get().block_bypass is True
    assert "Stop blocking them" in browser.get(record).content.decode()
    assert browser.post(url, {"on": "maybe"}).status_code == 302  # refused, nothing changed
    assert ClientShield.objects.get().block_bypass is True
