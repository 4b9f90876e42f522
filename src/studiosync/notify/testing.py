"""Throw-away SMTP servers on 127.0.0.1 for tests: plain, STARTTLS or implicit TLS, with AUTH."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from studiosync.notify.config import SmtpConfig, SmtpSecurity

if TYPE_CHECKING:
    from studiosync.context import Studio

TlsMode = Literal["none", "starttls", "ssl"]
LOOPBACK = "127.0.0.1"


def _not_aiosmtpd_own_deprecation(record: logging.LogRecord) -> bool:
    """aiosmtpd warns about its own legacy ``login_data`` on every login; that is noise here."""
    return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_not_aiosmtpd_own_deprecation)


@dataclass(frozen=True)
class SelfSignedCertificate:
    """A certificate and its key (PEM) that no system trust store knows."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory(prefix="studiosync-cert-") as folder:
            cert_path, key_path = Path(folder) / "cert.pem", Path(folder) / "key.pem"
            cert_path.write_bytes(self.cert_pem)
            key_path.write_bytes(self.key_pem)
            context.load_cert_chain(cert_path, key_path)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A verifying client context that trusts this certificate and nothing else."""
        return ssl.create_default_context(cadata=self.cert_pem.decode("ascii"))


def make_self_signed_certificate(
    names: Collection[str] = ("localhost",),
    addresses: Collection[str] = (LOOPBACK,),
    valid_for: timedelta = timedelta(days=1),
) -> SelfSignedCertificate:
    """A fresh EC P-256 certificate for ``names`` and IP ``addresses`` (subject = issuer)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, next(iter(names), LOOPBACK))])
    now = datetime.now(UTC)
    alternative_names: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alternative_names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in addresses]
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + valid_for)
        .add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return SelfSignedCertificate(
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


@dataclass(frozen=True)
class ReceivedEmail:
    """One message the test server accepted, with how it arrived."""

    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage
    login: str | None
    encrypted: bool

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def text(self) -> str:
        return _body(self.message, "plain")

    def html(self) -> str:
        return _body(self.message, "html")


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        raise LookupError(f"the message has no text/{subtype} part")
    content: str = part.get_content()
    return content


class _Mailbox:
    """The aiosmtpd handler: records accepted messages and successful logins."""

    def __init__(self, refuse_recipients: Collection[str], auth_required: bool) -> None:
        self.refuse = {address.lower() for address in refuse_recipients}
        self.auth_required = auth_required
        self.changed = threading.Condition()
        self.messages: list[ReceivedEmail] = []
        self.logins: list[str] = []

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.auth_required and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any
    ) -> str:
        raw = envelope.original_content or envelope.content
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        received = ReceivedEmail(
            mail_from=str(envelope.mail_from),
            recipients=tuple(envelope.rcpt_tos),
            message=parsed,
            login=session.auth_data if session.authenticated else None,
            encrypted=server.transport.get_extra_info("ssl_object") is not None,
        )
        with self.changed:
            self.messages.append(received)
            self.changed.notify_all()
        return "250 2.0.0 Message accepted"

    def authenticator(self, username: str, password: str) -> Any:
        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            if (
                isinstance(data, LoginPassword)
                and secrets.compare_digest(data.login, username.encode())
                and secrets.compare_digest(data.password, password.encode())
            ):
                with self.changed:
                    self.logins.append(username)
                    self.changed.notify_all()
                return AuthResult(success=True, auth_data=username)
            return AuthResult(success=False, handled=False)

        return check


