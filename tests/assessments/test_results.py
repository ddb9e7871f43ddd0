"""Results: the score and band, the history as an accessible chart and a table, the change."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.assessments.helpers import (
    PHQ9_8,
    PHQ9_15,
    PHQ9_17,
    assign,
    completed,
    page,
    sign_in,
    table_rows,
)
from waypost.assessments import results, services
from waypost.assessments.models import ClinicMeasureSettings
from waypost.core.models import AuditEvent

pytestmark = pytest.mark.django_db

RECOVERED_IN_PLAIN_WORDS = (
    "A real improvement, not a day-to-day wobble, and now in the range "
    "most people without these difficulties score in"
)


@pytest.fixture
def falling(cast):
    """PHQ-9 falling from 17 to 15 to 8 over twelve weeks, like the demo's client 3."""
    now = timezone.now()
    return [
        completed(cast, PHQ9_17, at=now - timedelta(weeks=12)),
        completed(cast, PHQ9_15, at=now - timedelta(weeks=6)),
        completed(cast, PHQ9_8, at=now - timedelta(days=1)),
    ]


def _tag(html: str, name: str) -> str:
    """The first ``<name>`` element; for ``svg``, the first chart (not the header's icons)."""
    attributes = r'[^>]*role="img"[^>]*' if name == "svg" else r"[^>]*"
    match = re.search(rf"<{name}\b{attributes}>(.*?)</{name}>", html, re.S)
    assert match, f"no <{name}> in the page"
    return match.group(0)


# --- the client's result and history ---------------------------------------------------


def test_the_result_shows_the_score_the_band_and_the_change_since_the_first(cast, client, falling):
    browser = sign_in(client, cast.client)
    html = page(browser.get(reverse("assessments:result", args=[falling[-1].pk])))
    assert '<span class="stat">8</span>' in html
    assert "This is in the range called <strong>Mild</strong>." in html
    assert (
        f"Compared with your first score (17): <strong>{RECOVERED_IN_PLAIN_WORDS}</strong>."
    ) in html
    assert reverse("assessments:history", args=["phq-9"]) in html


def test_a_first_result_has_no_change_and_no_history_link(cast, client):
    form = completed(cast, PHQ9_15)
    html = page(sign_in(client, cast.client).get(reverse("assessments:result", args=[form.pk])))
    assert '<span class="stat">15</span>' in html
    assert "Moderately severe" in html
    assert "Compared with your first score" not in html
    assert reverse("assessments:history", args=["phq-9"]) not in html


def test_the_result_of_an_unfinished_form_leads_back_to_it(cast, client):
    form = assign(cast, "phq-9").forms.get()
    response = sign_in(client, cast.client).get(reverse("assessments:result", args=[form.pk]))
    assert response["Location"] == reverse("assessments:start", args=[form.pk])


