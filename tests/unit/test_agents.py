"""The agents' logic with fakes, no broker and no Faust: duplicates and revisions, a NER batch with
one bad article, a refused output, and the app that `build_app` makes from what it is given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.errors import MessageSizeTooLargeError
from wirestream.contracts import EnrichedArticle, IngestedArticle, Rejection
from wirestream.enrich.dateline import DatelineParser
from wirestream.enrich.language.detector import LanguageDetector
from wirestream.enrich.pipeline import Enrichers
from wirestream.enrich.stories import StoryIndex
from wirestream.serialization import decode_model, dumps, encode_model
from wirestream.settings import Settings
from wirestream.worker.agents import Agents, Destinations
from wirestream.worker.metrics import Metrics
from wirestream.worker.outbox import Outbox
from wirestream.worker.story_table import TabledStories
from wirestream.worker.watchdog import Watchdog

from tests.conftest import REFERENCE_TIME
from tests.fakes import FakeRecognizer, FakeRecognizers, FakeSeenIds, FakeTopic


def _names(text: str) -> list[tuple[int, int, str]]:
    """Every capitalised word after the first is a PERSON: enough to see which text NER read."""
    spans, position = [], 0
    for word in text.split():
        start = text.index(word, position)
        position = start + len(word)
        if word[0].isupper() and start > 0:
            spans.append((start, start + len(word.rstrip(".,")), "PERSON"))
    return spans


@pytest.fixture
def make_agents(language_detector: LanguageDetector, dateline_parser: DatelineParser) -> Callable[..., Any]:
    def build(recognizer: FakeRecognizer | None = None, enriched: FakeTopic | None = None) -> Any:
        enrichers = Enrichers(language=language_detector, dateline=dateline_parser,
                              entities=FakeRecognizers({"en": recognizer or FakeRecognizer(_names)}))
        topics = SimpleNamespace(stories=FakeTopic(), ingested=FakeTopic(), enriched=enriched or FakeTopic(),
                                 rejected=FakeTopic())
        seen_ids, metrics, table = FakeSeenIds(), Metrics(), FakeTable()
        stories = TabledStories(table, StoryIndex())
        agents = Agents(Settings(), enrichers,
                        Destinations(topics.stories, topics.ingested, topics.enriched, topics.rejected),
                        seen_ids=seen_ids, outbox=Outbox(first_delay=0.001), metrics=metrics,
                        watchdog=Watchdog(120), should_stop=lambda: False, stories=stories)
        return SimpleNamespace(agents=agents, topics=topics, seen_ids=seen_ids, metrics=metrics, table=table,
                               stories=stories)

    return build


class Event(SimpleNamespace):
    """An event a Faust table can act for (it keeps a weak reference to it)."""


class FakeTable(dict):  # type: ignore[type-arg]
    """A table's contents, recovered when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.callbacks: list[Any] = []

    def on_recover(self, callback: Any) -> None:
        self.callbacks.append(callback)

    async def recover(self) -> None:
        for callback in self.callbacks:
            await callback()


def event(value: bytes, offset: int, key: bytes | None = None) -> Any:
    return Event(value=value, key=key, message=SimpleNamespace(topic="wirestream.ingested", partition=0,
                                                               offset=offset))


def ingested(article_id: str, text: str, received_at: datetime = REFERENCE_TIME) -> bytes:
    return encode_model(IngestedArticle(id=article_id, text=text, received_at=received_at))


def enriched(topic: FakeTopic) -> list[EnrichedArticle]:
    return [decode_model(EnrichedArticle, value) for value in topic.acked]


def rejected(topic: FakeTopic) -> list[Rejection]:
    return [decode_model(Rejection, value) for value in topic.acked]


async def test_the_same_text_is_enriched_once_and_a_changed_text_is_the_next_revision(make_agents) -> None:  # type: ignore[no-untyped-def]
    world = make_agents()
    first = "LONDON (Reuters) - Keir Starmer spoke in the Commons on Monday about the budget."
    second = first + " Rachel Reeves replied."
    batch = [event(ingested("a", first), 0), event(ingested("a", first), 1), event(ingested("a", second), 2),
             event(ingested("b", second), 3)]
    await world.agents.enrich_events(batch)
    out = enriched(world.topics.enriched)
    assert [(a.id, a.revision) for a in out] == [("a", 1), ("a", 2), ("b", 1)]
    assert out[1].previous_content_hash == out[0].content_hash
    assert world.seen_ids.latest_by_id["a"].number == 2
    await world.agents.enrich_events([event(ingested("a", first), 4), event(ingested("a", second), 5)])
    assert len(world.topics.enriched.acked) == 3  # both texts are known now: duplicates
    duplicates = world.metrics.duplicates._value.get()  # prometheus_client's own value
    assert duplicates == 3


