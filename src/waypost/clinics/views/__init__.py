"""Clinic pages, split by concept: public directory, clinic settings, people, own profile."""
