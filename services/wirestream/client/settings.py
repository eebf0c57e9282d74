"""The client's settings: the same object and variables as the worker's, read once."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import SettingsError

from wirestream.client.errors import InvalidSettings
from wirestream.settings import Settings, describe_settings_error


def client_settings(settings: Settings | None = None) -> Settings:
    """`settings`, or the environment's (WIRESTREAM_*), checked for talking to Kafka."""
    try:
        settings = settings or Settings()
    except (ValidationError, SettingsError) as exc:
        raise InvalidSettings(f"invalid settings: {describe_settings_error(exc)}") from None
    settings.require_kafka()
    return settings