def test_the_history_is_an_svg_image_with_a_title_and_a_description(cast, client, falling):
    # when the client opens their PHQ-9 history
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    # then the chart is an image named by its own title and description
    svg = _tag(html, "svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="trend-phq-9-title trend-phq-9-desc"' in svg
    assert '<title id="trend-phq-9-title">Mood questionnaire over time</title>' in svg
    desc = _tag(svg, "desc")
    assert 'id="trend-phq-9-desc"' in desc
    assert "3 scores from" in desc and "First 17, latest 8" in desc
    assert "on a scale from 0 to 27" in desc
    # and it draws one point per score, joined in time order
    assert svg.count('<circle class="dot"') == 3
    assert svg.count("<polyline") == 1
    assert "<script" not in svg


def test_a_single_score_is_one_point_without_a_line_or_a_verdict(cast, client):
    completed(cast, PHQ9_15)
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    svg = _tag(html, "svg")
    assert svg.count('<circle class="dot"') == 1 and "<polyline" not in svg
    assert ": 15, on a scale from 0 to 27" in _tag(svg, "desc")
    assert "1 score," in _tag(svg, "desc")
    assert "Since the first" not in html and '<p class="lead">' not in html


def test_the_history_table_lists_every_score_oldest_first_with_the_verdict(cast, client, falling):
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    table = _tag(html, "table")
    assert "Mood questionnaire scores, oldest first" in table
    header, *body = table_rows(table)
    assert header[:2] == ["Date", "Score"] and header[-1] == "Since the first"
    # then one row per score, oldest first, with its range and the change since the first
    assert [row[1] for row in body] == ["17", "15", "8"]
    assert ["Moderately severe" in row for row in body] == [True, True, False]
    assert "Mild" in body[2]
    assert [row[-1] for row in body] == ["—", "About the same", "Better, in the usual range"]
    # and the table region can be reached and named by keyboard and screen reader users
    assert (
        'class="table-wrap" tabindex="0" role="region" aria-label="Mood questionnaire scores"'
        in html
    )


def test_the_clinicians_table_keeps_the_exact_terms(cast, client, falling):
    measures = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    html = page(sign_in(client, cast.clinician).get(measures))
    header, *body = table_rows(_tag(html, "table"))
    assert [row[-1] for row in body] == ["—", "No reliable change", "Recovered"]
    assert 'aria-label="PHQ-9 scores"' in html
    assert '<title id="trend-phq-9-title">PHQ-9 over time</title>' in html


def _clinicians_measures(client, cast) -> str:
    url = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    return page(sign_in(client, cast.clinician).get(url))


def test_jacobson_truax_judges_phq_9_from_17_to_8_as_improved_and_recovered(cast, client, falling):
    # the clinic's default: the general-population norm in the PHQ-9 file
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    # the client reads it in plain words
    assert f"From 17 to 8: <strong>{RECOVERED_IN_PLAIN_WORDS}</strong>." in html
    assert "A change of more than 3.2 points is a real change, not a day-to-day wobble." in html
    # and the clinician in the exact terms
    clinicians = _clinicians_measures(client, cast)
    assert "<strong>Reliable improvement, now outside the clinical range</strong>" in clinicians
    assert (
        "A change of more than 3.2 points counts as reliable; 9.9 marks the clinical range "
        "(Jacobson and Truax)." in clinicians
    )
    assert results.history_for(cast.enrollment, "phq-9").change_method == "jacobson-truax"


def test_the_nhs_standard_judges_phq_9_from_17_to_8_as_improved_and_recovered(
    cast, client, falling
):
    ClinicMeasureSettings.objects.filter(clinic=cast.clinic).update(
        change_method=ClinicMeasureSettings.ChangeMethod.NHS
    )
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    assert f"From 17 to 8: <strong>{RECOVERED_IN_PLAIN_WORDS}</strong>." in html
    assert "A change of 6 points or more is a real change, not a day-to-day wobble." in html
    assert "NHS" not in html
    clinicians = _clinicians_measures(client, cast)
    assert (
        "A change of 6 points or more counts as reliable; 10 marks the clinical range "
        "(NHS Talking Therapies)." in clinicians
    )
    history = results.history_for(cast.enrollment, "phq-9")
    assert history.change_method == "nhs-talking-therapies"
    assert (history.change.verdict, history.change.recovered) == ("improved", True)
    assert history.arrow == "↓"


@pytest.mark.parametrize(
    ("before", "after", "verdict", "in_plain_words"),
    [
        # 17 -> 15: two points, under the six the NHS standard asks for
        (
            PHQ9_17,
            PHQ9_15,
            "No reliable change yet",
            "About the same so far: within the usual ups and downs",
        ),
        # 8 -> 15: seven points worse
        (
            PHQ9_8,
            PHQ9_15,
            "Reliable worsening",
            "Harder than at first, by more than a day-to-day wobble: "
            "worth talking over with your clinician",
        ),
        # 17 -> 11: six points better but still at or above 10, so not recovered
        (
            PHQ9_17,
            [2, 2, 2, 1, 1, 1, 1, 1, 0],
            "Reliable improvement",
            "A real improvement, not a day-to-day wobble",
        ),
    ],
)
def test_the_verdict_in_words(cast, client, before, after, verdict, in_plain_words):
    now = timezone.now()
    completed(cast, before, at=now - timedelta(weeks=4))
    completed(cast, after, at=now - timedelta(days=1))
    # the client reads the verdict in plain words
    html = page(sign_in(client, cast.client).get(reverse("assessments:history", args=["phq-9"])))
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert f"<strong>{in_plain_words}</strong>" in lead
    if verdict == "Reliable improvement":
        assert "usual range" not in lead and "most people" not in lead
    # and the clinician in the exact terms
    assert f"<strong>{verdict}</strong>" in _clinicians_measures(client, cast)


def test_a_small_change_has_no_arrow_on_the_record(cast, client):
    now = timezone.now()
    completed(cast, PHQ9_17, at=now - timedelta(weeks=4))
    completed(cast, PHQ9_15, at=now - timedelta(days=1))
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("caseload:record", args=[cast.enrollment.pk])))
    panel = html[html.index('id="measures-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert "<strong>PHQ-9</strong> 15" in panel
    assert "↓" not in panel and "↑" not in panel
    assert "From 17: No reliable change yet" in panel


def test_history_for_a_measure_never_completed_is_not_found(cast, client):
    browser = sign_in(client, cast.client)
    assert browser.get(reverse("assessments:history", args=["phq-9"])).status_code == 404
    assert browser.get(reverse("assessments:history", args=["no-such"])).status_code == 404


def test_a_client_sees_only_their_own_history(cast, client, falling):
    browser = sign_in(client, cast.foreign_client)
    assert browser.get(reverse("assessments:history", args=["phq-9"])).status_code == 404


def test_a_measure_without_change_figures_gets_no_verdict(cast):
    # given WHO-5 rising from 20 to 60
    now = timezone.now()
    completed(cast, [1, 1, 1, 1, 1], instrument_id="who-5", at=now - timedelta(weeks=6))
    completed(cast, [3, 3, 3, 3, 3], instrument_id="who-5", at=now - timedelta(days=1))
    history = results.history_for(cast.enrollment, "who-5")
    assert [f.total for f in history.forms] == [20, 60]
    # then, as WHO-5's file gives no reliability, norms or service standard, no verdict
    # (and no arrow) is invented
    assert history.change is None and history.arrow == "" and history.verdict_text == ""


# --- the clinician's side --------------------------------------------------------------


def test_the_clinicians_measures_page_shows_latest_scores_arrows_and_exports(cast, client, falling):
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("assessments:clinician_measures", args=[cast.enrollment.pk])))
    assert "Measures: Sam Client" in html
    assert '<span class="arrow" aria-hidden="true">↓</span>' in html
    assert "Latest 8 on" in html and "(Mild)" in html
    assert "since the first (17)" in html
    assert 'role="img"' in html
    for form in falling:
        assert reverse("assessments:clinician_form", args=[cast.enrollment.pk, form.pk]) in html
        assert (
            reverse("assessments:clinician_export_response", args=[cast.enrollment.pk, form.pk])
            in html
        )


