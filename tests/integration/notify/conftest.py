"""Fixtures for the SMTP tests: one self-signed certificate and the login the servers accept."""

from __future__ import annotations

import pytest

from studiosync.notify.testing import SelfSignedCertificate, make_self_signed_certificate

USERNAME = "studio-desk"
PASSWORD = "c0rrect-h0rse-battery-staple"


@pytest.fixture(scope="session")
def certificate() -> SelfSignedCertificate:
    return make_self_signed_certificate()


@pytest.fixture
def login() -> tuple[str, str]:
    return (USERNAME, PASSWORD)
