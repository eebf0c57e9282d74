"""Delivery settings reach Faust and aiokafka as the right arguments (Apache Kafka modes cannot run here)."""

from __future__ import annotations

import pytest
from wirestream.settings import Settings
from wirestream.worker.app import make_faust_app


def _producer_options(settings: Settings) -> dict[str, object]:
    app = make_faust_app(settings)
    producer = app.producer_transport.create_producer(loop=None)
    options = {**producer._settings_default(), **producer._settings_extra()}  # type: ignore[attr-defined]
    return options


def test_defaults_are_at_least_once_with_acks_all_and_no_idempotence() -> None:
    settings = Settings()
    app = make_faust_app(settings)
    assert app.conf.processing_guarantee.value == "at_least_once"
    assert app.conf.producer_acks == -1
    options = _producer_options(settings)
    assert options["acks"] == -1 and "enable_idempotence" not in options


def test_idempotent_producer_is_a_setting() -> None:
    options = _producer_options(Settings(producer_idempotence=True))
    assert options["enable_idempotence"] is True and options["acks"] == "all"


def test_exactly_once_is_no_setting_any_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """Removed: Faust's transactions never ran this pipeline on Apache Kafka (README, Guarantees).
    A deployment that still sets the variable gets at least once, not a transaction half-working."""
    monkeypatch.setenv("WIRESTREAM_PROCESSING_GUARANTEE", "exactly_once")
    app = make_faust_app(Settings())
    assert app.conf.processing_guarantee.value == "at_least_once"
    assert "processing_guarantee" not in Settings.model_fields


def test_apache_kafka_gets_its_own_defaults_and_tansu_its_workarounds() -> None:
    kafka = make_faust_app(Settings()).conf  # the broker not yet known: Apache Kafka, what users deploy
    assert kafka.broker_session_timeout == 10.0 and kafka.broker_heartbeat_interval == 3.0
    assert kafka.producer_max_batch_size == 16_384 and kafka.producer_linger == 0.005
    assert kafka.web_bind == "127.0.0.1"
    tansu = make_faust_app(Settings(broker_kind="tansu")).conf
    assert tansu.broker_session_timeout == 6.0 and tansu.broker_heartbeat_interval == 1.0
    assert tansu.producer_max_batch_size == 1 and tansu.producer_linger == 0.0


def test_a_value_set_wins_over_its_brokers_default() -> None:
    settings = Settings(broker_kind="tansu", session_timeout=8, producer_max_batch_size=512, fetch_max_wait=0.2)
    assert (settings.tuning.session_timeout, settings.tuning.producer_max_batch_size) == (8, 512)
    assert settings.tuning.fetch_max_wait == 0.2 and settings.tuning.heartbeat_interval == 1.0
    assert Settings().for_broker("tansu").tuning.fetch_max_wait == 0.05


def test_a_partition_whose_handed_over_messages_vanished_is_found_stranded() -> None:
    from faust.types import TP
    from wirestream.faust_fixes.skipped_messages import stranded

    a, b, c, d, e = (TP("wirestream.ingested", p) for p in range(5))
    read = {a: 589, b: 700, c: 41, d: 9, e: 12}
    committed = {a: 560, b: 701, c: 30, d: 5, e: 12}
    acked = {c: [30, 31]}
    in_flight = {(d, 7)}
    # a: handed over up to 589, committed up to 560, nothing acked, nothing in flight -> stranded.
    # b: everything read is committed; c: acks pending a commit; d: a message still in flight;
    # e: just rewound (read offset at the committed one).
    assert stranded([a, b, c, d, e], read, committed, acked, in_flight) == [a]


def test_the_fetch_wait_fix_is_tansus_unless_a_wait_is_set() -> None:
    """Faust hard-codes a 1.5 s fetch wait; on Apache Kafka that costs no latency (README, Guarantees:
    the Faust fixes), so a Kafka worker keeps it unless WIRESTREAM_FETCH_MAX_WAIT says otherwise."""
    from wirestream.faust_fixes.fetch_wait import FetchWaitConsumer

    def waits_as_told(settings: Settings) -> bool:
        app = make_faust_app(settings)
        return issubclass(app.transport.Consumer, FetchWaitConsumer)

    assert waits_as_told(Settings(broker_kind="tansu"))
    assert not waits_as_told(Settings(broker_kind="kafka"))
    assert waits_as_told(Settings(broker_kind="kafka", fetch_max_wait=0.2))
