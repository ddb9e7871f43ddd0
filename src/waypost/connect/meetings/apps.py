from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Peer support meetings: the clinic's directory from Meeting Guide feeds, favourites and
    the attendance log (see ``registrations`` for where they show up elsewhere)."""

    name = "waypost.connect.meetings"
    label = "meetings"
    verbose_name = "Peer support meetings"

    def ready(self) -> None:
        from waypost.connect.meetings import events, exports, fetch, registrations

        # A malformed WAYPOST_MEETING_FEEDS_ALLOW_PRIVATE stops start-up, not a fetch later.
        fetch.private_addresses_allowed()

        events.register_all()
        registrations.register_all()
        exports.register()
