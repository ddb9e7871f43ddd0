"""Who the e2e crawl signs in as, and where each role starts.

The crawler (tests/e2e/crawl.py) follows same-origin links from these start
pages, so pages added later are checked without editing this list; list a
page here only if no link leads to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlRole:
    name: str
    # Attribute of the cast holding the user; None for anonymous.
    user_attr: str | None
    start_paths: tuple[str, ...]

    def user(self, cast):
        return getattr(cast, self.user_attr) if self.user_attr else None

    def paths(self, cast, ids: dict | None = None) -> list[str]:
        """Start paths with the cast's ids filled in; ``ids`` from tests/e2e/data.py."""
        return [
            p.format(
                enrollment=cast.enrollment.pk,
                profile=cast.clinician_profile.pk,
                clinic=cast.clinic.slug,
                link=cast.links["all"].pk,
                **(ids or {}),
            )
            for p in self.start_paths
        ]


CRAWL_ROLES = [
    CrawlRole(
        "anonymous",
        None,
        (
            "/specialists/",
            "/c/{clinic}/",
            "/c/{clinic}/specialists/{profile}/",
            "/help/",
            "/login/",
            "/password/reset/",
        ),
    ),
    CrawlRole(
        "client",
        "client",
        (
            "/today/",
            "/journey/",
            "/connect/",
            "/account/",
            # pages only reached by a form's POST
            "/measures/{form}/q/2/",
            "/measures/{form}/review/",
            "/measures/{form}/support/",
        ),
    ),
    CrawlRole(
        "clinician",
        "clinician",
        ("/caseload/", "/clients/{enrollment}/", "/caseload/invite/", "/risk/"),
    ),
    CrawlRole("admin", "admin", ("/clinic/",)),
    CrawlRole("ally", "ally_all", ("/ally/", "/ally/{link}/")),
]
CRAWL_LIMIT = 90