async def test_one_article_that_breaks_a_ner_batch_is_rejected_alone(make_agents) -> None:  # type: ignore[no-untyped-def]
    recognizer = FakeRecognizer(_names, poison="POISON")
    world = make_agents(recognizer)
    texts = [f"LONDON (Reuters) - The prime minister met the German chancellor, Olaf Scholz, in London on day {i}."
             + (" POISON" if i == 2 else "") for i in range(5)]
    await world.agents.enrich_events([event(ingested(f"n{i}", text), i) for i, text in enumerate(texts)])
    assert recognizer.batches == [5]  # one call for the batch; then each article alone
    assert sorted(a.id for a in enriched(world.topics.enriched)) == ["n0", "n1", "n3", "n4"]
    [rejection] = rejected(world.topics.rejected)
    assert (rejection.article_id, rejection.stage, rejection.reason) == ("n2", "entities", "stage_failed")
    assert "POISON" in rejection.original  # the accepted article, to fix and publish again
    assert all(any(e.name == "Scholz" for e in a.entities) for a in enriched(world.topics.enriched))
    assert "n2" not in world.seen_ids.latest_by_id  # a rejected article is not remembered as enriched


async def test_a_record_the_broker_refuses_as_too_large_becomes_an_output_too_large_rejection(make_agents) -> None:  # type: ignore[no-untyped-def]
    class RefusingTopic(FakeTopic):
        async def send(self, *, key: bytes | None, value: bytes) -> Any:
            if b'"id":"big"' in value:
                raise MessageSizeTooLargeError("no")
            return await super().send(key=key, value=value)

    world = make_agents(enriched=RefusingTopic())
    await world.agents.enrich_events([event(ingested("big", "ROME (ANSA) - Giorgia Meloni spoke."), 0, b"k"),
                                      event(ingested("fine", "ROME (ANSA) - Sergio Mattarella spoke."), 1)])
    assert [a.id for a in enriched(world.topics.enriched)] == ["fine"]
    [rejection] = rejected(world.topics.rejected)
    assert (rejection.article_id, rejection.reason, rejection.stage) == ("big", "output_too_large", "enrich")
    assert world.topics.rejected.keys == [b"k"]  # keyed as the input was
    assert "big" not in world.seen_ids.latest_by_id


async def test_ingest_writes_valid_articles_keyed_by_id_and_rejects_the_rest(make_agents) -> None:  # type: ignore[no-untyped-def]
    world = make_agents()
    await world.agents.ingest_events([event(dumps({"id": "x1", "text": "Hello there."}), 0),
                                      event(b"\xff\xfe", 1, b"raw-key"), event(b"plain text article", 2)])
    written = [decode_model(IngestedArticle, v) for v in world.topics.stories.acked]
    assert [a.id for a in written][0] == "x1" and len(written) == 2
    assert world.topics.stories.keys[0] == b"x1" and not world.topics.ingested.acked
    [rejection] = rejected(world.topics.rejected)
    assert (rejection.reason, rejection.key) == ("not_utf8", "raw-key")


def test_build_app_makes_the_app_from_what_it_is_given(language_detector: LanguageDetector,
                                                       dateline_parser: DatelineParser) -> None:
    from wirestream.worker.app import build_app

    enrichers = Enrichers(language=language_detector, dateline=dateline_parser, entities=FakeRecognizers({}))
    worker = build_app(Settings(app_id="built-in-a-test", partitions=3), enrichers)
    assert set(worker.app.agents) == {"ingest_articles", "assign_stories", "enrich_articles"}
    assert worker.app.conf.id == "built-in-a-test"
    assert worker.seen_ids is not None and worker.seen_ids.table.name == "seen_ids"
    assert set(worker.app.tables) == {"seen_ids", "stories"}
    assert worker.app.tables["stories"].partitions == 1
    assert {"/health", "/ready", "/metrics"} <= set(worker.app.web.views)
    assert worker.consumed == {"ingest": "articles.raw", "stories": "wirestream.stories",
                               "enrich": "wirestream.ingested"}

    without_stories = build_app(Settings(stories=False), enrichers)
    assert set(without_stories.app.agents) == {"ingest_articles", "enrich_articles"}
    assert set(without_stories.app.tables) == {"seen_ids"}

    ingest_only = build_app(Settings(stages="ingest"), None)
    assert set(ingest_only.app.agents) == {"ingest_articles"} and ingest_only.seen_ids is None
    with pytest.raises(ValueError, match="needs enrichers"):
        build_app(Settings(stages="enrich"), None)

    # The stories stage on its own: its own group, its table under the catalogue's changelog name
    # (the same as a combined worker's), a dateline parser and nothing else.
    stories_only = build_app(Settings(stages="stories"), None, dateline=dateline_parser)
    assert set(stories_only.app.agents) == {"assign_stories"} and set(stories_only.app.tables) == {"stories"}
    assert stories_only.app.conf.id == "wirestream-stories" and stories_only.consumed == {"stories": "wirestream.stories"}
    assert stories_only.app.tables["stories"].changelog_topic.get_topic_name() == "wirestream-stories-changelog"
    assert worker.app.tables["stories"].changelog_topic.get_topic_name() == "built-in-a-test-stories-changelog"
    enrich_only = build_app(Settings(stages="enrich"), enrichers)
    assert set(enrich_only.app.agents) == {"enrich_articles"} and set(enrich_only.app.tables) == {"seen_ids"}
    with pytest.raises(ValueError, match="needs a dateline parser"):
        build_app(Settings(stages="stories"), None)


