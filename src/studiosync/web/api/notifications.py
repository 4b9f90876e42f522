"""Google's push notifications: checked against the channels we opened, answered at once.

No login or token of ours here: Google calls it. Anything that does not name one of our
channels with its secret is answered 404 and logged; a real one only asks for the user's
normal sync (see ``control.notifications``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from studiosync.accounts.channels import WEBHOOK_PATH
from studiosync.control.notifications import Heard, hear
from studiosync.web.deps import Db, StudioDep, web_state

router = APIRouter(tags=["Google notifications"], include_in_schema=False)


@router.post(WEBHOOK_PATH)
def google_notification(request: Request, db: Db, studio: StudioDep) -> Response:
    heard = hear(db, studio.box, request.headers, web_state(request).clock.now())
    if heard is Heard.REFUSED:
        return Response(status_code=404)
    return Response(status_code=200)
