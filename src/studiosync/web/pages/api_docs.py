"""Pages: the API's OpenAPI document and its interactive reference at /docs (logged-in users)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from studiosync.web.deps import page_user
from studiosync.web.templating import render

SWAGGER_ASSETS_URL = "/static/swagger-ui"
router = APIRouter(
    tags=["pages: API docs"], include_in_schema=False, dependencies=[Depends(page_user)]
)


def swagger_assets() -> Path:
    """The Swagger UI files shipped with the swagger-ui-bundle package (no CDN needed)."""
    vendor = Path(str(files("swagger_ui_bundle") / "vendor"))
    return sorted(vendor.glob("swagger-ui-*"))[-1]


@router.get("/openapi.json")
def openapi_document(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def api_reference(request: Request) -> HTMLResponse:
    """Swagger UI from local files, started by /static/api-docs.js (no inline script)."""
    return render(request, "api_docs.html", assets=SWAGGER_ASSETS_URL)
