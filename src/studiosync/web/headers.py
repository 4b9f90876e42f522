"""Security headers on every answer, and Secure cookies whenever the request came over HTTPS."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # no inline script: page behaviour lives in /static/*.js
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",  # no page can be framed, so none can be clickjacked
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def harden(response: Response) -> Response:
    """Add the security headers to a response made outside the middleware (a 500 page)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def _secure_cookies(headers: MutableHeaders) -> None:
    for index, (name, value) in enumerate(headers.raw):
        if name == b"set-cookie" and b"; secure" not in value.lower():
            headers.raw[index] = (name, value + b"; secure")


class SecurityHeadersMiddleware:
    """Adds the headers to every HTTP answer; marks cookies Secure on HTTPS requests.

    A request counts as HTTPS when it came over HTTPS to this server, or when a trusted proxy
    said so (the proxy middleware outside this one has already set the scheme), or when the
    site is configured to always use Secure cookies.
    """

    def __init__(self, app: ASGIApp, *, always_secure: bool = False) -> None:
        self.app = app
        self.always_secure = always_secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.always_secure or scope.get("scheme") == "https"

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if secure:
                    _secure_cookies(headers)
            await send(message)

        await self.app(scope, receive, send_hardened)
