"""A clinician edits their own public profile, photo included."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.cast import make_user
from waypost.clinics.models import ClinicianProfile

URL = "/clinic/profile/"


def _picture(kind: str = "PNG", size=(8, 8), exif: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (60, 100, 100))
    options = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # camera make
        options["exif"] = data.tobytes()
    image.save(out, format=kind, **options)
    return out.getvalue()


def _form(**changes) -> dict:
    data = {
        "title": "Counselling psychologist",
        "languages": "English, Malay, english",
        "qualifications": "MA Counselling\n\n  Certified sex addiction therapist  \n",
        "years_experience": "12",
        "bio": "I listen first.",
        "listed": "on",
    }
    data.update(changes)
    return data


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_editor_is_filled_with_the_clinicians_own_profile(cast, client):
    # when
    response = _signed_in(client, cast.clinician).get(URL)
    # then
    assert response.status_code == 200
    assert response.context["profile"] == cast.clinician_profile
    assert b'value="English"' in response.content


def test_the_url_is_the_one_promised(cast):
    assert reverse("clinics:my_profile") == URL


def test_the_clinician_saves_their_profile_and_the_directory_shows_it(cast, client):
    # when
    response = _signed_in(client, cast.clinician).post(URL, _form())
    # then
    assert response.status_code == 302
    profile = ClinicianProfile.objects.get(pk=cast.clinician_profile.pk)
    assert profile.title == "Counselling psychologist"
    assert profile.languages == "English, Malay"
    assert profile.qualification_list == ["MA Counselling", "Certified sex addiction therapist"]
    assert profile.years_experience == 12
    page = client.get(reverse("clinics:specialist", args=["north", profile.pk])).content.decode()
    assert "Counselling psychologist" in page
    assert "Certified sex addiction therapist" in page


def test_leaving_the_directory_hides_the_profile_from_the_public(cast, client):
    # when
    _signed_in(client, cast.clinician).post(URL, _form(listed=""))
    client.logout()
    # then
    url = reverse("clinics:specialist", args=["north", cast.clinician_profile.pk])
    assert client.get(url).status_code == 404
    photo = reverse("clinics:photo", args=["north", cast.clinician_profile.pk])
    assert client.get(photo).status_code == 404


def test_a_real_photo_is_accepted_and_re_encoded_without_its_metadata(cast, client):
    # given
    upload = SimpleUploadedFile("me.jpg", _picture("JPEG", exif=True), "image/jpeg")
    # when
    response = _signed_in(client, cast.clinician).post(URL, {**_form(), "photo": upload})
    # then
    assert response.status_code == 302
    profile = ClinicianProfile.objects.get(pk=cast.clinician_profile.pk)
    assert profile.photo.name.endswith(".jpg")
    with profile.photo.open("rb") as handle:
        stored = handle.read()
    assert b"SecretCam" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"
    own = client.get(reverse("clinics:my_photo", args=[profile.pk]))
    assert own.status_code == 200
    assert own["Content-Type"] == "image/jpeg"


def test_a_large_picture_is_scaled_down(cast, client):
    # given
    upload = SimpleUploadedFile("big.png", _picture("PNG", size=(3000, 1500)), "image/png")
    # when
    _signed_in(client, cast.clinician).post(URL, {**_form(), "photo": upload})
    # then
    profile = ClinicianProfile.objects.get(pk=cast.clinician_profile.pk)
    with profile.photo.open("rb") as handle:
        assert Image.open(handle).size == (1024, 512)


def test_the_old_photo_file_is_removed_once_a_new_one_is_saved(
    cast, client, django_capture_on_commit_callbacks
):
    # given
    old_name = cast.clinician_profile.photo.name
    storage = cast.clinician_profile.photo.storage
    upload = SimpleUploadedFile("new.webp", _picture("WEBP"), "image/webp")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _signed_in(client, cast.clinician).post(URL, {**_form(), "photo": upload})
    # then
    profile = ClinicianProfile.objects.get(pk=cast.clinician_profile.pk)
    assert profile.photo.name.endswith(".webp")
    assert not storage.exists(old_name)


def test_a_file_that_is_not_a_picture_is_refused_and_nothing_changes(cast, client):
    # given
    old_name = cast.clinician_profile.photo.name
    upload = SimpleUploadedFile("me.png", b"<svg onload=alert(1)>", "image/png")
    # when
    response = _signed_in(client, cast.clinician).post(
        URL, {**_form(title="Changed"), "photo": upload}
    )
    # then
    assert response.status_code == 400
    assert "doesn&#x27;t look like a picture" in response.content.decode()
    profile = ClinicianProfile.objects.get(pk=cast.clinician_profile.pk)
    assert (profile.photo.name, profile.title) == (old_name, "")


def test_a_gif_is_refused(cast, client):
    # given
    upload = SimpleUploadedFile("me.gif", _picture("GIF"), "image/gif")
    # when
    response = _signed_in(client, cast.clinician).post(URL, {**_form(), "photo": upload})
    # then
    assert response.status_code == 400
    assert "PNG, JPEG or WebP" in response.content.decode()


def test_a_photo_over_5_mb_is_refused(cast, client):
    # given
    upload = SimpleUploadedFile("me.png", _picture() + b"\0" * (5 * 1024 * 1024), "image/png")
    # when
    response = _signed_in(client, cast.clinician).post(URL, {**_form(), "photo": upload})
    # then
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()


def test_the_clinician_can_remove_their_photo(cast, client):
    # when
    _signed_in(client, cast.clinician).post(URL, _form(remove_photo="on"))
    # then
    assert not ClinicianProfile.objects.get(pk=cast.clinician_profile.pk).photo


def test_bad_numbers_are_refused_with_a_message(cast, client):
    # when
    response = _signed_in(client, cast.clinician).post(URL, _form(years_experience="-1"))
    # then
    assert response.status_code == 400
    assert ClinicianProfile.objects.get(pk=cast.clinician_profile.pk).years_experience == 5


def test_a_clinician_at_two_clinics_edits_each_profile_separately(cast, client):
    # given
    south = ClinicianProfile.objects.create(user=cast.clinician, clinic=cast.other_clinic)
    # when
    _signed_in(client, cast.clinician).post(URL + "?clinic=south", _form(title="South title"))
    # then
    south.refresh_from_db()
    cast.clinician_profile.refresh_from_db()
    assert south.title == "South title"
    assert cast.clinician_profile.title == ""


def test_a_clinic_the_clinician_does_not_work_for_is_not_found(cast, client):
    assert _signed_in(client, cast.clinician).get(URL + "?clinic=south").status_code == 404


def test_someone_who_is_not_a_clinician_has_no_profile_to_edit(cast, client):
    # given
    stranger = make_user("stranger@x.test", "Stan")
    # then
    assert _signed_in(client, stranger).get(URL).status_code == 403
    assert _signed_in(client, cast.admin).post(URL, _form()).status_code == 403


def test_nobody_sees_another_clinicians_private_photo_route(cast, client):
    url = reverse("clinics:my_photo", args=[cast.clinician_profile.pk])
    assert _signed_in(client, cast.other_clinician).get(url).status_code == 404


def test_a_switched_off_clinician_cannot_edit_the_profile(cast, client):
    # given
    ClinicianProfile.objects.filter(user=cast.other_clinician).update(is_active=False)
    # then
    assert _signed_in(client, cast.other_clinician).get(URL).status_code == 403
