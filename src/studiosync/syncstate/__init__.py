"""The sync engine's ports over the database: its state tables and the studio seen per user."""
