"""Pages: the menu headings (Maintenance, General (Studio), Client, Preferences, Utilities)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from studiosync.web.deps import CurrentUser, page_user
from studiosync.web.menu import MENU, MenuNode, node_for
from studiosync.web.templating import render

router = APIRouter(
    tags=["pages: menus"], include_in_schema=False, dependencies=[Depends(page_user)]
)


def _show(request: Request, area: str) -> Response:
    node = node_for(area)
    assert node is not None
    return render(request, "hub.html", area=area, node=node)


def _add_hub(node: MenuNode) -> None:
    def hub(request: Request, me: CurrentUser) -> Response:
        return _show(request, node.area)

    router.add_api_route(node.href, hub, methods=["GET"], name=node.area)
    for child in node.children:
        if child.children:
            _add_hub(child)


for heading in MENU:
    if heading.children:
        _add_hub(heading)
