"""Peer support meetings: a directory imported from Meeting Guide feeds, favourites, attendance."""
