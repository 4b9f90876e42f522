"""Throw-away Radicale and Xandikos servers on 127.0.0.1, with a password, for the CalDAV tests.

* **Radicale** runs over plain HTTP with ``htpasswd`` authentication (``plain`` entries: the
  ``bcrypt`` module is not installed here) and a rights file: each user owns
  ``/<user>/...``, and a collection whose name starts with ``readonly`` is only readable.
* **Xandikos** ``serve`` checks passwords only over HTTPS (``--htpasswd`` requires
  ``--autocert``), and reads only ``bcrypt`` or ``{SHA}`` htpasswd entries; without ``bcrypt``
  installed the entry is ``{SHA}``. The certificate is made here before the start (Xandikos
  keeps one it finds in its state folder), for 127.0.0.1 and localhost, so clients verify it with
  ``ca_file``. Xandikos ``serve`` is one principal (``/user/``) whoever logs in, and has no
  access control: every collection is writable, so no read-only calendar can be made there.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from requests.auth import HTTPBasicAuth

from studiosync.testing.postgres import free_port

START_TIMEOUT_SECONDS = 20.0
STOP_TIMEOUT_SECONDS = 5.0
USERNAME = "maya"
PASSWORD = "s3cret-Pässword"  # noqa: S105 - the throw-away servers' test account

RADICALE_RIGHTS = """\
[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[readonly]
user: .+
collection: {user}/readonly[^/]*
permissions: r

[own]
user: .+
collection: {user}/[^/]+
permissions: rw
"""

MKCALENDAR = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop>
    <D:displayname>{name}</D:displayname>
    <C:supported-calendar-component-set>{components}</C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"""

MKADDRESSBOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>
    <D:displayname>{name}</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""


@dataclass
class DavServer:
    """A running server and the one account on it; helpers make its collections."""

    kind: str
    url: str
    username: str
    password: str
    directory: Path
    calendar_home: str
    """Where the account's calendars live, ending in ``/``."""
    addressbook_home: str
    """Where its address books live (Radicale: the same place)."""
    ca_file: str | None = None
    read_only_supported: bool = False

    @property
    def auth(self) -> HTTPBasicAuth:
        """Basic credentials as UTF-8 (requests would send a text password as Latin-1)."""
        return HTTPBasicAuth(self.username.encode(), self.password.encode())

    @property
    def verify(self) -> bool | str:
        """What a client passes as ``verify`` / ``ssl_verify_cert``."""
        return self.ca_file or True

    def _send(self, method: str, path: str, body: str = "", **headers: str) -> requests.Response:
        return requests.request(
            method,
            self.url + path,
            data=body.encode(),
            headers={"Content-Type": "application/xml; charset=utf-8", **headers},
            auth=self.auth,
            verify=self.verify,
            timeout=10,
        )

    def make_calendar(
        self, name: str, components: Sequence[str] = ("VEVENT",), *, read_only: bool = False
    ) -> str:
        """Create a calendar holding ``components``; its URL (ends in ``/``)."""
        path = f"{self.calendar_home}{quote(name)}/"
        if read_only:
            if not self.read_only_supported:
                raise NotImplementedError(f"{self.kind} has no read-only collections")
            self._radicale_collection(name, "VCALENDAR", components)
            return self.url + path
        wanted = "".join(f'<C:comp name="{item}"/>' for item in components)
        answer = self._send("MKCALENDAR", path, MKCALENDAR.format(name=name, components=wanted))
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"MKCALENDAR {path}: {answer.status_code} {answer.text[:300]}")
        return self.url + path

    def make_addressbook(self, name: str) -> str:
        """Create an address book; its URL (ends in ``/``)."""
        path = f"{self.addressbook_home}{quote(name)}/"
        answer = self._send("MKCOL", path, MKADDRESSBOOK.format(name=name))
        if answer.status_code not in (200, 201):
            raise RuntimeError(f"MKCOL {path}: {answer.status_code} {answer.text[:300]}")
        return self.url + path

    def put(self, url: str, text: str, content_type: str = "text/calendar") -> str:
        """Write one resource as another client would (no conditions); its new etag."""
        answer = requests.put(
            url,
            data=text.encode(),
            headers={"Content-Type": f"{content_type}; charset=utf-8"},
            auth=self.auth,
            verify=self.verify,
            timeout=10,
        )
        if answer.status_code not in (200, 201, 204):
            raise RuntimeError(f"PUT {url}: {answer.status_code} {answer.text[:300]}")
        return answer.headers.get("ETag", "")

    def delete(self, url: str) -> None:
        """Delete one resource as another client would."""
        answer = requests.delete(url, auth=self.auth, verify=self.verify, timeout=10)
        if answer.status_code not in (200, 204):
            raise RuntimeError(f"DELETE {url}: {answer.status_code} {answer.text[:300]}")

    def _radicale_collection(self, name: str, tag: str, components: Sequence[str]) -> None:
        """A collection written straight into Radicale's storage (for one the user cannot
        create: the rights make it read-only)."""
        folder = self.directory / "collections" / "collection-root" / self.username / name
        folder.mkdir(parents=True, exist_ok=True)
        comps = ",".join(components)
        (folder / ".Radicale.props").write_text(
            f'{{"tag": "{tag}", "D:displayname": "{name}", '
            f'"C:supported-calendar-component-set": "{comps}"}}'
        )


