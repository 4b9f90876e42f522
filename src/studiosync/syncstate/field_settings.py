"""The engine's field settings kept on the company record: summary template and owner rules."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from studiosync.studio.company import get_company
from studiosync.studio.models import Company
from studiosync.sync.compose import validate_template
from studiosync.sync.fields import Field, FieldRules


def field_rules(company: Company) -> FieldRules:
    """Who may change each field from Google (Company Preferences > Google)."""
    return FieldRules.parse({field.value: getattr(company, f"google_{field}") for field in Field})


def set_google_fields(
    session: Session,
    *,
    summary_template: str | None = None,
    owners: Mapping[str, str] | None = None,
) -> Company:
    """Change the summary template and who may change each field from Google.

    Everything is checked before anything is set: a wrong value changes nothing.
    """
    company = get_company(session)
    template = validate_template(summary_template) if summary_template is not None else None
    rules = FieldRules.parse({**field_rules(company).as_dict(), **(owners or {})})
    if template is not None:
        company.summary_template = template
    for name, owner in rules.as_dict().items():
        setattr(company, f"google_{name}", owner)
    session.flush()
    return company
