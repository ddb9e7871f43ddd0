"""The skills toolbox: its exercise files, the practice log, its pages and the urge page."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from tests.roles import ROLES
from waypost.recovery import selectors, skills
from waypost.recovery.models import Practice
from waypost.recovery.services import practice
from waypost.recovery.services.practice import PracticeError, log_practice, practice_week
from waypost.safety.plan_content import Contact

REPLAY = {"HTTP_X_WAYPOST_REPLAY": "1"}

# --- the exercise files -----------------------------------------------------------------------


def test_every_exercise_file_loads_and_the_toolbox_has_each_kind_of_skill():
    box = skills.load()

    assert len(box) == len(list(skills.SKILLS_DIR.glob("*.toml")))
    assert {s.group for s in box} == set(skills.GROUPS)
    assert {s.kind for s in box} == set(skills.KINDS)
    # what the issue asks for, by slug
    for slug in (
        "ride-the-wave-90",
        "ride-the-wave",
        "quiet-sit",
        "paced-breathing",
        "five-senses",
        "name-the-feeling",
        "opposite-action",
        "check-the-facts",
        "body-reset",
        "turn-your-attention",
        "comfort-the-senses",
    ):
        assert box.get(slug) is not None, slug
    assert box.get("ride-the-wave-90").seconds == 90
    assert box.get("ride-the-wave").seconds > 5 * 60
    assert box.get("paced-breathing").pace.breathe_out > box.get("paced-breathing").pace.breathe_in


def test_exercise_words_are_kind_and_titles_fit_a_discreet_tab():
    shaming = ("failure", "relapse", "reset to zero", "clean", "dirty", "addict")
    for skill in skills.load():
        words = " ".join([skill.title, skill.summary, skill.end, *(s.text for s in skill.steps)])
        assert not any(w in words.lower() for w in shaming), skill.slug
        assert len(skill.slug) <= skills.SLUG_MAX


GOOD = """
slug = "{slug}"
title = "A test exercise"
summary = "For the tests."
group = "calm"
kind = "guided"

[[steps]]
text = "Breathe."
"""


def _write(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (GOOD.replace('"calm"', '"sleepy"'), "group must be one of urge, calm, feelings, through"),
        (GOOD.replace('text = "Breathe."', 'title = "No words"'), "step 1: missing text"),
        (GOOD + '\n[[steps]]\ntext = "Two"\nseconds = 5\n', "give seconds for every step"),
        (GOOD.replace('"guided"', '"timer"'), "minutes: a timer exercise needs minutes"),
        (
            GOOD.replace('"guided"', '"timer"') + "minutes = [5]\ndefault_minutes = 3\n",
            "",  # TOML puts top-level keys after a table into the last step: told as unknown
        ),
        (GOOD.replace('slug = "{slug}"', 'slug = "another-name"'), "must match the file's name"),
        (GOOD + "colour = 3\n", "is not a key Waypost knows"),
        ("slug = [", "not valid TOML"),
    ],
    ids=["group", "text", "mixed-seconds", "no-minutes", "misplaced-key", "slug", "extra", "toml"],
)
def test_a_broken_exercise_file_is_refused_with_a_plain_reason(tmp_path, text, problem):
    path = _write(tmp_path, "broken-one", text.replace("{slug}", "broken-one"))
    _write(tmp_path, "fine-one", GOOD.replace("{slug}", "fine-one"))

    with pytest.raises(skills.SkillsError) as caught:
        skills.load(tmp_path)

    message = str(caught.value)
    assert message.startswith("the skills toolbox cannot start")
    assert [p for p, _ in caught.value.problems] == [str(path)]
    assert problem in message


def test_a_timer_must_offer_the_minutes_it_starts_with(tmp_path):
    text = (
        'slug = "sit"\ntitle = "Sit"\nsummary = "S"\ngroup = "calm"\nkind = "timer"\n'
        'minutes = [5, 10]\ndefault_minutes = 3\n[[steps]]\ntext = "Sit."\n'
    )
    _write(tmp_path, "sit", text)
    with pytest.raises(skills.SkillsError, match="default_minutes: must be one of the minutes"):
        skills.load(tmp_path)


def test_an_empty_folder_or_a_reserved_slug_is_refused(tmp_path):
    with pytest.raises(skills.SkillsError, match="no exercise files"):
        skills.load(tmp_path)
    _write(tmp_path, "practice", GOOD.replace("{slug}", "practice"))
    with pytest.raises(skills.SkillsError, match="taken by the toolbox itself"):
        skills.load(tmp_path)


@pytest.fixture
def broken_skills_dir(tmp_path, monkeypatch):
    """The toolbox's folder swapped for one with a broken file; the real one is reloaded after."""
    _write(tmp_path, "bad", GOOD.replace("{slug}", "bad").replace('"guided"', '"dance"'))
    monkeypatch.setattr(skills, "SKILLS_DIR", tmp_path)
    yield tmp_path
    monkeypatch.undo()
    skills.reload()


