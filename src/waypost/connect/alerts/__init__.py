"""What allies hear and when: alerts at the ally's rhythm, digests, and "I need support now"."""
