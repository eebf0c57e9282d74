"""Kafka security settings reach aiokafka and Faust as the right arguments; secrets stay secret.

SSL and SASL_SSL cannot be exercised against the embedded broker here, so these tests check
what the clients are built with; the SASL handshake itself is exercised in
tests/integration/test_security.py.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from pydantic import ValidationError
from wirestream.errors import ConfigError
from wirestream.kafka.clients import client_options
from wirestream.kafka.security import faust_credentials
from wirestream.settings import Settings

TLS = Path(__file__).parent / "tls"


def test_plaintext_is_the_default_and_adds_nothing() -> None:
    options = client_options(Settings(kafka_bootstrap_servers="k1:9092,k2:9092"))
    assert options == {"bootstrap_servers": "k1:9092,k2:9092", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(Settings()) is None


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_plaintext_passes_mechanism_user_and_password(mechanism: str) -> None:
    settings = Settings(security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
                        sasl_username="alice", sasl_password="s3cret")
    options = client_options(settings)
    assert options["security_protocol"] == "SASL_PLAINTEXT"
    assert options["sasl_mechanism"] == mechanism
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("alice", "s3cret")
    assert "ssl_context" not in options
    credentials = faust_credentials(settings)
    assert credentials.protocol.value == "SASL_PLAINTEXT" and credentials.mechanism.value == mechanism
    assert (credentials.username, credentials.password) == ("alice", "s3cret")


def test_sasl_ssl_reads_the_password_file_and_trusts_the_ca(tmp_path: Path) -> None:
    secret = tmp_path / "kafka-password"
    secret.write_text("from-a-file\n", encoding="utf-8")
    settings = Settings(security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="svc",
                        sasl_password_file=secret, ssl_cafile=TLS / "ca.pem")
    options = client_options(settings)
    assert options["sasl_plain_password"] == "from-a-file"  # the trailing newline of a secret file is not part of it
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
    assert [c["subject"] for c in context.get_ca_certs()] == [((("commonName", "wirestream test CA"),),)]
    credentials = faust_credentials(settings)
    assert credentials.protocol.value == "SASL_SSL" and credentials.ssl_context is not None


def test_ssl_with_a_client_certificate() -> None:
    settings = Settings(security_protocol="SSL", ssl_cafile=TLS / "ca.pem",
                        ssl_certfile=TLS / "client.pem", ssl_keyfile=TLS / "client.key")
    options = client_options(settings)
    assert options["security_protocol"] == "SSL" and isinstance(options["ssl_context"], ssl.SSLContext)
    assert "sasl_mechanism" not in options
    assert faust_credentials(settings).protocol.value == "SSL"


def test_the_worker_app_is_built_with_the_credentials() -> None:
    from wirestream.worker.app import make_faust_app

    app = make_faust_app(Settings(security_protocol="SASL_PLAINTEXT", sasl_mechanism="SCRAM-SHA-256",
                            sasl_username="alice", sasl_password="s3cret"))
    assert app.conf.broker_credentials.mechanism.value == "SCRAM-SHA-256"
    assert app.conf.broker_credentials.username == "alice"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"security_protocol": "SASL_SSL", "sasl_password": "x"}, "needs WIRESTREAM_SASL_USERNAME"),
        ({"security_protocol": "SASL_PLAINTEXT", "sasl_username": "a"}, "needs WIRESTREAM_SASL_PASSWORD"),
        ({"security_protocol": "SSL", "ssl_cafile": "/nonexistent/ca.pem"}, "no such file"),
        ({"security_protocol": "SSL", "ssl_certfile": str(TLS / "client.pem")}, "go together"),
        ({"security_protocol": "TLS"}, "security_protocol"),
        ({"sasl_mechanism": "GSSAPI"}, "sasl_mechanism"),
    ],
    ids=["SASL without a user", "SASL without a password", "a missing CA file", "a certificate without its key",
         "an unknown protocol", "an unsupported mechanism"],
)
def test_incomplete_security_settings_are_refused_with_the_variable_to_fix(fields: dict[str, str], message: str) -> None:
    # Wrong values fail when the settings are read; incomplete ones when a command needs Kafka.
    with pytest.raises((ValidationError, ConfigError), match=message):
        Settings(**fields).require_kafka()


def test_the_password_never_shows_in_the_settings_repr_or_dump() -> None:
    settings = Settings(security_protocol="SASL_PLAINTEXT", sasl_username="alice", sasl_password="s3cret-value")
    assert "s3cret-value" not in repr(settings)
    assert "s3cret-value" not in str(settings.model_dump())
    assert "s3cret-value" not in settings.model_dump_json()
