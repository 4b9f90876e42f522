"""Pages: Utilities > Demo outbox (administrators): the emails the demo studio filed, not sent."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.when import in_words
from studiosync.web.deps import AdminUser, page_admin
from studiosync.web.menu import Crumb
from studiosync.web.templating import demo_outbox, render

router = APIRouter(
    prefix="/outbox",
    tags=["pages: demo outbox"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9]{6}\.eml$")
SHOWN = 200


@dataclass(frozen=True)
class Filed:
    """One filed email: who it is for, what it says."""

    name: str
    sent: str
    sender: str
    to: str
    subject: str
    body: str


def _read(path: Path, zone: str) -> Filed:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    stamp = dt.datetime.strptime(path.stem, "%Y%m%d-%H%M%S-%f").replace(tzinfo=dt.UTC)
    return Filed(
        name=path.name,
        sent=in_words(stamp, zone),
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "(no subject)")),
        body=str(body),
    )


@router.get("")
def outbox(
    request: Request, me: AdminUser, email: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    """The filed emails, newest first; ``email`` names one to show whole."""
    folder = demo_outbox(request)
    zone = getattr(request.state, "studio_zone", "UTC")
    if folder is None:
        return render(request, "outbox.html", area="outbox", folder=None, emails=[])
    if email:
        path = folder / email
        if not NAME.match(email) or not path.is_file():
            raise StudioSyncError(ErrorCode.PAGE_NOT_FOUND, path=request.url.path)
        filed = _read(path, zone)
        return render(
            request,
            "outbox_email.html",
            area="outbox",
            crumb_tail=[Crumb(filed.subject)],
            mail=filed,
        )
    files = sorted((p for p in folder.iterdir() if NAME.match(p.name)), reverse=True)[:SHOWN]
    return render(
        request,
        "outbox.html",
        area="outbox",
        folder=str(folder),
        emails=[_read(path, zone) for path in files],
    )