def test_start_up_stops_on_a_broken_exercise_file_naming_it(broken_skills_dir):
    with pytest.raises(ImproperlyConfigured) as caught:
        apps.get_app_config("recovery").ready()

    assert str(broken_skills_dir / "bad.toml") in str(caught.value)
    assert "kind must be one of guided, timer, breathing, not 'dance'" in str(caught.value)
    assert isinstance(caught.value.__cause__, skills.SkillsError)


# --- the practice log (service) -------------------------------------------------------------------


@pytest.fixture
def log(cast):
    def keep(**values):
        values.setdefault("skill", "quiet-sit")
        values.setdefault("seconds", 300)
        values.setdefault("client_uuid", uuid.uuid4())
        return log_practice(enrollment=cast.enrollment, by=cast.client, **values)

    return keep


def test_a_practice_is_kept_once_per_client_uuid(cast, log):
    key = uuid.uuid4()

    first, created = log(client_uuid=key)
    again, created_again = log(client_uuid=key, seconds=10)

    assert created and not created_again
    assert again.pk == first.pk and again.seconds == 300
    assert Practice.objects.count() == 1
    assert first.local_date == selectors.client_today(cast.enrollment)


@pytest.mark.parametrize(
    "values",
    [
        {"skill": "not-an-exercise"},
        {"skill": 7},
        {"seconds": 0},
        {"seconds": -5},
        {"seconds": 601 * 60},
        {"seconds": True},
        {"seconds": "90"},
        {"client_uuid": "not-a-uuid"},
    ],
    ids=lambda v: f"{next(iter(v))}={next(iter(v.values()))!r}",
)
def test_a_bad_practice_is_refused_kindly_and_keeps_nothing(log, values):
    with pytest.raises(PracticeError) as caught:
        log(**values)
    assert caught.value.message
    assert not Practice.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("client", "anonymous")])
def test_only_the_client_may_keep_their_practice(cast, role):
    with pytest.raises(PermissionDenied):
        log_practice(
            enrollment=cast.enrollment,
            by=cast.role(role),
            skill="quiet-sit",
            seconds=60,
            client_uuid=uuid.uuid4(),
        )
    assert not Practice.objects.exists()


def test_a_client_below_stage_2_keeps_no_practice_log(cast):
    with pytest.raises(PermissionDenied):
        log_practice(
            enrollment=cast.foreign_enrollment,
            by=cast.foreign_client,
            skill="quiet-sit",
            seconds=60,
            client_uuid=uuid.uuid4(),
        )


def test_the_week_adds_up_minutes_per_local_day(cast, log):
    today = selectors.client_today(cast.enrollment)
    log(seconds=300)
    log(seconds=100)
    old = Practice.objects.create(
        enrollment=cast.enrollment,
        client_uuid=uuid.uuid4(),
        skill="quiet-sit",
        seconds=600,
        local_date=today - timedelta(days=7),
        created_at=practice.timezone.now(),
    )

    week = practice_week(cast.enrollment, today)

    assert [d.day.weekday() for d in week.days] == list(range(7))
    assert next(d for d in week.days if d.is_today).minutes == 7  # 400 s
    assert week.minutes == 7  # last week's 10 minutes are not this week's
    assert old.local_date < week.days[0].day
    assert all(d.minutes == 0 for d in week.days if d.is_future)


