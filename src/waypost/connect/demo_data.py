"""Demo allies: what client 2 shares with his partner, a family session, her own check-ins;
client 3's support arrangements.

Client 2 (Wei Jie, Stage 2) has his partner Hui Min as an ally (``waypost.demo``),
sharing his journey. Here he adds his streak and his weekly check-in summary, but
not his lapse alerts (Shield adds "Shield alerts" after this); his clinician has
recorded a partner session with them both; and Hui Min has checked in with herself
twice, which only she can see.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from waypost.connect import services
from waypost.connect.models import AllyLink

if TYPE_CHECKING:
    from waypost.demo import DemoContext

SCOPES = ["streak", "checkins"]


def load(context: DemoContext) -> None:
    _support_of_client_three(context)
    enrollment = context.client(2)
    link = (
        AllyLink.objects.filter(enrollment=enrollment, ended_at__isnull=True)
        .select_related("ally")
        .first()
    )
    if link is None:
        return
    services.set_consent(link=link, scopes=[*link.scopes, *SCOPES], by=enrollment.client)
    clinician = enrollment.primary_clinician.user
    services.record_family_session(
        enrollment=enrollment,
        held_on=(context.now - timedelta(days=12)).date(),
        allies=[link],
        topics=(
            "How the first weeks of the plan have gone for both of them; what Hui Min "
            "noticed and how she felt when he told her."
        ),
        agreements=(
            "Wei Jie tells Hui Min himself if a hard evening turns into a lapse, within a day.\n"
            "Hui Min does not check his phone; she says so if she feels the need to.\n"
            "Phones charge in the living room overnight, both of them."
        ),
        client_consented=True,
        by=clinician,
        at=context.now - timedelta(days=12),
    )
    for days_ago, feeling, sleep, stress, support in (
        (9, 2, "poorly", "high", "alone"),
        (2, 4, "okay", "some", "supported"),
    ):
        services.record_ally_wellbeing(
            ally=link.ally,
            client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-ally-wellbeing-{days_ago}"),
            feeling=feeling,
            sleep=sleep,
            stress=stress,
            support=support,
            at=context.now - timedelta(days=days_ago),
        )


def _support_of_client_three(context: DemoContext) -> None:
    """Client 3 has no ally in Waypost; their clinician wrote down who supports them."""
    from waypost.connect.support import document_support

    enrollment = context.client(3)
    document_support(
        enrollment=enrollment,
        text=(
            "A sponsor from the Thursday evening peer meeting, since August; they talk most "
            "weeks. Not ready to tell family yet, and that is respected for now."
        ),
        by=enrollment.primary_clinician.user,
        at=context.now - timedelta(days=20),
    )
