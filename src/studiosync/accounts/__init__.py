"""Google account linking: OAuth 2.0, encrypted token storage and the re-authentication state."""
