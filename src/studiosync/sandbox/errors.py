"""Google's JSON error shape and RFC 6749 OAuth errors, as exceptions handlers raise."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON_TYPE = "application/json; charset=UTF-8"

CANONICAL_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A JSON response as Google sends it."""
    return Response(
        orjson.dumps(payload), status_code=status, headers=headers, media_type=JSON_TYPE
    )


class GoogleError(Exception):
    """An error answer: raise it anywhere in a handler and the app sends it as is."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}

    @property
    def reason(self) -> str | None:
        errors = self.body.get("error", {})
        if isinstance(errors, dict) and errors.get("errors"):
            return str(errors["errors"][0].get("reason"))
        return None

    def response(self) -> Response:
        return json_response(self.body, self.status, self.headers)


def api_error(
    status: int,
    reason: str,
    message: str,
    *,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
    canonical: str | None = None,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> GoogleError:
    """An API error in Google's shape: code, message, errors[], status (and details if any)."""
    item: dict[str, Any] = {"domain": domain, "reason": reason, "message": message}
    if location is not None:
        item["location"] = location
        item["locationType"] = location_type or "parameter"
    error: dict[str, Any] = {"code": status, "message": message, "errors": [item]}
    status_text = canonical or CANONICAL_STATUS.get(status)
    if status_text:
        error["status"] = status_text
    if details:
        error["details"] = details
    return GoogleError(status, {"error": error}, headers)


def error_info(reason: str, domain: str, **metadata: str) -> dict[str, Any]:
    """A google.rpc.ErrorInfo detail, as newer Google APIs attach to errors."""
    info: dict[str, Any] = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": domain,
    }
    if metadata:
        info["metadata"] = metadata
    return info


def bad_request(
    message: str, *, reason: str = "invalid", location: str | None = None
) -> GoogleError:
    return api_error(400, reason, message, location=location)


def required(message: str, location: str | None = None) -> GoogleError:
    return api_error(400, "required", message, location=location)


def not_found() -> GoogleError:
    return api_error(404, "notFound", "Not Found")


def oauth_error(status: int, error: str, description: str) -> GoogleError:
    """An RFC 6749 token-endpoint error: {"error": ..., "error_description": ...}."""
    body: dict[str, Any] = {"error": error, "error_description": description}
    return GoogleError(status, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})
