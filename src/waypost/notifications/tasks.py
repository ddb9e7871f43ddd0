"""Background work of the notifications app: web push, after the notification is kept.

``notify`` queues :func:`push_notification` once its transaction commits, so a push
never announces something that was rolled back. The push claims its notification
first (``push.deliver``), so a second run sends nothing; a push that fails is not
tried again (the notification is still in the person's list, and their e-mail, if
they chose it, went already).
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from waypost.notifications import push


@db_task()  # type: ignore[untyped-decorator]  # huey is untyped
def push_notification(notification_id: int) -> dict[str, int]:
    return push.deliver(notification_id=notification_id).as_dict()
