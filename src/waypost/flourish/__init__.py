"""Stage 4: long-term goals, the maintenance plan, graduation and alumni."""
