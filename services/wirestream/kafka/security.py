"""Kafka security settings as the clients want them: aiokafka keyword arguments, Faust credentials.

Consumes the Settings; produces what `AIOKafka*` clients and the Faust app are built with, so
the worker and every CLI command connect the same way.
"""

from __future__ import annotations

import ssl
from typing import Any

from wirestream.settings import Settings


def make_ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """A TLS context for SSL and SASL_SSL: the CA to trust and, if given, the client certificate."""
    if not settings.security_protocol.endswith("SSL"):
        return None
    from aiokafka.helpers import create_ssl_context

    context: ssl.SSLContext = create_ssl_context(
        cafile=str(settings.ssl_cafile) if settings.ssl_cafile else None,
        certfile=str(settings.ssl_certfile) if settings.ssl_certfile else None,
        keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile else None,
    )
    return context


def aiokafka_security(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer/Consumer/AdminClient."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    context = make_ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL"):
        options.update(
            sasl_mechanism=settings.sasl_mechanism,
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_secret(),
        )
    return options


def faust_credentials(settings: Settings) -> Any:
    """`broker_credentials` for the Faust app (None for PLAINTEXT)."""
    import faust

    context = make_ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(username=settings.sasl_username, password=settings.sasl_secret(),
                                     ssl_context=context, mechanism=settings.sasl_mechanism)
    if context is not None:
        return faust.SSLCredentials(context)
    return None
