"""Shared by the page routers: showing a form again with its errors next to the fields."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from studiosync.errors import StudioSyncError
from studiosync.web.problems import FormProblems, status_for
from studiosync.web.templating import render


def form_again(
    request: Request,
    template: str,
    error: StudioSyncError,
    fields: frozenset[str],
    **context: Any,
) -> Response:
    """The form page once more, as typed, with ``error`` worded next to its field (4xx).

    The caller rolls the request's transaction back first, so nothing half-done is saved.
    """
    return render(
        request,
        template,
        status_code=status_for(error),
        problems=FormProblems.of(error, fields),
        **context,
    )
