"""The demo's measure histories show something real: a verdict, a trend, nothing in the future."""

from __future__ import annotations

import subprocess
import sys

import pytest

from waypost.assessments import results

pytestmark = pytest.mark.django_db


def test_client_3s_phq9_falls_from_17_to_8_over_twelve_weeks(demo):
    now, client = demo
    history = results.history_for(client(3), "phq-9")
    totals = [form.total for form in history.forms]
    assert totals[0] == 17 and totals[6] == 8
    assert (history.forms[6].completed_at - history.forms[0].completed_at).days == 12 * 7
    # judged by the clinic's default rule: a reliable improvement out of the clinical range
    assert history.change_method == "jacobson-truax"
    assert history.change.recovered and history.arrow == "↓"
    assert "<polyline" in history.chart
    # and the recent form with question 9 above zero is among them
    assert any("critical:phq9-9" in form.flags for form in history.forms)


def test_every_demo_client_has_a_history_and_none_of_it_is_in_the_future(demo):
    now, client = demo
    for n in (1, 2, 3, 4):
        histories = results.histories(client(n))
        assert histories, f"client {n} has no measures"
        for history in histories:
            for form in history.forms:
                assert form.completed_at <= now
    # client 4's long road shows a verdict too
    assert results.history_for(client(4), "phq-9").change.verdict == "improved"


def test_the_scoring_module_imports_without_django():
    # the pure module must stay usable by researchers' scripts with no settings at all
    code = (
        "import sys; import waypost.assessments.scoring as s; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
