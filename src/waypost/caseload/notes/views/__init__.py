"""The session notes app's pages: notes, homework and exercises, the whole timeline."""
