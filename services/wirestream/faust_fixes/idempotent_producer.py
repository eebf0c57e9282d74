"""Faust 0.15.3 offers no setting for an idempotent producer; this one asks aiokafka for it when
the app does (Apache Kafka only: the embedded broker's InitProducerId fails)."""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka


class Producer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Any:
        extra = dict(super()._settings_extra())
        if getattr(self.app, "producer_idempotence", False):
            extra.update(acks="all", enable_idempotence=True)
        return extra
