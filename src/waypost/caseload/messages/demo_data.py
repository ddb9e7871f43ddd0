"""Demo messages, sent through the same service the product uses (no e-mails).

- client 4 and his counsellor have a short thread; the latest reply is unread, so his
  Today shows it as a next step;
- client 2 wrote to his clinician last night; it is unread, so her caseload shows it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from waypost.caseload.messages import services

if TYPE_CHECKING:
    from waypost.demo import DemoContext


def load(context: DemoContext) -> None:
    now = context.now
    counsellor = context.clinicians[1]  # client 4

    client4 = context.client(4)
    thread = [
        (
            client4.client,
            timedelta(days=3, hours=5),
            "I had a good week, but the work trip next month worries me. "
            "Hotel evenings alone used to be the hardest part.",
        ),
        (
            counsellor.user,
            timedelta(days=2, hours=22),
            "Thank you for raising it early. Let's plan those evenings together on "
            "Thursday: what you will do, and who you could call.",
        ),
        (
            client4.client,
            timedelta(days=2, hours=20),
            "Sounds good. I'll bring my maintenance plan.",
        ),
        (
            counsellor.user,
            timedelta(hours=6),
            "A reminder for Thursday: have a look at your goals for 'healthy internet use' "
            "before we meet, if you have a moment.",
        ),
    ]
    for position, (sender, ago, body) in enumerate(thread):
        if position == len(thread) - 1:
            # Everything before the last reply has been read by the other side.
            services.mark_read(enrollment=client4, reader=counsellor.user, at=now - ago)
            services.mark_read(enrollment=client4, reader=client4.client, at=now - ago)
        services.send_message(
            enrollment=client4,
            by=sender,
            body=body,
            client_uuid=uuid.uuid4(),
            at=now - ago,
            notify=False,
        )

    client2 = context.client(2)
    services.send_message(
        enrollment=client2,
        by=client2.client,
        body="Could we talk about my sleep on Monday? The late evenings are when it gets hard.",
        client_uuid=uuid.uuid4(),
        at=now - timedelta(hours=14),
        notify=False,
    )
