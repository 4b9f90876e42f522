"""The reusable loopback SMTP server: it starts on a free port, records, and stops cleanly."""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading

import pytest

from studiosync.notify.messages import settings_test_email
from studiosync.notify.smtp import send
from studiosync.notify.testing import (
    SelfSignedCertificate,
    make_self_signed_certificate,
    running_smtp_server,
    silent_server,
    unused_port,
)


def test_the_server_listens_on_loopback_and_is_gone_afterwards() -> None:
    threads_before = threading.active_count()
    with running_smtp_server() as server:
        assert server.host == "127.0.0.1"
        assert server.port > 0
        with smtplib.SMTP(server.host, server.port, timeout=5) as client:
            assert client.noop()[0] == 250
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=2).close()
    assert threading.active_count() == threads_before


def test_two_servers_run_side_by_side_on_different_ports() -> None:
    with running_smtp_server() as first, running_smtp_server() as second:
        assert first.port != second.port
        send(
            first.smtp_config(),
            settings_test_email(to="a@x.example", studio="S", config=first.smtp_config()),
        )
        assert len(first.messages) == 1
        assert second.messages == []


def test_the_server_stops_even_when_the_block_fails() -> None:
    with pytest.raises(RuntimeError), running_smtp_server() as server:
        port = server.port
        raise RuntimeError("test body failed")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_messages_sent_from_another_thread_can_be_awaited() -> None:
    with running_smtp_server() as server:
        config = server.smtp_config()
        worker = threading.Thread(
            target=send,
            args=(config, settings_test_email(to="a@x.example", studio="S", config=config)),
        )
        worker.start()
        [received] = server.wait_for_messages(1, timeout=10)
        worker.join()
        assert received.recipients == ("a@x.example",)
        with pytest.raises(TimeoutError):
            server.wait_for_messages(2, timeout=0.2)


def test_a_plain_server_has_no_certificate() -> None:
    with running_smtp_server() as server:
        assert server.certificate is None
        with pytest.raises(LookupError):
            server.client_context()


def test_tls_servers_make_their_own_certificate_that_the_client_context_trusts() -> None:
    with running_smtp_server(tls="ssl") as server:
        assert server.certificate is not None
        raw = socket.create_connection((server.host, server.port), timeout=5)
        with server.client_context().wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.recv(1024).startswith(b"220 ")
            assert tls.version() in {"TLSv1.2", "TLSv1.3"}


def test_the_certificate_is_trusted_only_by_its_own_context(
    certificate: SelfSignedCertificate,
) -> None:
    with running_smtp_server(tls="ssl", certificate=certificate) as server:
        raw = socket.create_connection((server.host, server.port), timeout=5)
        with pytest.raises(ssl.SSLCertVerificationError):
            ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1")
        raw.close()
        other = make_self_signed_certificate()
        raw = socket.create_connection((server.host, server.port), timeout=5)
        with pytest.raises(ssl.SSLCertVerificationError):
            other.client_context().wrap_socket(raw, server_hostname="127.0.0.1")
        raw.close()


def test_the_private_key_is_not_in_the_certificate_repr(
    certificate: SelfSignedCertificate,
) -> None:
    assert certificate.key_pem.decode() not in repr(certificate)
    assert b"PRIVATE KEY" in certificate.key_pem


def test_the_silent_server_accepts_and_never_speaks() -> None:
    with silent_server() as (host, port), socket.create_connection((host, port), timeout=2) as c:
        c.settimeout(0.2)
        with pytest.raises(TimeoutError):
            c.recv(1)


def test_unused_port_has_nothing_listening() -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", unused_port()), timeout=2).close()


def test_an_unknown_tls_mode_is_refused() -> None:
    with pytest.raises(ValueError), running_smtp_server(tls="tls"):  # type: ignore[arg-type]
        pass
