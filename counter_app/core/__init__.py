"""Pure rules of the counter: no Qt, no SQLite, no clock of its own (time is passed in)."""
