"""The demo's progress reports, so the record and Me cards list some and link them.

- client 3 (Stage 3): a report for a referral made by Dr Tan two weeks ago (measures,
  days, meetings and groups, stages), and one for the client a month before;
- client 4 (Stage 4, Arjun Nair's): a report the client made of their own last week,
  every section, the whole program.

Each is made through the service, back-dated (``at``): the timeline shows them, and
each opens on the data the other apps' demo modules wrote.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from waypost.caseload.reports import sections as catalogue
from waypost.caseload.reports import services

if TYPE_CHECKING:
    from waypost.demo import DemoContext


def load(context: DemoContext) -> None:
    now = context.now
    farid = context.client(3)
    clinician = farid.primary_clinician.user
    services.make_report(
        enrollment=farid,
        by=clinician,
        purpose="client",
        sections=list(catalogue.KEYS),
        at=now - timedelta(weeks=6),
    )
    services.make_report(
        enrollment=farid,
        by=clinician,
        purpose="referral",
        sections=[catalogue.MEASURES, catalogue.DAYS, catalogue.ATTENDANCE, catalogue.STAGES],
        at=now - timedelta(weeks=2),
    )
    fourth = context.client(4)
    services.make_report(
        enrollment=fourth,
        by=fourth.client,
        purpose="client",
        sections=list(catalogue.KEYS),
        at=now - timedelta(days=6),
    )
