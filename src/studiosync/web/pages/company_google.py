"""Pages: Company Preferences > Google: the summary template (with its preview) and field owners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from studiosync.doctor.catalogue import explain
from studiosync.errors import StudioSyncError
from studiosync.studio import company as service
from studiosync.studio.models import Company
from studiosync.sync.compose import render_template, validate_template
from studiosync.sync.fields import FIELD_WORDS, OWNER_WORDS, Field, Owner
from studiosync.syncstate import field_settings
from studiosync.web.deps import AdminUser, Db, page_admin
from studiosync.web.problems import FormProblems, status_for
from studiosync.web.templating import notice, redirect, render

router = APIRouter(
    prefix="/preferences/company/google",
    tags=["pages: company preferences"],
    include_in_schema=False,
    dependencies=[Depends(page_admin)],
)
SAMPLE = {"title": "Rivera family session", "type": "Session", "client": "Sofia Rossi"}
SAMPLE_ROOM = "Studio A"
FIELDS = frozenset({"summary_template", *(f"owner_{field}" for field in Field)})
OWNER_OPTIONS = [(owner.value, OWNER_WORDS[owner]) for owner in Owner]


class GoogleForm(BaseModel):
    summary_template: str = ""
    owner_title: str = Owner.STUDIO.value
    owner_time: str = Owner.GOOGLE.value
    owner_location: str = Owner.GOOGLE.value
    owner_notes: str = Owner.GOOGLE.value
    owner_status: str = Owner.GOOGLE.value

    @classmethod
    def of(cls, company: Company) -> GoogleForm:
        owners = field_settings.field_rules(company).as_dict()
        return cls(
            summary_template=company.summary_template,
            **{f"owner_{name}": owner for name, owner in owners.items()},
        )

    def owners(self) -> dict[str, str]:
        return {field.value: getattr(self, f"owner_{field}") for field in Field}


def preview(template: str) -> str:
    """The summary a sample appointment would show in Google ('' when the template is wrong)."""
    try:
        checked = validate_template(template)
    except StudioSyncError:
        return ""
    return render_template(checked, {**SAMPLE, "room": SAMPLE_ROOM})


def _page(
    request: Request, db: Session, form: GoogleForm, error: StudioSyncError | None = None
) -> Response:
    return render(
        request,
        "preferences/company_google.html",
        status_code=status_for(error) if error else 200,
        area="company",
        tab="google",
        form=form,
        preview=preview(form.summary_template),
        sample=SAMPLE | {"room": SAMPLE_ROOM},
        fields=[(f"owner_{field}", FIELD_WORDS[field].capitalize()) for field in Field],
        owner_options=OWNER_OPTIONS,
        problems=FormProblems.of(error, FIELDS) if error else FormProblems.none(),
    )


@router.get("")
def google_tab(request: Request, db: Db, me: AdminUser) -> Response:
    return _page(request, db, GoogleForm.of(service.get_company(db)))


@router.post("")
def save_google_tab(
    request: Request, db: Db, me: AdminUser, form: Annotated[GoogleForm, Form()]
) -> Response:
    try:
        field_settings.set_google_fields(
            db, summary_template=form.summary_template, owners=form.owners()
        )
    except StudioSyncError as error:
        db.rollback()
        return _page(request, db, form, error)
    notice(request, "Google settings saved.")
    return redirect("/preferences/company/google")


@router.get("/preview")
def summary_preview(me: AdminUser, summary_template: str = "") -> JSONResponse:
    """The live preview: the sample's summary, or what is wrong with the template."""
    try:
        checked = validate_template(summary_template)
    except StudioSyncError as error:
        return JSONResponse({"preview": "", "problem": explain(error).message})
    return JSONResponse({"preview": render_template(checked, {**SAMPLE, "room": SAMPLE_ROOM})})