def _wait(process: subprocess.Popen[bytes], url: str, verify: bool | str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server ended at start: {log.read_text()[-2000:]}")
        try:
            requests.request("OPTIONS", url, verify=verify, timeout=1)
            return
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer: {log.read_text()[-2000:]}") from None
            time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server; kill it if it will not end."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT_SECONDS)


@contextmanager
def _process(argv: list[str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    log: IO[bytes] = log_path.open("wb")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        _stop(process)
        log.close()


@contextmanager
def running_radicale(
    username: str = USERNAME, password: str = PASSWORD, *, log_requests: bool = False
) -> Iterator[DavServer]:
    """Start a fresh Radicale with one account; stop it and remove its storage after.

    With ``log_requests`` every request is a line of ``server.log`` (``request_count`` reads it).
    """
    directory = Path(tempfile.mkdtemp(prefix="studiosync-radicale-"))
    port = free_port()
    (directory / "users").write_text(f"{username}:{password}\n")
    (directory / "rights").write_text(RADICALE_RIGHTS)
    config = directory / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {directory / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[rights]\ntype = from_file\nfile = {directory / 'rights'}\n"
        f"[storage]\nfilesystem_folder = {directory / 'collections'}\n"
        f"[logging]\nlevel = {'info' if log_requests else 'warning'}\n"
    )
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "radicale", "--config", str(config)]
    try:
        with _process(argv, directory / "server.log") as process:
            _wait(process, url, True, directory / "server.log")
            yield DavServer(
                kind="radicale",
                url=url,
                username=username,
                password=password,
                directory=directory,
                calendar_home=f"/{quote(username)}/",
                addressbook_home=f"/{quote(username)}/",
                read_only_supported=True,
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def _certificate(cert_dir: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 and localhost, where Xandikos looks for one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    names: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_dir.mkdir(parents=True, mode=0o700)
    (cert_dir / "selfsigned.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    (cert_dir / "selfsigned.key").chmod(0o600)
    (cert_dir / "selfsigned.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_dir / "selfsigned.crt"


def _sha_entry(password: str) -> str:
    digest = hashlib.sha1(password.encode()).digest()  # noqa: S324 - Xandikos's {SHA} format
    return "{SHA}" + base64.b64encode(digest).decode()


@contextmanager
def running_xandikos(username: str = USERNAME, password: str = PASSWORD) -> Iterator[DavServer]:
    """Start a fresh Xandikos over HTTPS with one account; stop it and remove its storage after."""
    directory = Path(tempfile.mkdtemp(prefix="studiosync-xandikos-"))
    port = free_port()
    ca_file = _certificate(directory / "state" / "certs")
    (directory / "users").write_text(f"{username}:{_sha_entry(password)}\n")
    argv = [
        sys.executable,
        "-m",
        "xandikos",
        "serve",
        "-d",
        str(directory / "data"),
        "--state-dir",
        str(directory / "state"),
        "--autocreate",
        "--current-user-principal",
        "/user/",
        "-l",
        "127.0.0.1",
        "-p",
        str(port),
        "--autocert",
        "--htpasswd",
        str(directory / "users"),
        "--no-detect-systemd",
    ]
    url = f"https://127.0.0.1:{port}"
    try:
        with _process(argv, directory / "server.log") as process:
            _wait(process, url, str(ca_file), directory / "server.log")
            yield DavServer(
                kind="xandikos",
                url=url,
                username=username,
                password=password,
                directory=directory,
                calendar_home="/user/calendars/",
                addressbook_home="/user/contacts/",
                ca_file=str(ca_file),
            )
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def running_dav_server(kind: str) -> Iterator[DavServer]:
    """``running_radicale`` or ``running_xandikos`` by name."""
    starters = {"radicale": running_radicale, "xandikos": running_xandikos}
    with starters[kind]() as server:
        yield server


def request_count(server: DavServer) -> int:
    """How many requests a Radicale started with ``log_requests`` has received so far."""
    log = server.directory / "server.log"
    return sum(" request for " in line for line in log.read_text(errors="replace").splitlines())
