"""Group therapy: clinician-run programmes on a schedule, rosters, attendance, calendars."""
