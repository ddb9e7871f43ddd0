"""Group therapy's views, by who uses them: staff, sessions, the client, the calendar."""
