"""Every size limit comes from WIRESTREAM_MAX_ARTICLE_BYTES, and an accepted article always fits
its way out: the topics, the producers, the consumers, the compose brokers and the rejections."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest
import yaml
from wirestream.contracts import Rejection
from wirestream.enrich.entities import group_mentions
from wirestream.enrich.outputs import encode_enriched, make_rejection
from wirestream.enrich.pipeline import enrich
from wirestream.errors import OutputTooLarge, TooLarge
from wirestream.kafka.topics import topic_catalogue
from wirestream.limits import size_limits
from wirestream.serialization import decode_model, dumps, encode_model
from wirestream.settings import Settings

from tests.conftest import PROJECT

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def test_a_record_holds_three_articles_and_the_envelope_and_a_request_holds_a_record() -> None:
    limits = size_limits(1_000_000)
    assert limits.article_bytes == 1_000_000
    assert limits.record_bytes >= 3 * limits.article_bytes
    assert limits.request_bytes > limits.record_bytes and limits.fetch_bytes >= limits.request_bytes
    assert 0 < limits.rejection_prefix_bytes < limits.article_bytes


def test_every_topic_is_created_to_carry_the_largest_record() -> None:
    settings = Settings(max_article_bytes=2_000_000)
    for spec in topic_catalogue(settings).all():
        assert int(spec.config["max.message.bytes"]) == settings.limits.record_bytes, spec.name


async def test_the_worker_and_the_command_line_clients_are_sized_from_the_same_setting() -> None:
    from wirestream.kafka.clients import make_consumer, make_producer
    from wirestream.worker.app import make_faust_app

    settings = Settings(max_article_bytes=2_000_000)
    app = make_faust_app(settings)
    assert app.conf.producer_max_request_size == settings.limits.request_bytes
    assert app.conf.consumer_max_fetch_size == settings.limits.fetch_bytes
    assert make_producer(settings)._max_request_size == settings.limits.request_bytes
    consumer = make_consumer(settings, "articles.enriched", from_beginning=True)
    assert consumer._max_partition_fetch_bytes == settings.limits.fetch_bytes


@pytest.mark.parametrize("compose", ["docker-compose.yml", "docker-compose.cluster.yml"])
def test_compose_brokers_accept_the_records_the_workers_write(compose: str) -> None:
    services = yaml.safe_load((PROJECT / compose).read_text(encoding="utf-8"))["services"]
    main = yaml.safe_load((PROJECT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    configured = main["enrich"]["environment"].get("WIRESTREAM_MAX_ARTICLE_BYTES", 1_000_000)
    article = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(configured))
    needed = size_limits(int(article)).request_bytes
    brokers = {name: s for name, s in services.items() if "KAFKA_PROCESS_ROLES" in str(s.get("environment", ""))}
    assert brokers, compose
    for name, broker in brokers.items():
        environment = broker["environment"]
        for variable in ("KAFKA_MESSAGE_MAX_BYTES", "KAFKA_REPLICA_FETCH_MAX_BYTES"):
            value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(environment.get(variable, 0)))
            assert int(value) >= needed, f"{compose}: {name} {variable}={value}, needs >= {needed}"


def test_a_rejection_of_an_original_over_the_limit_keeps_a_prefix_its_size_and_its_hash() -> None:
    limits = size_limits(10_000)
    original = ("é" * 40_000).encode()  # 80,000 bytes of two-byte characters
    rejection = make_rejection(TooLarge("too big"), original, b"key", NOW, None, limits)
    assert rejection.truncated and rejection.original_size == len(original)
    assert rejection.original_sha256 == hashlib.sha256(original).hexdigest()
    prefix = rejection.original_bytes()
    assert original.startswith(prefix) and len(prefix) <= limits.rejection_prefix_bytes
    assert len(prefix) >= limits.rejection_prefix_bytes - 1  # cut at a character boundary, still UTF-8
    assert rejection.original_encoding == "utf-8"
    assert len(encode_model(rejection)) < limits.record_bytes


def test_a_rejection_of_an_original_within_the_limit_carries_all_of_it() -> None:
    original = b"\xff\xfe not UTF-8"
    rejection = make_rejection(TooLarge("x"), original, None, NOW, None, size_limits(10_000))
    assert not rejection.truncated and rejection.original_bytes() == original
    assert rejection.original_encoding == "base64" and rejection.original_size == len(original)


def test_mentions_are_capped_per_entity_and_count_keeps_the_total() -> None:
    text = "Macron spoke. " * 50
    spans = [(i * 14, i * 14 + 6, "PERSON") for i in range(50)]
    [entity] = group_mentions(text, spans, max_mentions=5)
    assert entity.count == 50 and len(entity.mentions) == 5
    assert [m.start for m in entity.mentions] == [0, 14, 28, 42, 56]  # the first ones, in text order


def test_an_enriched_record_no_topic_can_carry_is_output_too_large(enrichers) -> None:  # type: ignore[no-untyped-def]
    article = enrich(dumps({"id": "big", "text": "LONDON (Reuters) - Keir Starmer met Emmanuel Macron. " * 40}),
                     enrichers)
    record = encode_enriched(article, size_limits(1_000_000))
    assert decode_model(type(article), record).id == "big"
    tiny = size_limits(1_000_000).__class__(article_bytes=1_000, record_bytes=len(record) - 1, request_bytes=len(record),
                                            fetch_bytes=len(record), rejection_prefix_bytes=100)
    with pytest.raises(OutputTooLarge, match="enriched record is"):
        encode_enriched(article, tiny)


def test_a_version_1_rejection_is_read_with_its_size_and_hash() -> None:
    old = dumps({"schema_version": 1, "reason": "empty_text", "stage": "ingest", "error": "x",
                 "received_at": "2026-11-25T00:00:00Z", "key": None, "original": "  ", "original_encoding": "utf-8"})
    rejection = decode_model(Rejection, old)
    assert rejection.schema_version == 3 and not rejection.truncated
    assert (rejection.original_size, rejection.original_sha256) == (2, hashlib.sha256(b"  ").hexdigest())
