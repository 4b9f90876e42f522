"""Test helpers: throw-away PostgreSQL and Redis on loopback, and provider contract harnesses."""