# --- the pages -----------------------------------------------------------------------------------


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_toolbox_lists_every_exercise_and_links_the_safety_plan(cast, client):
    page = _signed_in(client, cast.client).get(reverse("recovery:toolbox"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Toolbox · Waypost</title>" in html
    for skill in skills.toolbox():
        assert reverse("recovery:exercise", args=[skill.slug]) in html
    assert reverse("safety:my_plan") in html
    assert reverse("recovery:urge_help") in html
    assert "Your practice this week" in html


def test_every_exercise_page_shows_all_its_steps_without_javascript(cast, client):
    browser = _signed_in(client, cast.client)
    for skill in skills.toolbox():
        page = browser.get(reverse("recovery:exercise", args=[skill.slug]))
        assert page.status_code == 200, skill.slug
        html = page.content.decode()
        for step in skill.steps:
            assert step.title in html
        assert reverse("safety:my_plan") in html
        assert "recovery/toolbox.js" in html
        # the practice log's form, with its own client_uuid, through the offline queue
        assert "data-offline-queue" in html and 'name="client_uuid"' in html
    assert browser.get("/toolbox/no-such-exercise/").status_code == 404


def test_a_client_below_stage_2_reads_the_toolbox_but_keeps_no_log(cast, client):
    browser = _signed_in(client, cast.foreign_client)

    index = browser.get(reverse("recovery:toolbox"))
    page = browser.get(reverse("recovery:exercise", args=["quiet-sit"]))
    urge = browser.get(reverse("recovery:urge_help"))
    post = browser.post(
        reverse("recovery:practice_log"),
        {"skill": "quiet-sit", "minutes": "5", "client_uuid": str(uuid.uuid4())},
    )

    assert index.status_code == page.status_code == urge.status_code == 200
    assert "Your practice this week" not in index.content.decode()
    assert "data-practice-form" not in page.content.decode()
    assert "data-practice-form" not in urge.content.decode()
    assert post.status_code == 403
    assert not Practice.objects.exists()


def test_the_practice_form_keeps_typed_minutes_and_goes_back_to_the_exercise(cast, client):
    key = uuid.uuid4()
    data = {"skill": "five-senses", "minutes": "4", "client_uuid": str(key)}
    browser = _signed_in(client, cast.client)

    response = browser.post(reverse("recovery:practice_log"), data)
    again = browser.post(reverse("recovery:practice_log"), data)

    assert response.status_code == again.status_code == 302
    assert response["Location"] == reverse("recovery:exercise", args=["five-senses"])
    kept = Practice.objects.get()
    assert (kept.skill, kept.seconds, kept.client_uuid) == ("five-senses", 240, key)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"skill": "quiet-sit"}, "Please say how many minutes you practised."),
        ({"skill": "quiet-sit", "minutes": "0"}, "at least 1 minute"),
        ({"skill": "quiet-sit", "minutes": "999"}, "at most 600 minutes"),
        ({"skill": "quiet-sit", "minutes": "ten"}, "whole number"),
        ({"skill": "quiet-sit", "seconds": "-3"}, "reload the page"),
    ],
    ids=["nothing", "zero", "too-long", "words", "negative-seconds"],
)
def test_a_bad_practice_form_says_what_to_change(cast, client, data, says):
    browser = _signed_in(client, cast.client)

    response = browser.post(
        reverse("recovery:practice_log"), {**data, "client_uuid": str(uuid.uuid4())}
    )

    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Practice.objects.exists()


def test_an_unknown_exercise_or_a_missing_uuid_changes_nothing(cast, client):
    browser = _signed_in(client, cast.client)

    unknown = browser.post(
        reverse("recovery:practice_log"),
        {"skill": "made-up", "minutes": "3", "client_uuid": str(uuid.uuid4())},
    )
    no_uuid = browser.post(reverse("recovery:practice_log"), {"skill": "quiet-sit", "minutes": "3"})

    assert unknown.status_code == 302 and unknown["Location"] == reverse("recovery:toolbox")
    assert no_uuid.status_code == 400
    assert not Practice.objects.exists()


# --- the offline queue's replays ------------------------------------------------------------------


def test_a_replayed_practice_is_answered_201_then_200_and_kept_once(cast, client):
    data = {"skill": "paced-breathing", "seconds": "180", "client_uuid": str(uuid.uuid4())}
    browser = _signed_in(client, cast.client)

    first = browser.post(reverse("recovery:practice_log"), data, **REPLAY)
    second = browser.post(reverse("recovery:practice_log"), data, **REPLAY)

    assert first.status_code == 201 and second.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first.json()["stored"] is True and second.json()["stored"] is True
    assert "3 minutes" in first.json()["message"]
    assert Practice.objects.get().seconds == 180


def test_a_practice_kept_on_the_phone_overnight_counts_on_the_day_it_was_done(cast, client):
    from django.utils import timezone

    yesterday = timezone.now() - timedelta(days=1)
    _signed_in(client, cast.client).post(
        reverse("recovery:practice_log"),
        {
            "skill": "quiet-sit",
            "seconds": "600",
            "client_uuid": str(uuid.uuid4()),
            "queued_at": yesterday.isoformat(),
        },
        **REPLAY,
    )

    kept = Practice.objects.get()
    assert kept.local_date == selectors.client_today(cast.enrollment, yesterday)
    assert kept.local_date < selectors.client_today(cast.enrollment)


