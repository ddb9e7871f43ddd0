"""Story: a clinician works through the risk inbox: finds Sam's open alert, opens it and
acknowledges it with a note. From the inbox they go to Sam's record, write a session note,
sign it, and see it signed and still correctable. A note signed two days ago shows as
locked, with only "Add an amendment", and takes one. From the new note they set Sam an
exercise; Sam, on a phone, finds it under Me and marks it done with a few words.

Screenshots go to /tmp/shots/notes/ (UX.md: a page is done when its screenshots look right).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/notes")  # noqa: S108 - a fixed place people look, not a secret


@pytest.fixture
def with_alert_and_an_older_note(e2e_cast):
    from uuid import uuid4

    from waypost.caseload.notes import services
    from waypost.safety.services import raise_alert

    raise_alert(
        enrollment=e2e_cast.enrollment,
        kind="critical_item",
        summary="PHQ-9 question 9: answered “Several days”",
        source_label="PHQ-9",
        notify=False,
    )
    two_days_ago = timezone.now() - timedelta(days=2)
    services.write_note(
        enrollment=e2e_cast.enrollment,
        by=e2e_cast.clinician,
        content=services.NoteContent(
            session_at=two_days_ago - timedelta(hours=1),
            format="phone",
            duration_minutes=20,
            discussed="A short call about sleep.",
            plan="Sleep diary for a week.",
            risk="none",
        ),
        client_uuid=uuid4(),
        sign=True,
        at=two_days_ago,
    )
    return e2e_cast


def test_triage_then_a_signed_note_an_amendment_and_an_exercise_done(
    with_alert_and_an_older_note, signed_in
):
    from waypost.caseload.notes.models import Exercise, NoteAmendment, SessionNote
    from waypost.safety.models import RiskAlert

    cast = with_alert_and_an_older_note
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk = signed_in(cast.clinician, DESKTOP)

    # Given the risk inbox with Sam's open alert
    desk.goto("/risk/")
    card = desk.locator("article.alert-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("heading")).to_have_text("Sam Client")
    expect(card).to_contain_text("Several days")
    # When the clinician opens it (the page the alert's e-mail links to) and acknowledges it
    alert = RiskAlert.objects.get(enrollment=cast.enrollment)
    desk.goto(f"/risk/{alert.pk}/acknowledge/")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Risk alert for Sam Client")
    desk.get_by_label("What you did or will do").fill(
        "Called Sam; he is safe and will see me tomorrow."
    )
    desk.get_by_role("button", name="Acknowledge").click()
    # Then the inbox has no open alert left, and the acknowledged one keeps the note
    expect(desk.get_by_role("status")).to_contain_text("Alert acknowledged.")
    expect(desk.locator("article.alert-card")).to_have_count(0)
    done = desk.get_by_role("region", name="Acknowledged")
    expect(done).to_contain_text("Called Sam; he is safe")

    # When they go to Sam's record and write a session note
    done.get_by_role("link", name="Sam Client").click()
    notes_card = desk.get_by_role("region", name="Session notes")
    notes_card.get_by_role("link", name="Write a session note").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Write a session note")
    desk.get_by_role("radio", name="Video").check()
    desk.get_by_label("Length in minutes").fill("45")
    desk.get_by_label("What was discussed and observed").fill(
        "Talked through the alert: low mood after a hard week, no plans to act on it."
    )
    desk.get_by_label("Assessment").fill("Safe for now; low mood, coping.")
    desk.get_by_label("Plan").fill("Safety plan reviewed. Call again on Friday.")
    desk.get_by_role("radio", name="Some concerns").check()
    desk.get_by_label("About the concerns").fill("Passive thoughts two nights ago; none now.")
    desk.screenshot(path=str(SHOTS / "e2e_note_form_1280.png"), full_page=True)
    desk.get_by_role("button", name="Sign the note").click()

    # Then the note is signed and can still be corrected for 24 hours
    expect(desk.get_by_role("status")).to_contain_text("Note signed.")
    expect(desk.locator(".note-state")).to_have_text("signed")
    expect(
        desk.get_by_text("Can be corrected by the clinician who signed it until")
    ).to_be_visible()
    expect(desk.get_by_role("link", name="Correct the note")).to_be_visible()
    expect(desk.get_by_role("link", name="Add an amendment")).to_have_count(0)
    desk.screenshot(path=str(SHOTS / "e2e_note_signed_1280.png"), full_page=True)
    note = SessionNote.objects.get(enrollment=cast.enrollment, format="video")
    assert note.status == "signed" and note.signed_by == cast.clinician
    assert note.risk == "some"

    # When they set an exercise from the note
    desk.get_by_role("link", name="Set an exercise").click()
    desk.get_by_label("What to do").fill("Fill in the sleep diary each morning")
    desk.get_by_role("button", name="Set the exercise").click()
    expect(desk.get_by_role("status")).to_contain_text("Exercise set.")
    expect(desk.get_by_role("region", name="Exercises set from this note")).to_contain_text(
        "Fill in the sleep diary each morning"
    )

    # When they open the note signed two days ago
    desk.goto(f"/clients/{cast.enrollment.pk}/notes/")
    older = desk.locator(".note-row").filter(has_text="Phone")
    expect(older.locator(".note-state")).to_have_text("locked")
    older.get_by_role("link").first.click()
    # Then it is locked: no correction, only an amendment
    expect(desk.get_by_text(re.compile("^Locked since"))).to_be_visible()
    expect(desk.get_by_role("link", name="Correct the note")).to_have_count(0)
    desk.get_by_role("link", name="Add an amendment").click()
    desk.get_by_label("Amendment").fill("Sam's partner says he slept better after the call.")
    desk.get_by_label("Reason").fill("Information received later")
    desk.get_by_role("button", name="Sign and add the amendment").click()
    expect(desk.get_by_role("status")).to_contain_text("Amendment added under the note.")
    amendments = desk.get_by_role("region", name="Amendments")
    expect(amendments).to_contain_text("slept better after the call")
    expect(amendments).to_contain_text("Signed by Cleo Clinician")
    expect(amendments).to_contain_text("Information received later")
    expect(desk.get_by_text("A short call about sleep.")).to_be_visible()  # the note unchanged
    desk.screenshot(path=str(SHOTS / "e2e_note_amended_1280.png"), full_page=True)
    assert NoteAmendment.objects.count() == 1

    # When Sam opens Me on a phone and goes to the exercises
    phone = signed_in(cast.client, PHONE)
    phone.goto("/account/")
    phone.get_by_role("region", name="Exercises").get_by_role("link", name="Open exercises").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your exercises")
    exercise = phone.locator("article.exercise")
    expect(exercise).to_contain_text("Fill in the sleep diary each morning")
    # and marks it done with a few words
    exercise.get_by_text("Add a few words (optional)").click()
    exercise.get_by_label("How did it go?").fill("Four mornings out of five.")
    exercise.get_by_role("button", name=re.compile("^Mark as done")).click()
    # Then it is done, with the reflection, and nothing runs off the phone
    expect(phone.get_by_role("status")).to_contain_text("Marked as done.")
    expect(phone.locator("article.exercise")).to_have_count(0)
    expect(phone.get_by_role("region", name="Done")).to_contain_text("Four mornings out of five.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    phone.screenshot(path=str(SHOTS / "e2e_exercises_390.png"), full_page=True)
    made = Exercise.objects.get(enrollment=cast.enrollment)
    assert made.done_at is not None and made.note == note

    # And the clinician sees it done on the record's homework card
    desk.goto(f"/clients/{cast.enrollment.pk}/")
    homework = desk.get_by_role("region", name="Homework")
    expect(homework.locator(".hw-item").filter(has_text="sleep diary")).to_contain_text("done")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_notes_homework_and_timeline_page_is_accessible_and_fits(
    with_alert_and_an_older_note, signed_in, width
):
    from axe_playwright_python.base import AXE_SCRIPT

    from tests.e2e.test_accessibility import BLOCKING, describe, run_axe
    from tests.session_notes.helpers import draft, exercise
    from waypost.caseload.notes.models import SessionNote
    from waypost.core.discretion import INDISCREET

    cast = with_alert_and_an_older_note
    e = cast.enrollment.pk
    locked = SessionNote.objects.get(enrollment=cast.enrollment)
    unsigned = draft(cast)
    orphaned = draft(cast)  # left by a clinician no longer the client's: to discard
    SessionNote.objects.filter(pk=orphaned.pk).update(author=cast.other_clinician)
    exercise(cast, due_on=timezone.localdate() + timedelta(days=1))
    pages = {
        cast.clinician: [
            f"/clients/{e}/",
            f"/clients/{e}/notes/",
            f"/clients/{e}/notes/new/",
            f"/clients/{e}/notes/{locked.pk}/",
            f"/clients/{e}/notes/{locked.pk}/amend/",
            f"/clients/{e}/notes/{unsigned.pk}/",
            f"/clients/{e}/notes/{unsigned.pk}/edit/",
            f"/clients/{e}/notes/{orphaned.pk}/",
            f"/clients/{e}/homework/",
            f"/clients/{e}/homework/exercises/new/",
            f"/clients/{e}/timeline/",
            f"/clients/{e}/timeline/?category=notes&since=2020-01-01",
        ],
        cast.client: ["/exercises/", "/account/", "/today/"],
    }
    problems: list[str] = []
    for user, paths in pages.items():
        page = signed_in(user, width)
        page.context.add_init_script(AXE_SCRIPT)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            problems += [describe(path, v) for v in run_axe(page) if v["impact"] in BLOCKING]
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{path} runs off the side at {width} px")
            if INDISCREET.search(page.title()):
                problems.append(f"{path}: the title {page.title()!r} says too much")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_stale_tab_changes_nothing_and_a_former_clinicians_draft_is_discarded(
    e2e_cast, signed_in, width
):
    from tests.session_notes.helpers import draft
    from waypost.caseload.notes.models import SessionNote
    from waypost.core.models import TimelineEvent

    cast = e2e_cast
    SHOTS.mkdir(parents=True, exist_ok=True)
    note = draft(cast, plan="Plan from the first tab.")
    e = cast.enrollment.pk
    # Given the draft open in two tabs
    tab_a = signed_in(cast.clinician, width)
    tab_a.goto(f"/clients/{e}/notes/{note.pk}/edit/")
    tab_b = tab_a.context.new_page()
    tab_b.goto(f"/clients/{e}/notes/{note.pk}/")
    # When tab B signs it and tab A then saves its old form as a draft
    tab_b.get_by_role("button", name="Sign the note").click()
    expect(tab_b.get_by_role("status")).to_contain_text("Note signed.")
    tab_a.get_by_label("Plan").fill("Plan typed in the stale tab.")
    tab_a.get_by_role("button", name="Save as draft").click()
    # Then nothing changed: the page shows the current version and keeps what A typed
    expect(tab_a.get_by_role("alert")).to_contain_text("changed in another tab or window")
    expect(tab_a.get_by_role("heading", level=1)).to_have_text("Correct the note")
    expect(tab_a.get_by_label("Plan")).to_have_value("Plan from the first tab.")
    tab_a.get_by_text("What you wrote, not saved").click()
    expect(tab_a.get_by_text("Plan typed in the stale tab.")).to_be_visible()
    assert tab_a.evaluate("document.documentElement.scrollWidth") <= width
    tab_a.screenshot(path=str(SHOTS / f"e2e_note_conflict_{width}.png"), full_page=True)
    note.refresh_from_db()
    assert note.status == "signed" and note.plan == "Plan from the first tab."
    assert note.revisions.count() == 1

    # Given a draft left by a clinician who is no longer the client's
    orphan = draft(cast, discussed="Started by Otto, never finished.")
    SessionNote.objects.filter(pk=orphan.pk).update(author=cast.other_clinician)
    tab_a.goto(f"/clients/{e}/notes/{orphan.pk}/")
    expect(tab_a.get_by_text("is no longer this client's clinician")).to_be_visible()
    assert tab_a.evaluate("document.documentElement.scrollWidth") <= width
    tab_a.screenshot(path=str(SHOTS / f"e2e_note_orphaned_{width}.png"), full_page=True)
    # When the clinician has read it and discards it
    tab_a.get_by_label("I have read this draft").check()
    tab_a.get_by_role("button", name="Discard the draft").click()
    # Then it is gone, and the timeline says so
    expect(tab_a.get_by_role("status")).to_contain_text("Draft discarded.")
    assert not SessionNote.objects.filter(pk=orphan.pk).exists()
    assert TimelineEvent.objects.filter(kind="session_notes.draft_discarded").count() == 1
