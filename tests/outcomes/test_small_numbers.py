"""The small-number rule: nothing resting on fewer than 5 clients is shown, whether picked
directly (a small caseload, a small row) or worked out by taking one figure from another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine

from tests.cast import make_user
from tests.outcomes.helpers import (
    NOW,
    TODAY,
    a_client,
    an_alert,
    check_ins,
    outcomes_url,
    phq9,
)
from waypost.caseload.outcomes import checkins, measures, report, stages
from waypost.caseload.outcomes.scope import Scope, caseloads, choices, preset_period
from waypost.clinics.models import ClinicianProfile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _scope(cast, clinician=None) -> Scope:
    return Scope(cast.clinic, clinician, preset_period("90d", TODAY), NOW)


def _colleague(cast) -> ClinicianProfile:
    return ClinicianProfile.objects.get(user=cast.other_clinician)


def _third(cast) -> ClinicianProfile:
    return ClinicianProfile.objects.create(
        user=make_user("third@north.test", "Tess Third"), clinic=cast.clinic
    )


def _clients(cast, profile, n: int, **options) -> list:
    return [a_client(cast, profile=profile, **options) for _n in range(n)]


def _options(html: str) -> list[str]:
    select = re.search(r'<select id="outcomes-clinician".*?</select>', html, re.S)
    assert select, "no clients filter on the page"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def _cells(figure) -> list[list[str]]:
    """Each row's numbers, in order (by stage: 1 to 4)."""
    return [[cell.text for cell in row.cells] for row in figure.rows]


def _left_over(cast, offered) -> int:
    """How many clients taking the offered caseloads from the whole clinic leaves."""
    clients = caseloads(cast.clinic)
    everyone = set().union(*clients.values())
    return len(everyone.difference(*(clients.get(p.pk, set()) for p in offered)))


# --- fewer than 5 clients in all ----------------------------------------------------------


def test_fewer_than_five_clients_show_only_their_stages_and_say_why(cast, client):
    # Four clients with everything a figure could count: one person's data in each.
    for enrollment in [cast.enrollment, *_clients(cast, None, 3, joined=100, stages=((50, 2),))]:
        phq9(enrollment, (95, 20), (10, 8))
        check_ins(enrollment, [TODAY - timedelta(days=d) for d in range(1, 19)])
        an_alert(enrollment, raised=5, acknowledged_after=timedelta(hours=30))
    built = report.build(_scope(cast))
    assert built.held_back
    figures = {figure.key: figure for figure in built.figures}
    assert not figures["stages"].held_back
    assert figures["stages"].total.cells[0].text == "4"  # counts of clients by stage stay
    for key in ("time", "change", "completion", "adherence", "alerts"):
        figure = figures[key]
        assert figure.held_back and figure.empty.startswith("Fewer than 5 clients")
        assert (figure.rows, figure.total, figure.facts, str(figure.chart)) == ([], None, [], "")

    client.force_login(cast.admin)
    html = client.get(outcomes_url(cast)).content.decode()
    assert "so only how many are in each stage is shown" in html
    for said in ("<dt>Raised</dt>", "30 hours", "Began in the clinical range", "%"):
        assert said not in html.split('id="time"')[1], said


def test_five_clients_show_every_figure(cast):
    _clients(cast, None, 4)
    built = report.build(_scope(cast))
    assert not built.held_back
    assert not [figure.key for figure in built.figures if figure.held_back]


# --- rows resting on fewer than 5 clients -------------------------------------------------


def test_a_measure_judged_for_fewer_than_five_clients_says_fewer_than_5_in_every_column(cast):
    _clients(cast, None, 5)
    for enrollment in _clients(cast, None, 3, joined=210):
        phq9(enrollment, (200, 20), (10, 5))
    figure = report.change_figure(measures.measure_changes(_scope(cast)))
    # Not even "Began in the clinical range: 3" or how many were judged.
    assert figure.rows[0].label == "PHQ-9"
    assert _cells(figure) == [["fewer than 5"] * 5]
    assert all(cell.withheld for cell in figure.rows[0].cells)
    assert "%" not in figure.chart


def test_stage_lengths_of_fewer_than_five_clients_are_held_back_and_others_shown(cast):
    # Seven clients left Stage 1 in the period (the cast's and six more); five are in
    # Stage 2 now (the cast's since today), two left it and are in Stage 3.
    _clients(cast, None, 4, joined=60, stages=((30, 2),))
    _clients(cast, None, 2, joined=60, stages=((40, 2), (20, 3)))
    scope = _scope(cast)
    enrollments = stages.enrollments_counted(scope)
    times = stages.time_in_stage(scope, stages.all_stays(scope, enrollments))
    figure = report.time_figure(times)
    assert _cells(figure) == [
        ["7", "30 days", "0", "—"],
        ["fewer than 5", "fewer than 5", "5", "30 days"],
        ["0", "—", "fewer than 5", "fewer than 5"],
        ["0", "—", "0", "—"],  # nobody: nothing to hide
    ]
    assert "20 days" not in figure.chart


def test_adherence_of_a_stage_with_fewer_than_five_clients_is_held_back(cast):
    in_two = _clients(cast, None, 4, joined=60, stages=((20, 2),))  # five with the cast's
    in_three = _clients(cast, None, 1, joined=60, stages=((40, 2), (20, 3)))
    for enrollment in [*in_two, *in_three]:
        check_ins(enrollment, [TODAY - timedelta(days=d) for d in range(1, 11)])
    scope = _scope(cast)
    enrollments = stages.enrollments_counted(scope)
    rows, total = checkins.adherence(scope, enrollments, stages.all_stays(scope, enrollments))
    figure = report.adherence_figure(rows, total)
    # Stage 2 asked five clients for days (the cast's joined it today: nothing asked yet).
    assert _cells(figure) == [["5", "100", "40", "40%"], ["fewer than 5"] * 4, ["0", "0", "0", "—"]]
    assert [cell.text for cell in figure.total.cells] == ["5", "120", "50", "42%"]


