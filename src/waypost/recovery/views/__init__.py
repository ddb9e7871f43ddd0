"""Pages of the recovery app, one module per part of Stage 2 (``urls.py`` lists them)."""
