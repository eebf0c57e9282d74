"""Delivery settings reach Faust and aiokafka as the right arguments (Apache Kafka modes cannot run here)."""

from __future__ import annotations

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


def test_exactly_once_is_a_setting() -> None:
    app = make_faust_app(Settings(processing_guarantee="exactly_once"))
    assert app.conf.processing_guarantee.value == "exactly_once"


def test_tansu_workarounds_are_the_defaults() -> None:
    app = make_faust_app(Settings())
    assert app.conf.broker_session_timeout == 6.0 and app.conf.broker_heartbeat_interval == 1.0
    assert app.conf.producer_max_batch_size == 1
    assert app.conf.web_bind == "127.0.0.1"


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
