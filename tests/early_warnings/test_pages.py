"""Today's nudge and "thanks, noted", the record card, the caseload column, the clinic page."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.early_warnings.helpers import NOW, check_in, counting_since
from waypost.recovery.warnings import services
from waypost.recovery.warnings.models import ClinicRuleSetting, EarlyWarning

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(cast):
    with time_machine.travel(NOW, tick=False):
        counting_since(cast.enrollment)
        for n in (1, 2, 3, 4):
            check_in(cast.enrollment, n)
        services.evaluate()
        yield EarlyWarning.objects.get(enrollment=cast.enrollment)


def _initial(form) -> dict:
    """The form as shown (an unticked box is left out, as a browser does)."""
    return {name: f.initial for name, f in form.fields.items() if f.initial is not False}


def _as(client, user):
    client.force_login(user)
    return client


def test_today_shows_a_kind_nudge_linking_to_the_plan_and_toolbox(cast, client, warned):
    page = _as(client, cast.client).get(reverse("program:today")).content.decode()
    assert "Something worth a moment" in page
    assert "It has been a few days since your last check-in" in page
    assert reverse("recovery:prevention") in page and reverse("recovery:toolbox") in page
    assert "Thanks, noted" in page


def test_thanks_noted_hides_the_nudge_until_the_rule_fires_anew(cast, client, warned):
    browser = _as(client, cast.client)
    response = browser.post(reverse("early_warnings:note", args=[warned.pk]))
    assert response.status_code == 302
    assert "Something worth a moment" not in browser.get(reverse("program:today")).content.decode()
    warned.refresh_from_db()
    assert warned.dismissed_at is not None and warned.resolved_at is None
    # resolved, then firing anew: a new warning, shown again
    services.resolve(warning=warned, enrollment=cast.enrollment, now=NOW)
    services.evaluate()
    assert "Something worth a moment" in browser.get(reverse("program:today")).content.decode()


def test_today_costs_no_more_queries_with_warnings(cast, client, warned):
    browser = _as(client, cast.client)
    browser.get(reverse("program:today"))  # the first visit of a session writes more
    with CaptureQueriesContext(connection) as with_warning:
        browser.get(reverse("program:today"))
    EarlyWarning.objects.all().delete()
    with CaptureQueriesContext(connection) as without:
        browser.get(reverse("program:today"))
    assert len(with_warning.captured_queries) == len(without.captured_queries) <= 8


def test_the_record_card_names_the_rule_and_its_numbers(cast, client, warned):
    page = (
        _as(client, cast.clinician)
        .get(reverse("caseload:record", args=[cast.enrollment.pk]))
        .content.decode()
    )
    assert 'id="early-warnings"' in page
    assert "Check-ins missed" in page and "days without a check-in" in page


def test_the_caseload_column_names_the_rule_in_flat_queries(cast, client, warned):
    from waypost.core.columns import all_columns
    from waypost.program.models import Enrollment

    column = next(c for c in all_columns() if c.key == "early_warnings")
    rows = list(Enrollment.objects.all())
    with CaptureQueriesContext(connection) as seen:
        cells = column.cells(rows)
    assert len(seen.captured_queries) == 1
    assert cells[cast.enrollment.pk].text == "Check-ins missed"
    assert cells[cast.enrollment.pk].attention
    page = _as(client, cast.clinician).get(reverse("caseload:list")).content.decode()
    assert "Early warnings" in page and "Check-ins missed" in page


def test_the_clinic_admin_tunes_the_rules(cast, client):
    browser = _as(client, cast.admin)
    url = reverse("early_warnings:clinic_settings", args=[cast.clinic.slug])
    page = browser.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: field.initial for name, field in form.fields.items() if field.initial is not False
    }
    data["recovery__check_ins_missed__missed_days"] = 5
    data.pop("recovery__urge_rising__enabled")
    assert browser.post(url, data).status_code == 302
    saved = ClinicRuleSetting.objects.get(clinic=cast.clinic, rule="recovery.check_ins_missed")
    assert saved.params["missed_days"] == 5 and saved.enabled
    assert not ClinicRuleSetting.objects.get(
        clinic=cast.clinic, rule="recovery.urge_rising"
    ).enabled


def test_a_value_out_of_range_saves_nothing(cast, client):
    browser = _as(client, cast.admin)
    url = reverse("early_warnings:clinic_settings", args=[cast.clinic.slug])
    form = browser.get(url).context["form"]
    data = {
        name: field.initial for name, field in form.fields.items() if field.initial is not False
    }
    data["recovery__check_ins_missed__missed_days"] = 99
    response = browser.post(url, data)
    assert response.status_code == 400
    assert not ClinicRuleSetting.objects.exists()


@pytest.mark.parametrize(
    ("rule", "days"),
    [
        ("recovery__check_ins_missed", "missed_days"),
        ("recovery__middle_circle", "min_days"),
        ("recovery__urge_rising", "min_days"),
    ],
)
def test_more_days_than_the_window_holds_is_refused_and_saves_nothing(cast, client, rule, days):
    # given a clinic admin on the rules page
    browser = _as(client, cast.admin)
    url = reverse("early_warnings:clinic_settings", args=[cast.clinic.slug])
    form = browser.get(url).context["form"]
    data = {
        name: field.initial for name, field in form.fields.items() if field.initial is not False
    }
    # when they ask for more days than the window they count in (the rule would never fire)
    data[f"{rule}__window_days"] = 5
    data[f"{rule}__{days}"] = 6
    response = browser.post(url, data)
    # then nothing is saved, and the page says why beside that number
    assert response.status_code == 400
    assert not ClinicRuleSetting.objects.exists()
    assert "would never fire" in str(response.context["form"].errors[f"{rule}__{days}"])
    # and at the window's own size it is saved
    data[f"{rule}__{days}"] = 5
    assert browser.post(url, data).status_code == 302
