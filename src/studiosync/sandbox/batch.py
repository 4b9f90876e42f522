"""Batch requests: multipart/mixed in, each call run through the sandbox, multipart/mixed out."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus

import orjson
from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox.errors import GoogleError, api_error

MAX_CALLS = 1000


@dataclass
class InnerRequest:
    """One call inside a batch."""

    content_id: str | None
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class InnerResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


Dispatch = Callable[[InnerRequest], Awaitable[InnerResponse]]


def _split_head(data: bytes) -> tuple[list[str], bytes]:
    """Header lines and body of an HTTP-ish block (CRLF or LF line ends)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, found, body = data.partition(separator)
        if found:
            break
    else:
        head, body = data, b""
    lines = [line.rstrip("\r") for line in head.decode("utf-8", "replace").split("\n")]
    return [line for line in lines if line], body


def _headers(lines: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            pairs.append((name.strip(), value.strip()))
    return pairs


def _boundary(content_type: str) -> str | None:
    kind, _, rest = content_type.partition(";")
    if kind.strip().lower() != "multipart/mixed":
        return None
    for param in rest.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip().strip('"')
    return None


def parse_batch(content_type: str, body: bytes) -> list[InnerRequest]:
    boundary = _boundary(content_type)
    if boundary is None:
        raise api_error(
            400, "badRequest", "Batch requests must be multipart/mixed with a boundary."
        )
    calls = []
    for section in body.split(b"--" + boundary.encode())[1:]:
        if section.startswith(b"--"):
            break
        section = section.removeprefix(b"\r\n").removeprefix(b"\n")
        section = section.removesuffix(b"\n").removesuffix(b"\r")
        part_lines, payload = _split_head(section)
        part_headers = {name.lower(): value for name, value in _headers(part_lines)}
        request_lines, inner_body = _split_head(payload)
        if not request_lines:
            raise api_error(400, "badRequest", "A batch part has no request line.")
        words = request_lines[0].split()
        if len(words) < 2:
            raise api_error(400, "badRequest", "A batch part has a malformed request line.")
        target = words[1]
        if "://" in target:
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        calls.append(
            InnerRequest(
                part_headers.get("content-id"),
                words[0].upper(),
                target,
                _headers(request_lines[1:]),
                inner_body,
            )
        )
    return calls


def _response_id(content_id: str | None) -> str | None:
    if not content_id:
        return None
    inner = content_id.strip()
    if inner.startswith("<") and inner.endswith(">"):
        inner = inner[1:-1]
    return f"<response-{inner}>"


def render_batch(results: list[tuple[InnerRequest, InnerResponse]]) -> tuple[str, bytes]:
    boundary = "batch_" + secrets.token_hex(12)
    chunks: list[bytes] = []
    for call, answer in results:
        chunks.append(f"--{boundary}\r\nContent-Type: application/http\r\n".encode())
        response_id = _response_id(call.content_id)
        if response_id:
            chunks.append(f"Content-ID: {response_id}\r\n".encode())
        phrase = (
            HTTPStatus(answer.status).phrase
            if answer.status in HTTPStatus._value2member_map_
            else "Unknown"
        )
        chunks.append(f"\r\nHTTP/1.1 {answer.status} {phrase}\r\n".encode())
        for name, value in answer.headers:
            if name.lower() not in ("content-length", "connection"):
                chunks.append(f"{name}: {value}\r\n".encode())
        chunks.append(f"Content-Length: {len(answer.body)}\r\n\r\n".encode())
        chunks.append(answer.body + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return boundary, b"".join(chunks)


def error_answer(error: GoogleError) -> InnerResponse:
    return InnerResponse(
        error.status,
        [("Content-Type", "application/json; charset=UTF-8")],
        orjson.dumps(error.body),
    )


class BatchApi:
    """`POST /batch/calendar/v3` (calendar calls only) and `POST /batch` (any API call)."""

    def __init__(self, dispatch: Dispatch) -> None:
        self.dispatch = dispatch

    async def calendar(self, request: Request) -> Response:
        return await self._run(request, "/calendar/v3/")

    async def generic(self, request: Request) -> Response:
        return await self._run(request, "/")

    async def _run(self, request: Request, prefix: str) -> Response:
        calls = parse_batch(request.headers.get("content-type", ""), await request.body())
        if not calls:
            raise api_error(400, "badRequest", "A batch request must contain at least one call.")
        if len(calls) > MAX_CALLS:
            raise api_error(
                400, "badRequest", f"A batch request cannot contain more than {MAX_CALLS} calls."
            )
        outer_auth = request.headers.get("authorization")
        results = []
        for call in calls:
            path = call.target.split("?", 1)[0]
            if not path.startswith(prefix):
                results.append(
                    (
                        call,
                        error_answer(
                            api_error(
                                400,
                                "badRequest",
                                "This batch endpoint only accepts calls to its own API.",
                            )
                        ),
                    )
                )
                continue
            if outer_auth and not any(name.lower() == "authorization" for name, _ in call.headers):
                call.headers.append(("Authorization", outer_auth))
            results.append((call, await self.dispatch(call)))
        boundary, body = render_batch(results)
        return Response(body, media_type=f"multipart/mixed; boundary={boundary}")
