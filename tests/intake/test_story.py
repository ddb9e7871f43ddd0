"""The client's story: drafts stay private; the clinician reads only what was shared."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.helpers import write_story
from waypost.core.models import AuditEvent
from waypost.intake import services

pytestmark = pytest.mark.django_db

SHARE = reverse("intake:story_share")


def part_url(number: int) -> str:
    return reverse("intake:story_part", kwargs={"number": number})


def record_story_url(cast) -> str:
    return reverse("intake:record_story", kwargs={"enrollment_id": cast.enrollment.pk})


def test_saving_a_draft_keeps_it_private(cast, as_user):
    # given a client writing the first part
    browser = as_user(cast.client)
    # when they save a draft
    response = browser.post(part_url(1), {"text": "It began at my cousin's house.", "go": "save"})
    # then they stay on the part, told only they can see it
    assert response["Location"] == part_url(1)
    page = browser.get(part_url(1)).content.decode()
    assert "Draft saved. Only you can see it." in page
    assert "It began at my cousin&#x27;s house." in page
    # and the clinician sees nothing of it
    clinician = as_user(cast.clinician)
    page = clinician.get(record_story_url(cast)).content.decode()
    assert "cousin" not in page
    assert "Not shared." in page
    record = clinician.get(reverse("caseload:record", args=[cast.enrollment.pk])).content.decode()
    assert "cousin" not in record
    assert "Not shared yet" in record


def test_save_and_next_moves_on(cast, as_user):
    browser = as_user(cast.client)
    response = browser.post(part_url(2), {"text": "It grew.", "go": "next"})
    assert response["Location"] == part_url(3)
    response = browser.post(part_url(5), {"text": "Sleep.", "wanted": "Rest.", "go": "next"})
    assert response["Location"] == reverse("intake:story")


def test_ticks_and_words_are_kept_together(cast, as_user):
    browser = as_user(cast.client)
    browser.post(part_url(3), {"functions": ["soothing", "escaping"], "text": "It calms me."})
    assert services.story_of(cast.enrollment).draft == {
        "function": {"functions": ["soothing", "escaping"], "text": "It calms me."}
    }
    # an unknown tick is refused with a message
    response = browser.post(part_url(4), {"drivers": ["hunger"]})
    assert response.status_code == 400
    assert "One of the choices was not recognised." in response.content.decode()


def test_emptying_a_part_removes_it(cast, as_user):
    write_story(cast.enrollment, {"began": {"text": "Once"}})
    as_user(cast.client).post(part_url(1), {"text": "   "})
    assert services.story_of(cast.enrollment).draft == {}


def test_sharing_gives_the_clinician_a_snapshot_and_later_edits_stay_private(cast, as_user):
    # given a story with two parts
    write_story(
        cast.enrollment,
        {"began": {"text": "First version"}, "underneath": {"drivers": ["shame"], "text": "Old"}},
    )
    browser = as_user(cast.client)
    # when the client shares it
    response = browser.post(SHARE, {"action": "share"}, follow=True)
    assert "Your clinician can now read your story" in response.content.decode()
    # then the clinician reads exactly that, and the reading is audited
    clinician = as_user(cast.clinician)
    page = clinician.get(record_story_url(cast)).content.decode()
    assert "First version" in page and "Shame" in page
    assert AuditEvent.objects.filter(actor=cast.clinician, what="shared story").count() == 1
    # when the client keeps editing
    browser = as_user(cast.client)
    browser.post(part_url(1), {"text": "Second version, private"})
    # then the client sees "shared on …, edited since"
    page = browser.get(reverse("intake:story")).content.decode()
    assert ", edited since" in page
    assert "Share the new version" in page
    # and the clinician still sees the first version only, with no hint of the changes
    page = as_user(cast.clinician).get(record_story_url(cast)).content.decode()
    assert "First version" in page
    assert "Second version" not in page
    assert "edited" not in page
    # until the client shares again
    as_user(cast.client).post(SHARE, {"action": "share"})
    page = as_user(cast.clinician).get(record_story_url(cast)).content.decode()
    assert "Second version, private" in page
    kinds = [e.summary for e in cast.enrollment.timeline.filter(kind="intake.story_shared")]
    assert sorted(kinds) == [
        "Shared a new version of their story",
        "Shared their story with their clinician",
    ]


def test_saving_without_changes_does_not_count_as_edited(cast, as_user):
    write_story(cast.enrollment, {"began": {"text": "Same"}})
    services.share_story(enrollment=cast.enrollment, by=cast.client)
    browser = as_user(cast.client)
    browser.post(part_url(1), {"text": "Same"})
    story = services.story_of(cast.enrollment)
    assert story.is_shared and not story.edited_since_shared
    page = browser.get(reverse("intake:story")).content.decode()
    assert "Shared on " in page
    assert ", edited since" not in page
    assert "Your clinician sees your story as it is now." in page


def test_unsharing_takes_it_back_and_keeps_the_draft(cast, as_user):
    write_story(cast.enrollment, {"cost": {"text": "Sleep", "wanted": "Mornings"}})
    services.share_story(enrollment=cast.enrollment, by=cast.client)
    browser = as_user(cast.client)
    response = browser.post(SHARE, {"action": "unshare"}, follow=True)
    assert "Your clinician can no longer see your story" in response.content.decode()
    story = services.story_of(cast.enrollment)
    assert story.shared_at is None and story.shared_json == ""
    assert story.draft == {"cost": {"text": "Sleep", "wanted": "Mornings"}}
    page = as_user(cast.clinician).get(record_story_url(cast)).content.decode()
    assert "Sleep" not in page and "Mornings" not in page
    assert cast.enrollment.timeline.filter(kind="intake.story_unshared").count() == 1


def test_nothing_to_share_and_nonsense_actions_get_a_plain_message(cast, as_user):
    browser = as_user(cast.client)
    page = browser.post(SHARE, {"action": "share"}, follow=True).content.decode()
    assert "Write at least one part of your story before sharing it." in page
    page = browser.post(SHARE, {"action": "unshare"}, follow=True).content.decode()
    assert "Your story is not shared at the moment." in page
    page = browser.post(SHARE, {"action": "publish"}, follow=True).content.decode()
    assert "That did not work. Nothing was changed." in page
    assert services.story_of(cast.enrollment).pk is None


@pytest.mark.parametrize("role", ["clinician", "other_clinician", "admin", "ally_all"])
def test_only_the_client_can_share_or_write(cast, as_user, role):
    write_story(cast.enrollment, {"began": {"text": "Mine"}})
    browser = as_user(getattr(cast, role))
    assert browser.post(SHARE, {"action": "share"}).status_code in (403, 404)
    assert browser.post(part_url(1), {"text": "Not mine"}).status_code in (403, 404)
    story = services.story_of(cast.enrollment)
    assert not story.is_shared
    assert story.draft == {"began": {"text": "Mine"}}


def test_the_shared_story_is_only_for_the_clients_own_clinician(cast, as_user):
    write_story(cast.enrollment, {"began": {"text": "Mine"}})
    services.share_story(enrollment=cast.enrollment, by=cast.client)
    for role in ("other_clinician", "foreign_clinician", "admin", "ally_all"):
        response = as_user(getattr(cast, role)).get(record_story_url(cast))
        assert response.status_code in (403, 404), role
