"""Appointments: sessions the clinician books, on Today, in calendars, with reminders."""
