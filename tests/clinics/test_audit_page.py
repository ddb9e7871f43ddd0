"""The clinic admin reads the audit trail: who viewed or changed which client's data."""

from __future__ import annotations

from django.urls import reverse

from waypost.core.audit import record_access
from waypost.core.models import AuditEvent


def _url(cast) -> str:
    return reverse("clinics:audit", kwargs={"slug": cast.clinic.slug})


def test_the_trail_shows_who_what_and_which_client_newest_first(cast, as_admin):
    # given: the clinician moved the client to stage 2 in the cast; now they look
    record_access(actor=cast.clinician, enrollment=cast.enrollment, action="view", what="notes")
    # when
    response = as_admin.get(_url(cast))
    # then
    rows = list(response.context["page"])
    assert rows[0].what == "notes"
    assert rows[1].what == "stage"
    body = response.content.decode()
    assert "Cleo Clinician" in body
    assert "Sam Client" in body
    assert "viewed" in body
    assert "changed" in body


def test_the_trail_holds_nothing_from_another_clinic(cast, as_admin):
    # given
    record_access(
        actor=cast.foreign_clinician,
        enrollment=cast.foreign_enrollment,
        action="view",
        what="south record",
    )
    # when
    body = as_admin.get(_url(cast)).content.decode()
    # then
    assert "south record" not in body
    assert "Fay Faraway" not in body


def test_the_trail_is_filtered_by_actor_and_by_client(cast, as_admin):
    # given
    record_access(actor=cast.admin, enrollment=cast.enrollment, action="change", what="x")
    # when
    by_admin = as_admin.get(_url(cast), {"actor": cast.admin.pk})
    by_client = as_admin.get(_url(cast), {"client": cast.client.pk, "actor": ""})
    # then
    assert [e.what for e in by_admin.context["page"]] == ["x"]
    assert len(by_client.context["page"]) == 2


def test_an_unknown_person_in_the_filter_shows_a_message_and_everything(cast, as_admin):
    # when
    response = as_admin.get(_url(cast), {"actor": cast.foreign_clinician.pk})
    # then
    assert response.status_code == 200
    assert "isn&#x27;t in this clinic&#x27;s trail" in response.content.decode()
    assert len(response.context["page"]) == 1


def test_nonsense_in_the_filter_or_page_is_not_an_error(cast, as_admin):
    # when
    response = as_admin.get(_url(cast), {"client": "abc", "page": "zzz"})
    # then
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_the_trail_shows_fifty_a_page(cast, as_admin):
    # given: 60 more events
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=cast.clinician,
            clinic=cast.clinic,
            client=cast.client,
            action="view",
            what=f"view {n}",
        )
        for n in range(60)
    )
    # when
    first = as_admin.get(_url(cast))
    second = as_admin.get(_url(cast), {"page": 2, "actor": cast.clinician.pk})
    # then
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert len(second.context["page"]) == 11
    assert f"actor={cast.clinician.pk}&amp;page=1" in second.content.decode()


def test_the_admin_of_another_clinic_cannot_read_it(cast, as_south_admin):
    assert as_south_admin.get(_url(cast)).status_code == 403


def test_a_clinician_of_the_clinic_cannot_read_it(cast, client):
    client.force_login(cast.clinician)
    assert client.get(_url(cast)).status_code == 403


def test_a_refused_attempt_reads_as_words_and_stands_out(cast, as_admin, client):
    # given a colleague who tried to open the client's record and was turned away
    client.force_login(cast.other_clinician)
    assert client.get(reverse("caseload:record", args=[cast.enrollment.pk])).status_code == 404
    # when the admin reads the trail
    response = as_admin.get(_url(cast))
    # then the newest line says who was refused what, of which client
    [row] = [e for e in response.context["page"] if e.action == "refused"]
    assert (row.actor, row.client, row.what) == (cast.other_clinician, cast.client, "client record")
    body = response.content.decode()
    assert '<span class="badge badge-warn nowrap">was refused</span>' in body
    assert "<td>Client record</td>" in body
    assert "Otto Other" in body


def test_the_trail_can_show_only_refused_attempts(cast, as_admin, client):
    # given one refused attempt, among the views and changes of the cast
    client.force_login(cast.foreign_clinician)
    client.get(reverse("caseload:record", args=[cast.enrollment.pk]))
    as_admin.get(reverse("clinics:roster", kwargs={"slug": cast.clinic.slug}))
    # when the admin chooses "Refused attempts"
    response = as_admin.get(_url(cast), {"action": "refused"})
    # then only that one shows, and the filter can be cleared
    assert [(e.actor, e.action) for e in response.context["page"]] == [
        (cast.foreign_clinician, "refused")
    ]
    assert "Show everything" in response.content.decode()


def test_listed_clients_read_as_words(cast, as_admin):
    as_admin.get(reverse("clinics:roster", kwargs={"slug": cast.clinic.slug}))
    body = as_admin.get(_url(cast), {"action": "view"}).content.decode()
    assert "Listed on the clinic&#x27;s client list" in body


def test_an_unknown_action_in_the_filter_shows_a_message_and_everything(cast, as_admin):
    response = as_admin.get(_url(cast), {"action": "delete"})
    assert response.status_code == 200
    assert "There is no such choice. Showing everything instead." in response.content.decode()
    assert len(response.context["page"]) == 1
