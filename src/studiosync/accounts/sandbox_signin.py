"""Signs in on the sandbox's consent page over HTTP, as a person at a browser would."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.linking import LOOPBACK_REDIRECT, begin_link, complete_link
from studiosync.accounts.models import GoogleAccount
from studiosync.context import Studio
from studiosync.errors import ErrorCode, InputError

_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
_CONSENT = re.compile(r'name="consent" value="([^"]+)"')


def sign_in(consent_url: str, email: str, password: str, *, allow: bool = True) -> dict[str, str]:
    """Open the consent page, sign in, answer Allow (or Deny); the redirect's query parameters.

    Only for the local sandbox: real Google's pages are for people, in a browser.
    """
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        page = browser.get(consent_url)
        action, consent = _ACTION.search(page.text), _CONSENT.search(page.text)
        if page.status_code != 200 or not action or not consent:
            raise InputError(
                ErrorCode.GOOGLE_ACCESS_DENIED,
                field="consent page",
                reason=f"the sandbox answered HTTP {page.status_code}",
            )
        answer = browser.post(
            urljoin(consent_url, action.group(1)),
            data={
                "consent": consent.group(1),
                "email": email,
                "password": password,
                "decision": "allow" if allow else "deny",
            },
        )
        location = answer.headers.get("location")
        if answer.status_code not in (302, 303) or not location:
            raise InputError(
                ErrorCode.GOOGLE_ACCESS_DENIED,
                field="password",
                reason="the sandbox did not accept that email and password",
            )
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def link_on_sandbox(
    studio: Studio,
    endpoints: GoogleEndpoints,
    user: str | int,
    email: str,
    password: str,
    *,
    redirect_uri: str = LOOPBACK_REDIRECT,
) -> GoogleAccount:
    """Link a user to a sandbox account end to end: start, sign in and allow, finish."""
    with studio.transaction() as session:
        start = begin_link(session, studio.box, endpoints, user, redirect_uri)
    answer = sign_in(start.url, email, password)
    return complete_link(
        studio.sessions,
        studio.box,
        endpoints,
        state=answer.get("state", ""),
        code=answer.get("code"),
        error=answer.get("error"),
    )
