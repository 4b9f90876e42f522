"""Email: messages built from templates by pure code, sent by a separate SMTP adapter."""
