"""The clinic admin keeps the crisis lines clients see under "Get help now"."""

from __future__ import annotations

from django.urls import reverse

from waypost.clinics.models import CrisisLine


def _names(clinic) -> list[str]:
    return list(clinic.crisis_lines.order_by("position", "id").values_list("name", flat=True))


def _list_url(clinic) -> str:
    return reverse("clinics:crisis_lines", kwargs={"slug": clinic.slug})


def _line_url(name: str, line) -> str:
    return reverse(f"clinics:{name}", kwargs={"slug": line.clinic.slug, "line_id": line.pk})


def test_the_admin_adds_a_line_at_the_end_and_it_shows_on_help(cast, as_admin):
    # when
    response = as_admin.post(
        _list_url(cast.clinic),
        {"name": "Night chat", "text": "Chat at night.example", "hours": "22:00-06:00"},
        follow=True,
    )
    # then
    assert response.status_code == 200
    assert _names(cast.clinic) == ["North crisis line", "Night chat"]
    assert "Night chat" in as_admin.get(reverse("help")).content.decode()


def test_a_line_without_any_way_to_reach_it_is_refused(cast, as_admin):
    # when
    response = as_admin.post(_list_url(cast.clinic), {"name": "Nowhere"})
    # then
    assert response.status_code == 400
    assert "Please add a phone number" in response.content.decode()
    assert _names(cast.clinic) == ["North crisis line"]


def test_a_bad_website_address_is_refused(cast, as_admin):
    # when
    response = as_admin.post(_list_url(cast.clinic), {"name": "Site", "url": "not a url"})
    # then
    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert _names(cast.clinic) == ["North crisis line"]


def test_the_admin_edits_a_line(cast, as_admin):
    # given
    line = cast.clinic.crisis_lines.get()
    # when
    as_admin.post(_line_url("crisis_line_edit", line), {"name": "North line", "phone": "1800 000"})
    # then
    line.refresh_from_db()
    assert (line.name, line.phone, line.hours) == ("North line", "1800 000", "")


def test_an_edit_that_empties_the_name_changes_nothing(cast, as_admin):
    # given
    line = cast.clinic.crisis_lines.get()
    # when
    response = as_admin.post(_line_url("crisis_line_edit", line), {"name": "", "phone": "1"})
    # then
    assert response.status_code == 400
    line.refresh_from_db()
    assert (line.name, line.phone) == ("North crisis line", "1767")


def test_removing_a_line_asks_first_then_removes_it(cast, as_admin):
    # given
    line = cast.clinic.crisis_lines.get()
    # when
    question = as_admin.get(_line_url("crisis_line_delete", line))
    # then
    assert question.status_code == 200
    assert "only crisis line" in question.content.decode()
    assert CrisisLine.objects.filter(pk=line.pk).exists()
    # when
    as_admin.post(_line_url("crisis_line_delete", line))
    # then
    assert not CrisisLine.objects.filter(pk=line.pk).exists()


def test_lines_move_up_and_down_and_stay_put_at_the_ends(cast, as_admin):
    # given
    for name in ("Second", "Third"):
        as_admin.post(_list_url(cast.clinic), {"name": name, "phone": "1"})
    third = cast.clinic.crisis_lines.get(name="Third")
    first = cast.clinic.crisis_lines.get(name="North crisis line")
    # when
    as_admin.post(_line_url("crisis_line_move", third), {"direction": "up"})
    # then
    assert _names(cast.clinic) == ["North crisis line", "Third", "Second"]
    # when
    as_admin.post(_line_url("crisis_line_move", first), {"direction": "up"})
    # then
    assert _names(cast.clinic) == ["North crisis line", "Third", "Second"]
    # when
    as_admin.post(_line_url("crisis_line_move", first), {"direction": "down"})
    # then
    assert _names(cast.clinic) == ["Third", "North crisis line", "Second"]
    assert list(cast.clinic.crisis_lines.values_list("position", flat=True)) == [0, 1, 2]


def test_a_nonsense_move_changes_nothing_and_says_so(cast, as_admin):
    # given
    as_admin.post(_list_url(cast.clinic), {"name": "Second", "phone": "1"})
    second = cast.clinic.crisis_lines.get(name="Second")
    # when
    response = as_admin.post(_line_url("crisis_line_move", second), {"direction": "sideways"})
    # then
    assert response.status_code == 302
    assert _names(cast.clinic) == ["North crisis line", "Second"]
    page = as_admin.get(_list_url(cast.clinic)).content.decode()
    assert "Please use the up and down buttons" in page


def test_another_clinics_line_is_not_found_for_the_admin(cast, as_admin):
    # given
    south_line = cast.other_clinic.crisis_lines.get()
    url = reverse("clinics:crisis_line_edit", kwargs={"slug": "north", "line_id": south_line.pk})
    # when
    response = as_admin.post(url, {"name": "Hijacked", "phone": "1"})
    # then
    assert response.status_code == 404
    south_line.refresh_from_db()
    assert south_line.name == "South crisis line"


def test_the_admin_of_another_clinic_cannot_touch_the_lines(cast, as_south_admin):
    # given
    line = cast.clinic.crisis_lines.get()
    # when
    added = as_south_admin.post(_list_url(cast.clinic), {"name": "Spam", "phone": "1"})
    deleted = as_south_admin.post(_line_url("crisis_line_delete", line))
    # then
    assert added.status_code == 403
    assert deleted.status_code == 403
    assert _names(cast.clinic) == ["North crisis line"]


def test_an_unknown_line_is_not_found(cast, as_admin):
    url = reverse("clinics:crisis_line_edit", kwargs={"slug": "north", "line_id": 999999})
    assert as_admin.get(url).status_code == 404
