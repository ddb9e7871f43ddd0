"""The caseload offers each clinician the clinic pages clinicians use (groups, meetings)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from waypost.core import clinic_pages

pytestmark = pytest.mark.django_db


def test_a_clinician_reaches_their_clinics_pages_for_clinicians_from_the_caseload(client, cast):
    client.force_login(cast.other_clinician)  # a clinician, not an admin
    page = client.get(reverse("caseload:list")).content.decode()
    shared = clinic_pages.clinician_pages()
    assert {page.key for page in shared} >= {"group_therapy", "meetings"}
    for one in shared:
        assert f'href="{reverse(one.url_name, args=[cast.clinic.slug])}"' in page
        # and the page itself lets them in
        assert client.get(reverse(one.url_name, args=[cast.clinic.slug])).status_code == 200
    # pages for admins only are not offered
    admin_only = [p for p in clinic_pages.all_pages() if not p.for_clinicians]
    assert admin_only
    for one in admin_only:
        assert f'href="{reverse(one.url_name, args=[cast.clinic.slug])}"' not in page


def test_the_links_name_no_other_clinic(client, cast):
    client.force_login(cast.clinician)
    page = client.get(reverse("caseload:list")).content.decode()
    assert f"/clinic/{cast.other_clinic.slug}/" not in page
