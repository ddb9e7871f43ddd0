"""Writes of the recovery app, one module per part of Stage 2.

Public API for other apps (import from here)
- ``check_in(...)``, ``CheckInError``, ``NOTE_MAX_LENGTH``: the daily check-in
  (``services.checkin``).

Every write takes ``client_uuid``: a retried or offline-queued submission is stored once.
"""

from waypost.recovery.services.checkin import NOTE_MAX_LENGTH, CheckInError, check_in

__all__ = ["NOTE_MAX_LENGTH", "CheckInError", "check_in"]