def test_viewing_the_measures_page_is_audited(cast, client, falling):
    browser = sign_in(client, cast.clinician)
    url = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    browser.get(url)
    event = AuditEvent.objects.get(what="measures")
    assert (event.actor, event.client, event.action, event.path) == (
        cast.clinician,
        cast.client,
        "view",
        url,
    )


def test_viewing_a_forms_answers_is_audited_and_shows_each_answer(cast, client, falling):
    browser = sign_in(client, cast.clinician)
    url = reverse("assessments:clinician_form", args=[cast.enrollment.pk, falling[0].pk])
    html = page(browser.get(url))
    assert "PHQ-9 · Sam Client" in html
    assert "<dd>17 (Moderately severe)</dd>" in html
    assert html.count("<strong>Nearly every day</strong>") == 3
    assert "needs attention" not in html
    event = AuditEvent.objects.get(what="measure answers")
    assert (event.actor, event.client, event.action, event.path) == (
        cast.clinician,
        cast.client,
        "view",
        url,
    )


def test_the_client_looking_at_their_own_results_is_not_audited(cast, client, falling):
    browser = sign_in(client, cast.client)
    browser.get(reverse("assessments:measures"))
    browser.get(reverse("assessments:history", args=["phq-9"]))
    browser.get(reverse("assessments:result", args=[falling[0].pk]))
    assert not AuditEvent.objects.filter(client=cast.client).exclude(actor=cast.clinician).exists()


