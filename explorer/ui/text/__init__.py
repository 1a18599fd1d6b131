"""How things read, as plain strings and rows: no Qt here."""
