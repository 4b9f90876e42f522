"""The Google provider: Calendar v3 and People v1 through google-api-python-client."""