def test_a_batch_is_enriched_in_parts_of_at_most_so_many_characters() -> None:
    from wirestream.worker.agents import by_characters

    sizes = [5000, 12000, 4000, 30000, 1000, 1000]
    parts = by_characters(sizes, 20_000, size=lambda n: n)
    assert parts == [[5000, 12000], [4000], [30000], [1000, 1000]]  # in order; a long one alone
    assert by_characters([], 20_000, size=lambda n: n) == []


WIRE = ("BRUSSELS (Reuters) - European Union finance ministers agreed on Tuesday to lend Ukraine 90 billion euros "
        "over the next two years, after Belgium dropped its objections to using frozen Russian assets.\n\n"
        "The loan will be financed by joint borrowing, Valdis Dombrovskis told reporters after the meeting, and "
        "Hungary, Slovakia and the Czech Republic will not take part in it.\n\n"
        "Ukrainian President Volodymyr Zelenskiy welcomed the decision, saying it would keep the budget funded.")
OTHER = ("LAGOS (AFP) - Nigeria's central bank raised its benchmark rate by 50 basis points to 27.75 percent on "
         "Tuesday, its sixth increase this year, as inflation reached 33 percent in October.")


async def test_stories_are_found_saved_and_copies_keyed_by_their_original(make_agents) -> None:  # type: ignore[no-untyped-def]
    world = make_agents()
    copy = "By Anna Berg\n" + WIRE.rsplit("\n\n", 1)[0]
    later = REFERENCE_TIME + timedelta(minutes=5)
    await world.agents.story_events([event(ingested("wire", WIRE), 0), event(ingested("other", OTHER), 1),
                                     event(ingested("copy", copy, later), 2)])
    out = [decode_model(IngestedArticle, value) for value in world.topics.ingested.acked]
    assert [a.id for a in out] == ["wire", "other", "copy"]
    assert world.topics.ingested.keys == [b"wire", b"other", b"wire"]  # the copy goes with its original
    wire, other, copied = (a.story for a in out)
    assert wire is not None and other is not None and copied is not None
    assert (wire.size, wire.first_article_id, wire.duplicate_of) == (1, "wire", None)
    assert other.id != wire.id
    assert (copied.id, copied.size, copied.duplicate_of) == (wire.id, 2, "wire")
    assert {key[:2] for key in world.table} == {b"a:", b"s:"} and len(world.table) == 5  # 3 articles, 2 stories
    assert world.metrics.stories_opened._value.get() == 2
    assert world.metrics.story_duplicates._value.get() == 1

    # The worker restarts: a new index is rebuilt from the recovered table, and a redelivery of the
    # copy is neither counted again nor keyed differently.
    world.stories.index.restore([], [])
    await world.table.recover()
    await world.agents.story_events([event(ingested("copy", copy, later), 3),
                                     event(ingested("copy-2", copy + " ", later), 4)])
    again = [decode_model(IngestedArticle, value) for value in world.topics.ingested.acked[3:]]
    assert [(a.id, a.story.size, a.story.duplicate_of) for a in again if a.story] == [("copy", 2, "wire"),
                                                                                       ("copy-2", 3, "wire")]
    assert world.topics.ingested.keys[3:] == [b"wire", b"wire"]
    assert world.metrics.story_duplicates._value.get() == 2


async def test_enrich_keeps_the_story_it_was_given(make_agents) -> None:  # type: ignore[no-untyped-def]
    world = make_agents()
    await world.agents.story_events([event(ingested("wire", WIRE), 0)])
    await world.agents.enrich_events([event(world.topics.ingested.acked[0], 0)])
    [article] = enriched(world.topics.enriched)
    assert article.story is not None and article.story.first_article_id == "wire"


async def test_a_story_lookup_that_fails_rejects_its_article_alone(make_agents) -> None:  # type: ignore[no-untyped-def]
    class BrokenIndex(StoryIndex):
        def assign(self, article_id, *args, **kwargs):  # type: ignore[no-untyped-def]
            if article_id == "bad":
                raise RuntimeError("index broken")
            return super().assign(article_id, *args, **kwargs)

    world = make_agents()
    world.agents._stories = TabledStories(FakeTable(), BrokenIndex())
    await world.agents.story_events([event(ingested("bad", WIRE), 0), event(b"{not json", 1, b"k"),
                                     event(ingested("good", OTHER), 2)])
    assert [decode_model(IngestedArticle, v).id for v in world.topics.ingested.acked] == ["good"]
    undecodable, failed = rejected(world.topics.rejected)  # the stage reports as itself (Rejection v3)
    assert (failed.article_id, failed.stage, failed.reason) == ("bad", "stories", "stage_failed")
    assert "story lookup: RuntimeError: index broken" in failed.error and "Ukraine" in (failed.original or "")
    assert (undecodable.stage, undecodable.key) == ("stories", "k") and "undecodable" in undecodable.error
