"""The pipeline end to end through a real embedded broker and a real worker process."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from wirestream.kafka.topics import topic_catalogue
from wirestream.limits import SizeLimits, size_limits
from wirestream.serialization import dumps

from tests.integration.brokers import BROKERS
from tests.integration.conftest import (
    MAX_ARTICLE_BYTES,
    Cluster,
    Collector,
    WorkerProcess,
    following,
    producing,
    running_cluster,
    running_worker,
)

pytestmark = pytest.mark.integration


# Poison input, sizes, revisions and the dedupe of a re-send: on Tansu and on Apache Kafka, each
# with a broker and worker of this module's own.
@pytest.fixture(scope="module", params=BROKERS)
def cluster(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(request.param, tmp_path_factory) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def worker(cluster: Cluster) -> Iterator[WorkerProcess]:
    with running_worker(cluster) as process:
        yield process


@pytest.fixture(scope="module")
async def collector(cluster: Cluster, worker: WorkerProcess) -> AsyncIterator[Collector]:
    async with following(cluster) as found:
        yield found


@pytest.fixture(scope="module")
async def producer(cluster: Cluster) -> AsyncIterator[AIOKafkaProducer]:
    async with producing(cluster) as producer:
        yield producer

def cluster_limits() -> SizeLimits:
    return size_limits(MAX_ARTICLE_BYTES)


GOOD = {
    "london": (
        "LONDON, Nov 24 (Reuters) - British Prime Minister Keir Starmer met French President Emmanuel Macron "
        "in London on Monday. Starmer said the talks with Macron were useful.",
        {"language": "en", "city": "London", "country": "GB", "agency": "Reuters", "date": "2026-11-24",
         "entity": ("Keir Starmer", "PERSON", 2)},
    ),
    "washington": (
        "WASHINGTON (AP) — The Senate confirmed Maria Delgado as ambassador to Mexico on Tuesday. "
        "Delgado, a former governor, thanked the Senate.",
        {"language": "en", "city": "Washington", "country": "US", "agency": "AP", "date": None,
         "entity": ("Maria Delgado", "PERSON", 2)},
    ),
    "paris": (
        "PARIS, 24 nov (AFP) - Le président Emmanuel Macron a reçu lundi à Paris le chancelier allemand "
        "Friedrich Merz pour parler de l'avenir de l'Union européenne.",
        {"language": "fr", "city": "Paris", "country": "FR", "agency": "AFP", "date": "2026-11-24",
         "entity": ("Emmanuel Macron", "PERSON", 1)},
    ),
    "madrid": (
        "Madrid, 24 nov (EFE).- El presidente del Gobierno, Pedro Sánchez, anunció este lunes un plan de "
        "vivienda para jóvenes en toda España.",
        {"language": "es", "city": "Madrid", "country": "ES", "agency": "EFE", "date": "2026-11-24",
         "entity": ("Pedro Sánchez", "PERSON", 1)},
    ),
    "ankara": (
        "ANKARA (AA) - Cumhurbaşkanı Recep Tayyip Erdoğan pazartesi günü Ankara'da yeni bir ekonomi programı açıkladı.",
        {"language": "tr", "city": "Ankara", "country": "TR", "agency": "AA", "date": None,
         "entity": ("Ankara", "PLACE", 1), "status": "places_only"},
    ),
    "gaza": (
        "GAZA CITY — Aid trucks entered northern Gaza on Sunday, the United Nations said, as aid agencies "
        "warned that hunger was spreading.",
        {"language": "en", "city": "Gaza", "country": "PS", "agency": None, "date": None,
         "entity": ("United Nations", "ORG", 1)},
    ),
    "no-dateline": (
        "Researchers at the University of Oxford said on Tuesday that a new malaria vaccine had shown strong "
        "results in a trial of children in Kenya and Mali.",
        {"language": "en", "city": None, "entity": ("University of Oxford", "ORG", 1)},
    ),
}


def bad_inputs(unique: str) -> dict[str, tuple[bytes, str]]:
    return {
        f"{unique}-not-utf8": (b"\xff\xfe\xfa not text", "not_utf8"),
        f"{unique}-array": (b'["an", "array"]', "not_an_object"),
        f"{unique}-number": (b"42", "not_an_object"),
        f"{unique}-broken-object": (b'{"text": "cut off', "invalid_json"),
        f"{unique}-no-text": (dumps({"title": "a title and nothing else"}), "invalid_article"),
        f"{unique}-text-not-string": (dumps({"text": ["a", "list"]}), "invalid_article"),
        f"{unique}-blank": (dumps({"text": " \n\t\u0000 "}), "empty_text"),
        f"{unique}-deep": (b'{"a":' * 5000 + b"1" + b"}" * 5000, "invalid_json"),
        f"{unique}-too-large": (dumps({"text": "word " * (MAX_ARTICLE_BYTES // 4)}), "too_large"),
    }


async def test_good_articles_come_out_enriched_and_bad_ones_rejected_with_reasons(
    producer: AIOKafkaProducer, collector: Collector, unique: str
) -> None:
    bad = bad_inputs(unique)
    sends = []
    # Interleave good and bad so a bad message is followed by good ones in the same partitions.
    for (name, (text, _)), (key, (value, _)) in zip(GOOD.items(), list(bad.items()) + [(None, (None, None))] * 9):
        article_id = f"{unique}-{name}"
        sends.append(await producer.send("articles.raw", dumps({"id": article_id, "text": text,
                                                                 "published_at": "2026-11-25T08:00:00Z"})))
        if key is not None:
            sends.append(await producer.send("articles.raw", value, key=key.encode()))
    for key, (value, _) in list(bad.items())[len(GOOD):]:
        sends.append(await producer.send("articles.raw", value, key=key.encode()))
    for sent in sends:
        await sent

    await collector.wait_for(ids={f"{unique}-{n}" for n in GOOD}, rejected_keys=set(bad))

    for name, (text, expected) in GOOD.items():
        article = collector.enriched[f"{unique}-{name}"]
        assert article.language.code == expected["language"], name
        assert article.text == text
        if expected["city"] is None:
            assert article.dateline is None and article.body == text and article.body_start == 0
        else:
            dateline = article.dateline
            assert dateline is not None, name
            assert (dateline.city, dateline.country_code) == (expected["city"], expected["country"])
            assert (dateline.agency.code if dateline.agency else None) == expected["agency"]
            assert (dateline.date.iso if dateline.date else None) == expected["date"]
            assert article.text[dateline.start : dateline.end] == dateline.text
            assert article.body == text[dateline.end :].lstrip()
        if expected["entity"] is None:
            assert article.entities_status == "unsupported_language" and article.entities == []
        else:
            assert article.entities_status == expected.get("status", "ok")
            name_, label, count = expected["entity"]
            match = [e for e in article.entities if e.name == name_]
            assert match and (match[0].label, match[0].count) == (label, count), (name, article.entities)
            for mention in match[0].mentions:
                assert article.text[mention.start : mention.end] == mention.text

    for key, (value, reason) in bad.items():
        rejection = collector.rejected_by_key[key]
        assert (rejection.reason, rejection.stage) == (reason, "ingest"), key
        assert (rejection.original_size, rejection.original_sha256) == (len(value), hashlib.sha256(value).hexdigest())
        if reason == "too_large":  # over the article limit: a prefix of it, and says so
            assert rejection.truncated and value.startswith(rejection.original_bytes())
            assert len(rejection.original_bytes()) == cluster_limits().rejection_prefix_bytes
        else:
            assert not rejection.truncated and rejection.original_bytes() == value
        assert rejection.error


async def test_seed_article_comes_out_as_expected(producer: AIOKafkaProducer, collector: Collector,
                                                  seed_path, unique: str) -> None:  # type: ignore[no-untyped-def]
    article_id = f"{unique}-seed"
    await (await producer.send("articles.raw", dumps({"id": article_id, "text": seed_path.read_text("utf-8")})))
    await collector.wait_for(ids={article_id})
    article = collector.enriched[article_id]
    assert article.language.code == "en"
    dateline = article.dateline
    assert dateline is not None and dateline.text == "Tehran(IP)-"
    assert (dateline.city, dateline.country_code) == ("Tehran", "IR")
    assert dateline.agency is not None and (dateline.agency.code, dateline.agency.name) == ("IP", "Iran Press")
    people = {e.name: e for e in article.entities if e.label == "PERSON"}
    assert people["Hossein Amir-Abdollahian"].count == 3
    assert people["Ziyad al-Nakhalah"].count == 3
    orgs = [e for e in article.entities if e.label == "ORG" and e.name.startswith("Palestinian Islamic Jihad")]
    assert len(orgs) == 1 and orgs[0].count == 3


async def test_plain_text_value_gets_a_stable_id(producer: AIOKafkaProducer, collector: Collector, unique: str) -> None:
    from wirestream.enrich.normalize import derive_article_id, normalize_text

    text = f"TOKYO, Nov 24 (Kyodo) - Japan's cabinet approved a budget. Reference {unique}."
    await (await producer.send("articles.raw", text.encode()))
    article_id = derive_article_id(normalize_text(text))
    await collector.wait_for(ids={article_id})
    assert collector.enriched[article_id].dateline.agency.code == "Kyodo"  # type: ignore[union-attr]


async def test_every_topic_exists_with_its_partition_count(cluster: Cluster, collector: Collector) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=cluster.settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        described = {t["topic"]: len(t["partitions"]) for t in await admin.describe_topics(
            [spec.name for spec in topic_catalogue(cluster.settings).all()])}
    finally:
        await admin.close()
    assert described == {spec.name: spec.partitions for spec in topic_catalogue(cluster.settings).all()}
    assert described[cluster.settings.topic_stories] == 1  # every article meets every earlier one


async def test_worker_health_and_ready_endpoints_answer_on_loopback(worker, cluster, collector: Collector) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from wirestream.kafka.admin import describe_group

    from tests.integration.fleet import http_get

    base = f"http://127.0.0.1:{worker.web_port}"
    for _ in range(120):  # the worker serves them once its models are loaded and it holds its partitions
        status, body = await asyncio.to_thread(http_get, f"{base}/ready")
        if status == 200:
            break
        assert status in (0, 503), (status, body)  # not answering yet, or not ready, with its reasons
        assert body is None or body["reasons"]
        await asyncio.sleep(0.5)
    else:
        raise AssertionError(f"{base}/ready never said ready")
    assert body["ready"] is True and body["reasons"] == [] and body["group"] == "wirestream"
    group = await describe_group(cluster.settings, "wirestream")
    assert group.state == "Stable" and group.members == 1  # the package's only worker holds every partition
    partitions = list(range(cluster.settings.partitions))
    assert body["assignment"]["articles.raw"] == partitions
    assert body["assignment"]["wirestream.ingested"] == partitions
    assert await asyncio.to_thread(http_get, f"{base}/health") == (200, {"status": "ok", "app": "wirestream"})


async def test_same_article_published_twice_is_enriched_once_unless_reprocess_is_asked(
    producer: AIOKafkaProducer, collector: Collector, unique: str
) -> None:
    article = {"id": f"{unique}-twice", "text": "ROME (ANSA) - Italy's premier met the president on Monday."}
    await (await producer.send("articles.raw", dumps(article)))
    await collector.wait_for(ids={article["id"]})
    await (await producer.send("articles.raw", dumps(article)))
    # A marker published after the duplicate, in the same partition (same id key), shows it was processed.
    marker = {"id": f"{unique}-twice", "text": article["text"], "reprocess": True}
    await (await producer.send("articles.raw", dumps(marker)))
    import asyncio
    import time

    deadline = time.monotonic() + 60
    while collector.enriched_count.get(article["id"], 0) < 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)  # room for a wrongly enriched duplicate to arrive
    assert collector.enriched_count[article["id"]] == 2  # the first and the reprocess, not the duplicate


@pytest.mark.long
async def test_500_generated_payloads_interleaved_with_good_articles(
    producer: AIOKafkaProducer, collector: Collector, unique: str
) -> None:
    from wirestream.enrich.ingest import ingest
    from wirestream.errors import RejectMessage

    from tests.conftest import REFERENCE_TIME
    from tests.payloads import seeded_payloads

    payloads = seeded_payloads(seed=500, count=500)
    expected_ids: set[str] = set()
    expected_rejections: dict[str, str] = {}
    good_ids: set[str] = set()
    sends = []
    for index, payload in enumerate(payloads):
        key = f"{unique}-fuzz-{index}".encode()
        try:
            expected_ids.add(ingest(payload, REFERENCE_TIME, MAX_ARTICLE_BYTES).id)
        except RejectMessage as error:
            expected_rejections[key.decode()] = error.code
        headers = [("h", bytes([index % 256]) * (index % 7)), ("\u00e9t\u00e9", b"\xff\xfe")] if index % 3 else None
        sends.append(await producer.send("articles.raw", payload, key=key, headers=headers))
        if index % 4 == 0:
            good_id = f"{unique}-good-{index}"
            good_ids.add(good_id)
            text = (f"PARIS (AFP) - French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris on "
                    f"Tuesday, their meeting number {index} this year.")
            # A key that is not UTF-8 on a good article: the key is not the id, the article still goes through.
            sends.append(await producer.send("articles.raw", dumps({"id": good_id, "text": text}), key=b"\xff\xfe" + key))
    for sent in sends:
        await sent

    await collector.wait_for(ids=expected_ids | good_ids, rejected_keys=set(expected_rejections), timeout=180)
    for key, reason in expected_rejections.items():
        assert collector.rejected_by_key[key].reason == reason, key
    for good_id in good_ids:
        article = collector.enriched[good_id]
        assert article.language.code == "en" and article.dateline is not None and article.dateline.agency.code == "AFP"  # type: ignore[union-attr]
        assert any(e.name == "Emmanuel Macron" and e.label == "PERSON" for e in article.entities)
    assert len(expected_rejections) >= 200 and len(expected_ids) >= 100


async def test_a_changed_text_under_the_same_id_is_the_next_revision_and_a_resend_is_not(
    producer: AIOKafkaProducer, collector: Collector, unique: str
) -> None:
    import asyncio
    import time

    article_id = f"{unique}-revised"
    first = "BERLIN (dpa) - The German cabinet met on Wednesday."
    second = first + " It approved the budget for next year, a spokesman said."
    # A resend, a write-through and its resend; keyed by id, as publishers should, so they keep their order.
    for text in (first, first, second, second):
        await (await producer.send("articles.raw", dumps({"id": article_id, "text": text}), key=article_id.encode()))
    deadline = time.monotonic() + 60
    while collector.enriched_count.get(article_id, 0) < 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(2)  # room for a wrongly enriched resend to arrive
    versions = collector.history[article_id]
    assert [(v.revision, v.text) for v in versions] == [(1, first), (2, second)]
    assert versions[0].previous_content_hash is None
    assert versions[1].previous_content_hash == versions[0].content_hash != versions[1].content_hash