def test_a_replay_that_cannot_be_kept_gets_its_errors_in_json(cast, client):
    browser = _signed_in(client, cast.client)

    response = browser.post(
        reverse("recovery:practice_log"),
        {"skill": "made-up", "seconds": "60", "client_uuid": str(uuid.uuid4())},
        **REPLAY,
    )
    missing = browser.post(reverse("recovery:practice_log"), {"skill": "quiet-sit"}, **REPLAY)

    assert response.status_code == 400
    assert response.json() == {
        "stored": False,
        "errors": {"__all__": ["That exercise is not in the toolbox."]},
    }
    assert missing.status_code == 400 and set(missing.json()["errors"]) == {
        "minutes",
        "client_uuid",
    }
    assert not Practice.objects.exists()


def test_a_replay_keeps_csrf_protection(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.client)
    response = strict.post(
        reverse("recovery:practice_log"),
        {"skill": "quiet-sit", "seconds": "60", "client_uuid": str(uuid.uuid4())},
        **REPLAY,
    )
    assert response.status_code == 403
    assert not Practice.objects.exists()


# --- "I'm having an urge" ------------------------------------------------------------------------


def _prevention_plan(cast, **content):
    from waypost.recovery.services.plans import save_prevention_plan

    save_prevention_plan(enrollment=cast.enrollment, by=cast.client, content=content)


def test_the_urge_page_opens_with_the_90_second_exercise_then_the_clients_own_plan(cast, client):
    _prevention_plan(
        cast,
        if_then=["If I'm alone with the laptop after ten → I take it to the kitchen"],
        reasons=["Being present with my kids"],
        people=[Contact("Sam", "9123 4567")],
    )

    page = _signed_in(client, cast.client).get(reverse("recovery:urge_help"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Right now · Waypost</title>" in html
    exercise = html.index("Ride the wave: 90 seconds")
    assert exercise < html.index("I take it to the kitchen")
    assert "Being present with my kids" in html
    assert 'href="tel:91234567"' in html
    assert reverse("recovery:urge_new") in html
    assert reverse("safety:my_plan") in html
    assert "North crisis line" in html
    # the timer logs the practice through a form the person does not see
    assert "data-practice-form" in html and "hidden" in html


def test_without_a_plan_the_urge_page_has_the_exercise_the_lines_and_the_safety_plan_helpers(
    cast, client
):
    from waypost.safety.services import save_plan

    save_plan(
        enrollment=cast.enrollment,
        content={"helpers": [Contact("Aunt Lina", "9123 4567")]},
        by=cast.client,
    )

    html = _signed_in(client, cast.client).get(reverse("recovery:urge_help")).content.decode()

    assert "Ride the wave: 90 seconds" in html
    assert "North crisis line" in html and 'href="tel:1767"' in html
    assert "Aunt Lina" in html and "From your safety plan." in html
    assert "Your own plan for moments like this" in html


def test_a_registered_support_action_appears_and_none_is_shown_otherwise(cast, client):
    from waypost.recovery import support

    browser = _signed_in(client, cast.client)
    assert "support-actions" not in browser.get(reverse("recovery:urge_help")).content.decode()

    support.register(
        "tests.message",
        lambda request, enrollment: [support.SupportAction("tests", "Message Sam", "/somewhere/")],
    )
    try:
        html = browser.get(reverse("recovery:urge_help")).content.decode()
    finally:
        support.unregister("tests.message")
    assert "Message Sam" in html and 'href="/somewhere/"' in html


def test_get_help_now_opens_with_two_doors_for_a_client_only(cast, client):
    browser = _signed_in(client, cast.client)
    html = unescape(browser.get(reverse("help")).content.decode())

    assert "I'm having an urge" in html and "I'm not safe" in html
    assert html.index("I'm having an urge") < html.index("North crisis line")
    assert f'href="{reverse("recovery:urge_help")}"' in html
    assert 'id="not-safe"' in html

    for role in ("clinician", "ally_all", "anonymous"):
        client.logout()
        if cast.role(role) is not None:
            client.force_login(cast.role(role))
        other = client.get(reverse("help")).content.decode()
        assert "having an urge" not in other, role
        assert "North crisis line" in other or role == "anonymous"


def test_the_toolbox_card_on_today_leads_to_the_toolbox(cast, client):
    html = _signed_in(client, cast.client).get(reverse("program:today")).content.decode()
    assert reverse("recovery:toolbox") in html


def test_the_practice_log_is_in_the_clients_data_download(cast):
    from waypost.recovery.views.toolbox import PRACTICE_EXPORT

    log_practice(
        enrollment=cast.enrollment,
        by=cast.client,
        skill="quiet-sit",
        seconds=120,
        client_uuid=uuid.uuid4(),
    )
    data = json.loads(json.dumps(PRACTICE_EXPORT.collect(cast.client), default=str))
    assert data["practices"][0]["exercise"] == "quiet-sit"
    assert data["practices"][0]["seconds"] == 120
    assert PRACTICE_EXPORT.collect(cast.foreign_client) == {"practices": []}