# --- whose caseloads are offered ----------------------------------------------------------


def test_the_admin_is_not_offered_a_caseload_of_fewer_than_five(cast, client):
    colleague = _colleague(cast)
    _clients(cast, colleague, 6)
    _clients(cast, None, 3)  # four with the cast's client
    _clients(cast, _third(cast), 5)
    # Cleo's four are not offered; nor Tess's five, the smaller of the others (the clinic
    # less Otto's and Tess's would be Cleo's four), while Otto's are: the clinic less
    # theirs is nine.
    offered = choices(cast.admin, cast.clinic)
    assert offered.whole_clinic and [p.user.name for p in offered.clinicians] == ["Otto Other"]
    client.force_login(cast.admin)
    assert _options(client.get(outcomes_url(cast)).content.decode()) == [
        "Whole clinic",
        "Otto Other’s clients",
    ]
    # Asking for the small caseload anyway: the whole clinic, and said so.
    html = client.get(outcomes_url(cast, clinician=cast.clinician_profile.pk)).content.decode()
    assert "Those clients are not among the ones you can see" in html
    assert "Whole clinic ·" in html


def test_the_admin_is_not_offered_caseloads_whose_difference_from_the_clinic_is_small(cast):
    # Cleo 6, Otto 5, Tess 2: with Cleo's and Otto's on offer, the whole clinic less both
    # would be Tess's two clients; so Otto's (the smaller) is not offered either.
    colleague, third = _colleague(cast), _third(cast)
    _clients(cast, None, 5)
    _clients(cast, colleague, 5)
    _clients(cast, third, 2)
    offered = choices(cast.admin, cast.clinic)
    assert offered.clinicians == [cast.clinician_profile]
    assert _left_over(cast, offered.clinicians) == 7
    # Tess taking on three more: 5 each is enough on every side.
    _clients(cast, third, 3)
    offered = choices(cast.admin, cast.clinic)
    assert {p.pk for p in offered.clinicians} == {cast.clinician_profile.pk, colleague.pk, third.pk}
    assert _left_over(cast, offered.clinicians) == 0


def test_a_clinician_whose_colleagues_have_fewer_than_five_clients_sees_only_their_own(
    cast, client
):
    # Cleo 5, Otto 2: the whole clinic less "Your clients" would be Otto's two clients.
    _clients(cast, None, 4)
    theirs = _clients(cast, _colleague(cast), 2)
    for enrollment in theirs:
        an_alert(enrollment, raised=3, acknowledged_after=timedelta(hours=30))
    offered = choices(cast.clinician, cast.clinic)
    assert not offered.whole_clinic and offered.clinicians == [cast.clinician_profile]
    client.force_login(cast.clinician)
    html = client.get(outcomes_url(cast)).content.decode()
    assert _options(html) == ["Your clients"]
    assert "Your clients ·" in html and "Whole clinic" not in html
    assert "No risk alert was raised in this period." in html  # not the colleague's two
    # Asking for the whole clinic, or a colleague, by hand: their own clients, said so.
    asked = client.get(outcomes_url(cast, clinician=_colleague(cast).pk)).content.decode()
    assert "so these are your own clients’ figures" in asked.replace("&#x27;", "’")
    assert "Your clients ·" in asked


def test_a_clinician_sees_the_whole_clinic_when_their_colleagues_have_five_clients_or_none(cast):
    assert choices(cast.clinician, cast.clinic).whole_clinic  # nobody else's: nothing to find
    _clients(cast, _colleague(cast), 4)
    assert not choices(cast.clinician, cast.clinic).whole_clinic
    _clients(cast, _colleague(cast), 1)
    assert choices(cast.clinician, cast.clinic).whole_clinic
    # And the other clinician, with five, may not see the clinic less their own: one client.
    assert not choices(cast.other_clinician, cast.clinic).whole_clinic


def test_a_clinician_with_fewer_than_five_clients_is_told_their_figures_are_held_back(cast, client):
    _clients(cast, _colleague(cast), 2)  # so the whole clinic is not on offer
    client.force_login(cast.clinician)
    html = client.get(outcomes_url(cast)).content.decode()
    assert "Your clients ·" in html
    assert "so only how many are in each stage is shown" in html


@pytest.mark.parametrize(
    ("cleo", "otto", "tess"),
    [(1, 0, 0), (5, 1, 0), (5, 5, 1), (7, 5, 4), (5, 6, 7), (2, 2, 2), (9, 4, 0)],
)
def test_no_choice_leaves_one_to_four_clients_to_work_out_by_subtraction(cast, cleo, otto, tess):
    colleague, third = _colleague(cast), _third(cast)
    _clients(cast, None, cleo - 1)  # the cast's client is Cleo's
    _clients(cast, colleague, otto)
    _clients(cast, third, tess)
    sizes = {p: len(ids) for p, ids in caseloads(cast.clinic).items()}
    for user in (cast.admin, cast.clinician, cast.other_clinician, third.user):
        offered = choices(user, cast.clinic)
        if offered.whole_clinic and sum(sizes.values()) >= 5:  # else held back whole
            assert not 0 < _left_over(cast, offered.clinicians) < 5, (user, offered)
        if user == cast.admin:
            assert all(sizes[p.pk] >= 5 for p in offered.clinicians)