def test_the_record_panel_shows_the_latest_score_the_arrow_and_what_is_open(cast, client, falling):
    # given a WHO-5 also waiting, closing within a day
    assign(cast, "who-5", window_days=1)
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("caseload:record", args=[cast.enrollment.pk])))
    panel = html[html.index('id="measures-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert '<strong>PHQ-9</strong> 8 <span aria-hidden="true">↓</span>' in panel
    assert "(Mild)" in panel
    assert "From 17: Reliable improvement, now outside the clinical range" in panel
    assert "Open now: WHO-5" in panel
    assert '<span class="badge badge-warn">closes within a day</span>' in panel
    assert "missed" not in panel
    assert reverse("assessments:clinician_measures", args=[cast.enrollment.pk]) in panel


def test_the_record_panel_lists_forms_that_closed_without_answers(cast, client):
    # given a GAD-7 that closed unanswered yesterday
    now = timezone.now()
    assign(cast, "gad-7", window_days=2, at=now - timedelta(days=3))
    services.expire_closed_forms(now=now)
    html = page(
        sign_in(client, cast.clinician).get(reverse("caseload:record", args=[cast.enrollment.pk]))
    )
    panel = html[html.index('id="measures-panel"') :]
    panel = panel[: panel.index("</section>")]
    assert "Closed without answers (missed) recently: GAD-7 (" in panel


def test_the_record_panel_says_when_nothing_is_completed(cast, client):
    browser = sign_in(client, cast.clinician)
    html = page(browser.get(reverse("caseload:record", args=[cast.enrollment.pk])))
    panel = html[html.index('id="measures-panel"') :]
    assert "No questionnaires completed yet." in panel[: panel.index("</section>")]


def test_the_clinicians_page_lists_open_and_recently_expired_forms(cast, client):
    # given one form waiting and one that closed unanswered
    now = timezone.now()
    assign(cast, "gad-7", window_days=2, at=now - timedelta(days=3))
    services.expire_closed_forms(now=now)
    assign(cast, "phq-9", window_days=7)
    html = page(
        sign_in(client, cast.clinician).get(
            reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
        )
    )
    waiting = html[html.index('id="waiting-heading"') :]
    waiting = waiting[: waiting.index("</section>")]
    assert "<strong>PHQ-9</strong>" in waiting
    assert "Closed without answers (missed) recently: GAD-7" in waiting


def test_the_client_can_go_back_to_any_past_result_from_the_table(cast, client, falling):
    browser = sign_in(client, cast.client)
    table = _tag(page(browser.get(reverse("assessments:history", args=["phq-9"]))), "table")
    for form in falling:
        url = reverse("assessments:result", args=[form.pk])
        assert f'<a href="{url}">' in table
        assert browser.get(url).status_code == 200
    # the clinician's copy of the table does not link to the client's pages
    measures = reverse("assessments:clinician_measures", args=[cast.enrollment.pk])
    clinician_table = _tag(page(sign_in(client, cast.clinician).get(measures)), "table")
    assert reverse("assessments:result", args=[falling[0].pk]) not in clinician_table
