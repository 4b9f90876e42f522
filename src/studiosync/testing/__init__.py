"""Throw-away servers on loopback for tests and benchmarks: PostgreSQL and Redis clusters."""
