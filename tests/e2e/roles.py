"""Who the e2e crawl signs in as, and where each role starts.

The crawler (tests/e2e/crawl.py) follows same-origin links from these start
pages, so pages added later are checked without editing this list; list a
page here only if no link leads to it.

``must_visit`` lists pages (as ``crawl.pattern_of`` writes them: numbers
become N) that the crawl of that role has to open, so that a page which stops
being reached, or data that no longer makes a link appear, fails the test
instead of silently going unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlRole:
    name: str
    # Attribute of the cast holding the user; None for anonymous.
    user_attr: str | None
    start_paths: tuple[str, ...]
    must_visit: tuple[str, ...] = ()

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
            # the sign-in pages reached only by a form, an e-mailed link or a redirect
            "/password/reset/done/",
            "/password/reset/key/1-not-a-key/",
            "/password/reset/key/done/",
            "/signup/",
            "/inactive/",
            "/confirm-email/",
            "/confirm-email/not-a-key/",
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
            # sign-in pages no link leads to (two-factor set-up: tests/e2e/test_two_factor.py)
            "/email/",
            "/reauthenticate/",
            # pages only reached by a form's POST
            "/measures/{form}/q/2/",
            "/measures/{form}/review/",
            "/measures/{form}/support/",
            # reached only by sending a questionnaire
            "/measures/{done}/result/",
        ),
        (
            "/measures/N/result/",
            # linked from each document's list of versions (tests/e2e/data.py saves two)
            "/safety-plan/versions/N/",
            # the plans' versions and a lapse (tests/e2e/data.py), linked from their pages
            "/plan/versions/N/",
            "/plan/prevention/versions/N/",
            "/lapses/N/",
            # the urge log and the device plan (tests/e2e/data.py logs urges, adds a phone)
            "/urges/",
            "/urges/new/",
            "/urges/N/",
            "/devices/",
            # the skills toolbox, an exercise and "I'm having an urge" (Get help now's door)
            "/toolbox/",
            "/toolbox/<exercise>/",  # one exercise: they share one template
            "/help/urge/",
            "/motivation/balance/N/",
            "/motivation/values/N/",
            # linked from Today until it is closed, and from "Me" for good
            "/welcome/",
        ),
    ),
    CrawlRole(
        "clinician",
        "clinician",
        (
            "/caseload/",
            "/clients/{enrollment}/",
            "/caseload/invite/",
            "/risk/",
            # the inbox acknowledges with a form, without linking the alert's own page
            "/risk/{alert}/acknowledge/",
        ),
        (
            "/risk/N/acknowledge/",
            "/clients/N/intake/",
            "/clients/N/story/",
            "/clients/N/safety-plan/versions/N/",
            "/clients/N/plan/",
            "/clients/N/plan/versions/N/",
            "/clients/N/lapses/",
            "/clients/N/motivation/balance/N/",
            "/clients/N/motivation/values/N/",
        ),
    ),
    CrawlRole("admin", "admin", ("/clinic/",)),
    CrawlRole("ally", "ally_all", ("/ally/", "/ally/{link}/")),
]
CRAWL_LIMIT = 120
