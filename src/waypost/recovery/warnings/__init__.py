"""Early warnings: transparent, clinic-tunable rules over a client's own data, before a lapse."""
