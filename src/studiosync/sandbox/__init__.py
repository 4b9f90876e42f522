"""The Google sandbox: a local server speaking Google's OAuth, Calendar v3 and People v1."""
