"""Calendar and contacts providers the sync engine talks to."""
