"""The Email tab of Company Preferences as neutral data: where and how to send mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from studiosync.errors import EmailError, ErrorCode


class SmtpSecurity(StrEnum):
    """How the connection to the SMTP server is protected."""

    NONE = "none"  # plain text, as on port 25 between servers
    STARTTLS = "starttls"  # plain connect, then upgrade (submission port 587)
    SSL = "ssl"  # TLS from the first byte (port 465)


DEFAULT_PORTS: dict[SmtpSecurity, int] = {
    SmtpSecurity.NONE: 25,
    SmtpSecurity.STARTTLS: 587,
    SmtpSecurity.SSL: 465,
}
DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class SmtpConfig:
    """SMTP settings; the password is kept out of ``repr`` and every message built from it.

    ``security`` also accepts its text value ("none", "starttls", "ssl"), so any enum or string
    with those values converts: the studio's decrypted Email tab converts with
    ``SmtpConfig(**dataclasses.asdict(email_settings))``. A missing ``port`` means the usual
    port for ``security``.
    """

    host: str | None
    port: int | None = None
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str | None = None
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "security", SmtpSecurity(self.security))
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")

    @property
    def effective_port(self) -> int:
        return self.port if self.port else DEFAULT_PORTS[self.security]

    def missing_settings(self) -> tuple[str, ...]:
        """Names (as on the Email tab) of the settings that must be filled in before sending."""
        missing: list[str] = []
        if not (self.host and self.host.strip()):
            missing.append("SMTP server")
        if not (self.from_address and self.from_address.strip()):
            missing.append("From address")
        if self.username and not self.password:
            missing.append("SMTP password")
        if self.password and not self.username:
            missing.append("SMTP username")
        return tuple(missing)

    def require_complete(self) -> None:
        """Raise EMAIL_NOT_CONFIGURED naming every missing setting, if any."""
        missing = self.missing_settings()
        if missing:
            raise EmailError(
                ErrorCode.EMAIL_NOT_CONFIGURED, fields=", ".join(missing), missing=missing
            )
