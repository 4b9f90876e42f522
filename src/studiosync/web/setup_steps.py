"""The guided Google Sync set-up: the support article's checklist, each step ticked by the doctor.

The steps only group the troubleshooter's own findings (``doctor.report.diagnose``); nothing
here checks anything itself. A step is done when none of its findings is a problem or warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studiosync.doctor.findings import Finding, Verdict

ADMIN_SCREENS = ("/users", "/resources", "/clients", "/groups", "/preferences/company", "/control")


@dataclass(frozen=True)
class StepPlan:
    """One line of the article's checklist and the troubleshooter checks that tick it."""

    key: str
    title: str
    checks: tuple[str, ...]
    where: str  # the screen the article names


PLAN: tuple[StepPlan, ...] = (
    StepPlan(
        "user",
        "A user (not a resource), with a Google account no other user syncs to",
        ("user", "account_unique"),
        "Maintenance > General (Studio) > Users",
    ),
    StepPlan(
        "enabled",
        "Enable Google Sync",
        ("enabled",),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "authenticated",
        "Authenticate the Google account",
        ("authenticated",),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "calendar",
        "Pick an existing Google calendar",
        ("calendar",),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "populate",
        "Populate: send older appointments to Google",
        ("populate",),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "options",
        "Two-way sync, tentative appointments, contacts and their client group",
        ("two_way", "tentative", "contacts"),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "warnings",
        "Email warnings and errors (required) and detailed sync logs",
        ("warnings_address", "detailed_logs"),
        "Maintenance > Preferences > User Preferences > Google tab",
    ),
    StepPlan(
        "email",
        "The studio's email works",
        ("email",),
        "Maintenance > Preferences > Company (Studio) Preferences > Email tab",
    ),
    StepPlan(
        "job",
        "The Calendar Sync Processor job is enabled, on a computer that is on",
        ("job_enabled", "job_schedule", "job_computer"),
        "Utilities > Control Center",
    ),
)
SETTLED = (Verdict.OK, Verdict.INFO)


@dataclass(frozen=True)
class Step:
    """A step as the page shows it: its findings, whether it is done, and what fixes it."""

    number: int
    plan: StepPlan
    findings: tuple[Finding, ...]
    blocked: bool  # an earlier step must be done first (e.g. no calendar without an account)

    @property
    def key(self) -> str:
        return self.plan.key

    @property
    def done(self) -> bool:
        """Checked and fine: a check skipped because an earlier one failed neither ticks a step
        nor holds it back (no account yet: nobody else can share it)."""
        checked = [f for f in self.findings if f.verdict is not Verdict.SKIPPED]
        return bool(checked) and all(f.verdict in SETTLED for f in checked)

    @property
    def problems(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.verdict not in (*SETTLED, Verdict.SKIPPED))

    @property
    def notes(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.verdict in SETTLED and f.note)


NEEDS: dict[str, tuple[str, ...]] = {
    "enabled": ("user",),
    "authenticated": ("user",),
    "calendar": ("authenticated",),
    "populate": ("calendar",),
}


def build_steps(findings: Sequence[Finding]) -> list[Step]:
    """The checklist in the article's order, from the troubleshooter's findings."""
    by_check: dict[str, list[Finding]] = {}
    for finding in findings:
        by_check.setdefault(finding.check, []).append(finding)
    steps: list[Step] = []
    done: dict[str, bool] = {}
    for number, plan in enumerate(PLAN, start=1):
        found = tuple(f for check in plan.checks for f in by_check.get(check, []))
        blocked = any(not done.get(need, False) for need in NEEDS.get(plan.key, ()))
        step = Step(number, plan, found, blocked)
        done[plan.key] = step.done
        steps.append(step)
    return steps


def may_open(screen: str, admin: bool) -> bool:
    """Whether the viewer may open the screen a finding names (some are administrators' only)."""
    return bool(screen) and (admin or not screen.startswith(ADMIN_SCREENS))
