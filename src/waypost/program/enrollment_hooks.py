"""What other apps do when a client joins: a registry of enrollment hooks.

``services.enroll_client`` runs every hook inside its transaction, right after the
enrollment and its first stage exist, so a hook that fails undoes the enrollment
too. ``program`` never names the apps that register here (they sit above it).

Register from an app's ``AppConfig.ready()``::

    enrollment_hooks.register("assessments.baseline", services.assign_baseline)

A hook takes keyword arguments only: the new ``enrollment``, ``by`` (who enrolled
the client: the clinician, or whoever sent the invitation) and ``at`` (when); what it
returns is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from waypost.accounts.models import User
    from waypost.program.models import Enrollment


class EnrollmentHook(Protocol):
    def __call__(self, *, enrollment: Enrollment, by: User, at: datetime) -> object: ...


_registry: dict[str, EnrollmentHook] = {}


def register(key: str, hook: EnrollmentHook) -> None:
    """Run ``hook`` for every new enrollment; ``key`` names it (``app.what``)."""
    if key in _registry and _registry[key] is not hook:
        raise ValueError(f"enrollment hook {key!r} is already registered")
    _registry[key] = hook


def run_all(*, enrollment: Enrollment, by: User, at: datetime) -> None:
    """Run every registered hook, in the order they were registered."""
    for hook in _registry.values():
        hook(enrollment=enrollment, by=by, at=at)
