"""Every save of the safety plan is a new version; older ones stay readable; text is encrypted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.safety.conftest import raw_column
from waypost.core.models import AuditEvent
from waypost.safety import services
from waypost.safety.models import SafetyPlan
from waypost.safety.plan_content import Contact

pytestmark = pytest.mark.django_db


def test_each_save_makes_a_new_version_and_keeps_the_old_one(cast, plan_content):
    # given a plan the client wrote
    first = services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    # when they add a reason and save again
    second = services.save_plan(
        enrollment=cast.enrollment,
        content={**plan_content, "reasons": ["Walking my niece to school", "My garden"]},
        by=cast.client,
    )
    # then there are two versions, the newest is the latest, the first is unchanged
    assert (first.version, second.version) == (1, 2)
    assert services.latest_plan(cast.enrollment).pk == second.pk
    assert SafetyPlan.objects.get(pk=first.pk).items("reasons") == ["Walking my niece to school"]
    assert [p.version for p in services.plan_versions(cast.enrollment)] == [2, 1]
    assert not second.in_session and second.saved_by == cast.client


def test_the_clinician_saving_marks_it_as_written_together_and_is_audited(cast, plan_content):
    # when the primary clinician saves the plan
    plan = services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.clinician)
    # then it is marked as written in session, on the timeline and in the audit trail
    assert plan.in_session and plan.saved_by == cast.clinician
    event = cast.enrollment.timeline.filter(kind="safety.plan_saved").get()
    assert event.summary == "Safety plan written in session"
    assert AuditEvent.objects.filter(
        actor=cast.clinician, client=cast.client, action="change", what="safety plan"
    ).exists()


def test_saving_the_same_plan_twice_makes_no_duplicate_version(cast, plan_content):
    # given a saved plan
    first = services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    # when the same content is submitted again (a double tap or a retry)
    again = services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    # then no new version is made
    assert again.pk == first.pk
    assert SafetyPlan.objects.filter(enrollment=cast.enrollment).count() == 1


def test_the_plan_is_encrypted_at_rest(cast, plan_content):
    plan = services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    raw = raw_column("safety_safetyplan", "content", plan.pk)
    assert raw.startswith("fernet:")
    assert "Aunt Lina" not in raw and "niece" not in raw and "9123" not in raw
    assert SafetyPlan.objects.get(pk=plan.pk).items("helpers")[0] == Contact(
        "Aunt Lina", "9123 4567"
    )


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "ally_all"])
def test_nobody_else_may_save_a_plan(cast, plan_content, who):
    with pytest.raises(PermissionDenied):
        services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.role(who))
    assert not SafetyPlan.objects.exists()


def test_an_empty_plan_is_refused_and_nothing_is_saved(cast):
    with pytest.raises(services.SafetyPlanError, match="The plan is empty"):
        services.save_plan(enrollment=cast.enrollment, content={"coping": [" "]}, by=cast.client)
    assert not SafetyPlan.objects.exists()


def test_the_client_writes_the_plan_one_item_per_line(cast, as_user):
    # given the client on the edit page
    browser = as_user(cast.client)
    assert browser.get(reverse("safety:my_plan_edit")).status_code == 200
    # when they type a few lines and save
    response = browser.post(
        reverse("safety:my_plan_edit"),
        {
            "reasons": "My garden\n\n- My sister",
            "helpers": "Aunt Lina, 9123 4567\nJun",
            "coping": "",
        },
    )
    # then the plan is saved and their page shows it with a tap-to-call link
    assert response.status_code == 302 and response["Location"] == reverse("safety:my_plan")
    page = browser.get(reverse("safety:my_plan")).content.decode()
    assert "My garden" in page and "My sister" in page
    assert 'href="tel:91234567"' in page
    assert "Version 1, saved by you" in page


def test_the_edit_box_starts_with_the_current_plan(cast, as_user, plan_content):
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.client)
    page = as_user(cast.client).get(reverse("safety:my_plan_edit")).content.decode()
    assert "Aunt Lina, 9123 4567\nJun</textarea>" in page


def test_bad_input_gets_a_plain_message_and_changes_nothing(cast, as_user):
    browser = as_user(cast.client)
    empty = browser.post(reverse("safety:my_plan_edit"), {"reasons": "  \n "})
    assert empty.status_code == 400
    assert "The plan is empty" in empty.content.decode()
    too_many = browser.post(
        reverse("safety:my_plan_edit"), {"coping": "\n".join(f"idea {n}" for n in range(30))}
    )
    assert too_many.status_code == 400
    assert "keep it to 20 or fewer" in too_many.content.decode()
    huge = browser.post(reverse("safety:my_plan_edit"), {"coping": "x" * 100_000})
    assert huge.status_code == 400
    assert not SafetyPlan.objects.exists()


def test_older_versions_are_viewable_and_say_so(cast, as_user, plan_content):
    # given two versions
    services.save_plan(enrollment=cast.enrollment, content=plan_content, by=cast.clinician)
    services.save_plan(
        enrollment=cast.enrollment, content={**plan_content, "coping": ["Run"]}, by=cast.client
    )
    browser = as_user(cast.client)
    # when the client opens the plan, then version 1
    current = browser.get(reverse("safety:my_plan")).content.decode()
    old = browser.get(reverse("safety:my_plan_version", args=[1])).content.decode()
    # then the list links version 1, which shows the first text and who wrote it
    assert reverse("safety:my_plan_version", args=[1]) in current
    assert "Run" in current and "Cold shower" not in current
    assert "This is an earlier version" in old and "Cold shower" in old
    assert "written with Cleo Clinician in session" in old
    assert browser.get(reverse("safety:my_plan_version", args=[9])).status_code == 404


def test_the_clinician_edits_in_session_and_every_view_is_audited(cast, as_user):
    browser = as_user(cast.clinician)
    url = reverse("safety:client_plan_edit", args=[cast.enrollment.pk])
    # when the clinician opens the edit page and saves
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"warning_signs": "Skipping lunch"})
    assert response.status_code == 302
    browser.get(reverse("safety:client_plan", args=[cast.enrollment.pk]))
    browser.get(reverse("safety:client_plan_version", args=[cast.enrollment.pk, 1]))
    # then the plan is marked as written together, and each view and change was recorded
    assert services.latest_plan(cast.enrollment).in_session
    whats = list(
        AuditEvent.objects.filter(actor=cast.clinician, client=cast.client)
        .order_by("id")
        .values_list("action", "what")
    )
    assert ("view", "safety plan") in whats
    assert ("change", "safety plan") in whats
    assert ("view", "safety plan version: 1") in whats


@pytest.mark.parametrize("who", ["other_clinician", "foreign_clinician", "admin", "client"])
def test_the_clinician_pages_refuse_everyone_else_even_by_post(cast, as_user, who):
    url = reverse("safety:client_plan_edit", args=[cast.enrollment.pk])
    response = as_user(cast.role(who)).post(url, {"reasons": "Sneaky"})
    assert response.status_code in (403, 404)
    assert not SafetyPlan.objects.exists()


def test_a_clinician_cannot_reach_another_clinicians_client_plan(cast, as_user):
    url = reverse("safety:client_plan", args=[cast.foreign_enrollment.pk])
    assert as_user(cast.clinician).get(url).status_code == 404


def test_an_empty_save_says_what_is_missing(cast, client):
    from django.urls import reverse

    client.force_login(cast.client)
    response = client.post(reverse("safety:my_plan_edit"), {})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