class _LoopbackController(Controller):
    """aiosmtpd's threaded controller, able to listen on a port the system picks (port 0)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@dataclass
class SmtpTestServer:
    """A running test server: where it listens and what it received."""

    host: str
    port: int
    tls: TlsMode
    certificate: SelfSignedCertificate | None
    auth: tuple[str, str] | None = field(repr=False)
    _mailbox: _Mailbox = field(repr=False)

    def serve(self, studio: Studio, from_address: str = "studio@studiosync.test") -> None:
        """Set the studio's Email tab to send through this server (and log in as it expects)."""
        from studiosync.choices import SmtpSecurity as TabSecurity
        from studiosync.studio.company import set_email_settings

        config = self.smtp_config(from_address=from_address)
        with studio.transaction() as session:
            set_email_settings(
                session,
                studio.box,
                host=config.host,
                port=config.port,
                security=TabSecurity(config.security.value),
                username=config.username,
                password=config.password,
                from_address=config.from_address,
            )

    def smtp_config(self, **changes: Any) -> SmtpConfig:
        """Settings that reach this server (and log in as it expects), with ``changes`` applied."""
        username, password = self.auth or (None, None)
        config = SmtpConfig(
            host=self.host,
            port=self.port,
            security=SmtpSecurity(self.tls),
            username=username,
            password=password,
            from_address="studio@studiosync.test",
            timeout=5.0,
        )
        return replace(config, **changes)

    @property
    def messages(self) -> list[ReceivedEmail]:
        with self._mailbox.changed:
            return list(self._mailbox.messages)

    @property
    def logins(self) -> list[str]:
        with self._mailbox.changed:
            return list(self._mailbox.logins)

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's certificate."""
        if self.certificate is None:
            raise LookupError("this server does not use TLS")
        return self.certificate.client_context()

    def wait_for_messages(self, count: int, timeout: float = 5.0) -> list[ReceivedEmail]:
        """Wait until at least ``count`` messages arrived (sent from another thread/process)."""
        deadline = time.monotonic() + timeout
        with self._mailbox.changed:
            while len(self._mailbox.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._mailbox.messages)} of {count} messages came")
                self._mailbox.changed.wait(left)
            return list(self._mailbox.messages)


@contextmanager
def running_smtp_server(
    *,
    tls: TlsMode = "none",
    auth: tuple[str, str] | None = None,
    auth_require_tls: bool = True,
    refuse_recipients: Collection[str] = (),
    certificate: SelfSignedCertificate | None = None,
) -> Iterator[SmtpTestServer]:
    """An aiosmtpd server on 127.0.0.1 (free port), stopped when the block ends.

    ``tls``: "none"; "starttls" (offered and required before MAIL); "ssl" (TLS from the first
    byte). A self-signed certificate is made unless one is given. ``auth`` = (username,
    password) offers AUTH PLAIN/LOGIN, accepts only that pair and requires it before MAIL.
    aiosmtpd offers AUTH only after STARTTLS unless ``auth_require_tls`` is False; with "ssl"
    the whole connection is encrypted, so AUTH is always offered there.
    """
    if tls not in ("none", "starttls", "ssl"):
        raise ValueError(f"tls must be 'none', 'starttls' or 'ssl', not {tls!r}")
    if tls != "none" and certificate is None:
        certificate = make_self_signed_certificate()
    mailbox = _Mailbox(refuse_recipients, auth_required=auth is not None)
    options: dict[str, Any] = {
        "server_hostname": "smtp.studiosync.test",
        "ready_timeout": 10.0,
        "timeout": 30,
    }
    if certificate is not None and tls == "starttls":
        options.update(tls_context=certificate.server_context(), require_starttls=True)
    if certificate is not None and tls == "ssl":
        options["ssl_context"] = certificate.server_context()
    if auth is not None:
        options["authenticator"] = mailbox.authenticator(*auth)
        options["auth_require_tls"] = auth_require_tls and tls != "ssl"
    controller = _LoopbackController(mailbox, hostname=LOOPBACK, port=0, **options)
    try:
        controller.start()
    except BaseException:
        _stop(controller)
        raise
    try:
        yield SmtpTestServer(LOOPBACK, controller.port, tls, certificate, auth, mailbox)
    finally:
        _stop(controller)


def _stop(controller: _LoopbackController) -> None:
    controller.stop(no_assert=True)
    if not controller.loop.is_running() and not controller.loop.is_closed():
        controller.loop.close()


@contextmanager
def silent_server() -> Iterator[tuple[str, int]]:
    """A port on 127.0.0.1 that accepts TCP connections and never says a word."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(8)  # the kernel completes handshakes; nobody ever reads or writes
        yield LOOPBACK, listener.getsockname()[1]


def unused_port() -> int:
    """A port on 127.0.0.1 with nothing listening (free at the time of the call)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
    return port
