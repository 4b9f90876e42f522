"""The sync engine: plans and runs one user's two-way sync between the studio and a provider."""
