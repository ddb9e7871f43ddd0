"""Waypost Shield: the DNS filter and accountability tracker client devices point at.

The resolver (``wire``, ``blocklist``, ``server`` and their helpers) is plain asyncio
Python with no Django: it runs as its own process (``waypost shield serve``) and keeps
answering when the web app or the database is down.
"""
