"""Faust 0.15.3 offers no setting for an idempotent producer; this one asks aiokafka for it when
the app does (Apache Kafka only: the embedded broker's InitProducerId fails). No upstream issue or
PR adds the setting (faust-streaming issues searched 2026-12-03); Faust passes
`_settings_extra()` to aiokafka's producer, which is what this overrides."""

from __future__ import annotations

from typing import Any, cast

from faust.transport.drivers import aiokafka as faust_aiokafka


class Producer(faust_aiokafka.Producer):
    def _settings_extra(self) -> Any:
        extra = dict(super()._settings_extra())
        if cast(Any, self.app).producer_idempotence:
            extra.update(acks="all", enable_idempotence=True)
        return extra
