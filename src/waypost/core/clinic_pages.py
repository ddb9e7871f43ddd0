"""Clinic pages: how apps add their pages to a clinic admin's area without the clinics app
naming them.

The clinics app shows its own pages (settings, crisis lines, stage gates, staff, clients,
audit trail) in the row of tabs at the top of every clinic admin page and as tiles on the
admin's overview (``/clinic/``). A later app with a page of its own for the clinic admin
(assessments' **Measures**, safety's **Risk overview**, Shield's settings) registers a
:class:`ClinicPage` from its ``AppConfig.ready()``; the tabs and the tiles list every
registered page, in ``order``, between the clinics app's own links and the audit trail.

- ``url_name`` is reversed with the clinic's slug as its one argument
  (``reverse(url_name, args=[clinic.slug])``), so the page's URL must take just that.
- ``lights`` names the pages (``"namespace:name"``, as ``request.resolver_match.view_name``
  says) on which the page's tab is marked current; one ending in ``*`` covers every name
  that starts with the rest (``"assessments:clinic_instrument*"``). Empty: the page's own
  ``url_name`` only.
- ``tile``: False for an app that shows a tile of its own on the overview (safety's live
  count of open alerts), so the page is not offered twice.
- ``for_clinicians``: the clinic's clinicians use the page too, not only its admins
  (Stage 3's group programmes and meeting lists): the caseload offers it to each
  clinician for every clinic they work at (:func:`clinician_pages`).

Reading the registry costs no query: the tabs and tiles are made from it and the clinic's
slug. The page itself still checks access (``Action.MANAGE_CLINIC`` for the clinic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from waypost.core import nav

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ClinicPage:
    key: str
    label: StrOrPromise
    description: StrOrPromise  # one line, under the label on the overview's tile
    url_name: str  # reversed with the clinic's slug
    lights: tuple[str, ...] = ()  # view names marking its tab current; "ns:prefix*" allowed
    order: int = 100
    tile: bool = True
    for_clinicians: bool = False

    def __post_init__(self) -> None:
        for pattern in (self.url_name, *self.lights):
            if ":" not in pattern:
                raise ValueError(f"a clinic page names its URLs with their namespace: {pattern!r}")
            nav.check_pattern(pattern)

    def lit_by(self, view_name: str) -> bool:
        """Whether this page's tab is the current one on the page named ``view_name``."""
        return any(nav.matches(pattern, view_name) for pattern in self.lights or (self.url_name,))


_pages: dict[str, ClinicPage] = {}


def register(page: ClinicPage) -> ClinicPage:
    """Add ``page`` to every clinic admin's tabs and overview (the same key replaces it)."""
    _pages[page.key] = page
    return page


def unregister(key: str) -> None:
    _pages.pop(key, None)


def all_pages() -> list[ClinicPage]:
    """The registered pages, in order."""
    return sorted(_pages.values(), key=lambda page: (page.order, page.key))


def clinician_pages() -> list[ClinicPage]:
    """The registered pages a clinic's clinicians use as well as its admins, in order."""
    return [page for page in all_pages() if page.for_clinicians]
