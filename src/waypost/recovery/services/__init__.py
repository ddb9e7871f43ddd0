"""Writes of the recovery app, one module per part of Stage 2.

Public API for other apps (import from here)
- ``check_in(...)``, ``CheckInError``, ``NOTE_MAX_LENGTH``: the daily check-in
  (``services.checkin``).
- ``services.plans``: the recovery plan and the relapse-prevention plan (versions, and the
  clinician's ``review_plan``); ``services.lapses``: the lapse log, its chain analysis and
  the one-tap learning. Import them as modules (``from waypost.recovery.services import plans``).
- ``services.urges``: the urge log (``log_urge``, ``change_urge``); ``services.devices``: the
  device plan (``add_device``, ``set_device_step``, ``retire_device``). Import them as modules.
- ``services.practice``: the skills toolbox's practice log (``log_practice``,
  ``practice_week``). Import it as a module.

Every write takes ``client_uuid``: a retried or offline-queued submission is stored once.
"""

from waypost.recovery.services.checkin import NOTE_MAX_LENGTH, CheckInError, check_in

__all__ = ["NOTE_MAX_LENGTH", "CheckInError", "check_in"]
