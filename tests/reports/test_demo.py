"""The demo's reports: made by Dr Tan for client 3 and by client 4, each opening on real data."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_the_demo_has_reports_for_the_record_and_for_me(demo, client):
    _now, enrollment_of = demo
    farid, fourth = enrollment_of(3), enrollment_of(4)
    reports = ProgressReport.objects.filter(enrollment=farid).order_by("made_at")
    assert [r.purpose for r in reports] == ["client", "referral"]
    own = ProgressReport.objects.get(enrollment=fourth)
    assert own.made_by == fourth.client and own.sections == list(catalogue.KEYS)

    client.force_login(farid.primary_clinician.user)
    record = client.get(reverse("caseload:record", args=[farid.pk])).content.decode()
    assert reverse("reports:show", args=[reports.last().pk]) in record
    page = client.get(reverse("reports:show", args=[reports.last().pk])).content.decode()
    assert "Generalized Anxiety Disorder scale (GAD-7)" in page
    assert "Group sessions" in page and "Peer meetings" in page
    export = client.get(reverse("reports:export_json", args=[farid.pk]))
    assert json.loads(export.content)["fhir"]["entry"]

    client.force_login(fourth.client)
    me = client.get(reverse("accounts:account")).content.decode()
    assert reverse("reports:show", args=[own.pk]) in me
    page = client.get(reverse("reports:show", args=[own.pk])).content.decode()
    assert "Long-term goals" in page and "Working on it" in page
    pdf = client.get(reverse("reports:pdf", args=[own.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
