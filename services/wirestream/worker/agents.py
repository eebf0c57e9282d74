"""The agents: articles.raw -> [ingest] -> wirestream.stories -> [stories] -> wirestream.ingested
-> [enrich] -> articles.enriched (without stories, ingest writes straight to wirestream.ingested).

Agents are thin: they take raw bytes off a topic in batches, call the pure stages in
`wirestream.enrich`, and write the result on, keyed by article id, or a Rejection. Decoding
happens here, so that bad input is rejected by us, not acked away by Faust. A batch is acked
only once every record it produced has been acknowledged by the broker (`Outbox`); a record
that can never be written is replaced by a rejection that says so.

One article's way through the enrich stage, top to bottom:
`enrich_articles` -> `_consume` -> `enrich_events` (decode, split into runs and parts) ->
`_enrich_part` (`_revision` per article, `enrich_batch`, `_enriched` per result) -> `_write` ->
`_account` (the table of enriched ids, metrics and the log line, once per record written).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from datetime import datetime
from time import perf_counter
from typing import Any, Callable, Sequence, TypeVar

from wirestream.clock import now
from wirestream.contracts import EnrichedArticle, IngestedArticle, Rejection
from wirestream.contracts.articles import content_hash
from wirestream.enrich.dateline import DatelineParser
from wirestream.enrich.ingest import ingest
from wirestream.enrich.ner_memory import NerMemory
from wirestream.enrich.outputs import encode_enriched, make_rejection, republishable
from wirestream.enrich.pipeline import (
    BatchReport,
    Enrichers,
    Memory,
    enrich_batch,
    find_story,
)
from wirestream.enrich.revisions import Revision, next_revision, unique_id_runs
from wirestream.errors import OutputRefused, OutputTooLarge, RejectMessage, StageFailed
from wirestream.logs import about
from wirestream.serialization import decode_model, encode_model
from wirestream.settings import Settings, Stage
from wirestream.worker.metrics import Metrics
from wirestream.worker.outbox import TOO_LARGE, Destination, Outbox, Outgoing
from wirestream.worker.story_table import TabledStories
from wirestream.worker.tables import SeenIds
from wirestream.worker.watchdog import Watchdog

T = TypeVar("T")

log = logging.getLogger("wirestream.worker")

# One partition passes every article: batches large enough that waiting for the broker's
# acknowledgements, once per batch, does not bound it (the stage's code takes ~0.5 ms an article).
STORIES_BATCH = 256


@dataclass(frozen=True)
class Refusal:
    """What an article's record is rejected as if the broker never takes it."""

    stage: Stage
    original: bytes | None  # the article as it can be published again
    key: bytes | None
    received_at: datetime


@dataclass(frozen=True)
class Enriched:
    """An enriched article's record, for the bookkeeping once it is written."""

    event: Any
    item: IngestedArticle
    revision: Revision
    language: str


@dataclass
class Output:
    """A record a batch must write: an article (with what to reject it as if it is never written)
    or a rejection (with a bare one, without its original, that always fits)."""

    record: Outgoing
    article_id: str | None
    refusal: Refusal | None = None  # an article's record
    rejection: Rejection | None = None  # a rejection's record
    bare: Output | None = None  # a rejection's record without its original
    enriched: Enriched | None = None  # an enriched article's record


@dataclass(frozen=True)
class Destinations:
    after_ingest: Destination  # the stories topic, or `ingested` when no stories are assigned
    ingested: Destination
    enriched: Destination
    rejected: Destination


class Agents:
    """The ingest, stories and enrich agents, with everything they use passed in."""

    def __init__(self, settings: Settings, enrichers: Enrichers | None, destinations: Destinations, *,
                 seen_ids: SeenIds | None, outbox: Outbox, metrics: Metrics, watchdog: Watchdog,
                 should_stop: Callable[[], bool], stories: TabledStories | None = None,
                 dateline: DatelineParser | None = None, ner_memory: NerMemory | None = None,
                 clock: Callable[[], datetime] = now) -> None:
        self._settings = settings
        self._enrichers = enrichers
        # The stories stage reads only the dateline (a stories-only worker loads nothing else).
        self._dateline = dateline or (enrichers.dateline if enrichers is not None else None)
        self._to = destinations
        self._seen_ids = seen_ids
        self._stories = stories
        # Stories route a copy to its original's worker, where what NER found in it is remembered.
        self._memory = Memory(spans=ner_memory)
        self._outbox = outbox
        self._metrics = metrics
        self._watchdog = watchdog
        self._should_stop = should_stop
        self._clock = clock

    # -- the agents: one loop, three stages ---------------------------------------------------

    async def ingest_articles(self, stream: Any) -> None:
        """articles.raw -> validated, normalised IngestedArticle on the stories topic, keyed by id."""
        await self._consume("ingest", stream, self._settings.batch_size, self.ingest_events)

    async def assign_stories(self, stream: Any) -> None:
        """wirestream.stories -> each article with its story -> wirestream.ingested, keyed by the id of
        the article it copies (or its own), so that a copy is enriched where its original was."""
        await self._consume("stories", stream, STORIES_BATCH, self.story_events)

    async def enrich_articles(self, stream: Any) -> None:
        """wirestream.ingested -> language, dateline, entities -> articles.enriched (once per id and text)."""
        await self._consume("enrich", stream, self._settings.batch_size, self.enrich_events)

    async def _consume(self, stage: Stage, stream: Any, batch: int,
                       handle: Callable[[Sequence[Any]], Awaitable[None]]) -> None:
        """Take the stream's events in batches (up to `batch`, waiting at most `batch_wait` for more)
        and handle each batch. An agent that ends other than by the worker stopping is dead: the
        worker turns unhealthy."""
        try:
            async for events in stream.take_events(batch, within=self._settings.batch_wait):
                self._watchdog.progress(stage)
                self._metrics.articles_in.labels(stage).inc(len(events))
                await handle(events)
                self._watchdog.progress(stage)
        except BaseException as exc:
            if not self._should_stop():
                self._watchdog.died(stage, exc)
            raise

    # -- ingest -------------------------------------------------------------------------------

    async def ingest_events(self, events: Sequence[Any]) -> None:
        self._account(await self._write([self._ingested(event) for event in events]))

    def _ingested(self, event: Any) -> Output:
        received_at = self._clock()
        started = perf_counter()
        try:
            item = ingest(event.value, received_at, self._settings.max_article_bytes)
        except RejectMessage as error:
            return self._rejection(error, event.value, event.key, received_at)
        except Exception as exc:  # an unforeseen bug costs one message, not the partition
            log.exception("ingest failed unexpectedly", extra=about(None, "ingest"))
            return self._rejection(StageFailed(f"{type(exc).__name__}: {exc}", stage="ingest"),
                                   event.value, event.key, received_at)
        self._metrics.stage_seconds.labels("ingest").observe(perf_counter() - started)
        return Output(Outgoing(self._to.after_ingest, item.id.encode(), encode_model(item)), item.id,
                      refusal=Refusal("ingest", event.value, event.key, received_at))

    # -- stories ------------------------------------------------------------------------------

    async def story_events(self, events: Sequence[Any]) -> None:
        """Find the story of each article of a batch, save the index's changes, write the articles on."""
        assert self._stories is not None and self._dateline is not None, "the stories stage needs its table"
        tabled = self._stories
        await tabled.ready_for(events[0])
        decoded, outputs = self._decode(events, "stories")
        outputs += [self._with_story(event, item, tabled) for event, item in decoded]
        # Saved before the articles go on: a batch processed again after a crash finds them known
        # (a redelivery) and gets the same answers.
        tabled.save(events[-1])
        self._metrics.story_index_articles.set(len(tabled.index))
        self._account(await self._write(outputs))

    def _with_story(self, event: Any, item: IngestedArticle, tabled: TabledStories) -> Output:
        assert self._dateline is not None
        refusal = Refusal("stories", republishable(item), event.key, item.received_at)
        known = tabled.index.knows(item.id)
        started = perf_counter()
        try:
            story = find_story(item, self._dateline, tabled.index)
        except Exception as exc:  # an unforeseen bug costs one article, not the partition
            log.exception("story lookup failed unexpectedly", extra=about(item.id, "stories"))
            return self._rejection(StageFailed(f"story lookup: {type(exc).__name__}: {exc}", stage="stories"),
                                   refusal.original, event.key, item.received_at, item.id)
        self._metrics.stage_seconds.labels("stories").observe(perf_counter() - started)
        if not known:  # a redelivery or a revision is not counted again
            opened = story.first_article_id == item.id
            (self._metrics.stories_opened if opened else self._metrics.stories_joined).inc()
            if story.duplicate_of is not None:
                self._metrics.story_duplicates.inc()
        routed = item.model_copy(update={"story": story})
        key = (story.duplicate_of or item.id).encode()
        return Output(Outgoing(self._to.ingested, key, encode_model(routed)), item.id, refusal=refusal)

    # -- enrich -------------------------------------------------------------------------------

    async def enrich_events(self, events: Sequence[Any]) -> None:
        """Enrich a batch of ingested articles and write each on, or its rejection."""
        decoded, undecodable = self._decode(events, "enrich")
        self._account(await self._write(undecodable))
        # Two versions of one id in a batch go one after the other, so that the second is compared
        # with the first as the table has recorded it.
        for run in unique_id_runs(decoded, key=lambda pair: pair[1].id):
            # A batch of long articles is enriched and written a part at a time: the first are out
            # while NER reads the rest, instead of every article waiting for the longest batch.
            for part in by_characters(run, self._settings.ner_batch_chars, size=lambda pair: len(pair[1].text)):
                await self._enrich_part(part)
        if self._seen_ids is not None:
            self._metrics.dedupe_forgotten.inc(self._seen_ids.sweep(events))
            self._metrics.dedupe_ids.set(len(self._seen_ids))

    async def _enrich_part(self, part: Sequence[tuple[Any, IngestedArticle]]) -> None:
        assert self._enrichers is not None
        fresh = [(event, item, revision) for event, item in part
                 if (revision := self._revision(event, item)) is not None]
        report = BatchReport()
        results = enrich_batch([item for _, item, _ in fresh], self._enrichers, self._memory, report=report,
                               clock=self._clock)
        self._metrics.observe_batch(report)
        outputs = [self._enriched(event, item, revision, result)
                   for (event, item, revision), result in zip(fresh, results)]
        self._account(await self._write(outputs))

    def _revision(self, event: Any, item: IngestedArticle) -> Revision | None:
        """The revision this article is, or None (counted and logged) when its text was enriched already."""
        latest = self._seen_ids.latest(event, item.id) if self._seen_ids is not None else None
        revision = next_revision(latest, content_hash(item.text), reprocess=item.reprocess)
        if revision is None:
            log.info("duplicate article=%s stage=enrich tp=%s:%s offset=%s: this text was enriched already, "
                     "skipped", item.id, event.message.topic, event.message.partition, event.message.offset,
                     extra=about(item.id, "enrich"))
            self._metrics.duplicates.inc()
        return revision

    def _enriched(self, event: Any, item: IngestedArticle, revision: Revision,
                  result: EnrichedArticle | RejectMessage) -> Output:
        original = republishable(item)
        if isinstance(result, EnrichedArticle):
            try:
                record = encode_enriched(revision.stamp(result), self._settings.limits)
            except RejectMessage as error:
                result = error
            else:
                return Output(Outgoing(self._to.enriched, item.id.encode(), record), item.id,
                              refusal=Refusal("enrich", original, event.key, item.received_at),
                              enriched=Enriched(event, item, revision, result.language.code))
        return self._rejection(result, original, event.key, item.received_at, item.id)

    # -- shared: decode, reject, write, account -----------------------------------------------

    def _decode(self, events: Sequence[Any], stage: Stage) -> tuple[list[tuple[Any, IngestedArticle]], list[Output]]:
        """Each event with its IngestedArticle, and a rejection for each that does not decode (an
        internal topic written by something else, or a bug)."""
        decoded: list[tuple[Any, IngestedArticle]] = []
        rejected: list[Output] = []
        for event in events:
            try:
                decoded.append((event, decode_model(IngestedArticle, event.value)))
            except Exception as exc:  # noqa: BLE001 - whatever the bytes are, they are rejected, not raised
                rejected.append(self._rejection(StageFailed(f"undecodable internal message: {exc}", stage=stage),
                                                event.value, event.key, self._clock()))
        return decoded, rejected

    def _rejection(self, error: RejectMessage, original: bytes | None, key: bytes | None,
                   received_at: datetime, article_id: str | None = None) -> Output:
        limits = self._settings.limits
        full = make_rejection(error, original, key, received_at, article_id, limits)
        # Kept for a broker that refuses even that: none of the original, but its size and SHA-256.
        bare = make_rejection(error, original, key, received_at, article_id,
                              replace(limits, article_bytes=0, rejection_prefix_bytes=0))
        return Output(Outgoing(self._to.rejected, key, encode_model(full)), article_id, rejection=full,
                      bare=Output(Outgoing(self._to.rejected, key, encode_model(bare)), article_id, rejection=bare))

    async def _write(self, outputs: list[Output]) -> list[Output]:
        """Write every output; each that can never be written is replaced by its rejection, which
        always arrives (as a last resort without its original). Returns what was written, in order."""
        written = list(outputs)
        pending = list(range(len(written)))
        while pending:
            errors = await self._outbox.deliver([written[i].record for i in pending])
            refused = [(i, error) for i, error in zip(pending, errors) if error is not None]
            for index, error in refused:
                written[index] = self._instead(written[index], error)
            pending = [index for index, _ in refused]
        return written

    def _instead(self, output: Output, error: BaseException) -> Output:
        """What to write instead of a record the broker refused for good."""
        if output.rejection is not None:
            if output.bare is None:
                raise RuntimeError(f"not even a bare rejection could be written: {error}") from error
            return output.bare
        assert output.refusal is not None, "an article's record carries its refusal"
        refusal = output.refusal
        return self._rejection(_refusal(error, refusal.stage), refusal.original, refusal.key,
                               refusal.received_at, output.article_id)

    def _account(self, written: Sequence[Output]) -> None:
        """The bookkeeping of each record once the broker has it: rejections logged and counted;
        enriched articles remembered in the table, counted, timed and logged."""
        for output in written:
            if output.rejection is not None:
                rejection = output.rejection
                log.warning("rejected article=%s stage=%s reason=%s: %s", output.article_id or "-", rejection.stage,
                            rejection.reason, rejection.error, extra=about(output.article_id, rejection.stage))
                self._metrics.rejected.labels(rejection.stage, rejection.reason).inc()
            elif output.enriched is not None:
                self._written_enriched(output.enriched)

    def _written_enriched(self, done: Enriched) -> None:
        event, item = done.event, done.item
        if self._seen_ids is not None:
            self._seen_ids.remember(event, item.id, done.revision)
        self._metrics.enriched.labels(done.language).inc()
        self._metrics.end_to_end.observe((self._clock() - item.received_at).total_seconds())
        log.info("enriched article=%s stage=enrich tp=%s:%s offset=%s language=%s revision=%d",
                 item.id, event.message.topic, event.message.partition, event.message.offset,
                 done.language, done.revision.number, extra=about(item.id, "enrich"))


def _refusal(error: BaseException, stage: Stage) -> RejectMessage:
    """Why a record the broker or the client will never take was rejected."""
    if isinstance(error, TOO_LARGE):
        return OutputTooLarge(f"the record was refused as too large: {type(error).__name__}: {error}", stage=stage)
    return OutputRefused(f"the record was refused: {type(error).__name__}: {error}", stage=stage)


def by_characters(items: Sequence[T], limit: int, size: Callable[[T], int]) -> list[list[T]]:
    """`items` in order, in parts of at most `limit` characters (an item longer than that alone)."""
    parts: list[list[T]] = []
    total = 0
    for item in items:
        if parts and parts[-1] and total + size(item) <= limit:
            parts[-1].append(item)
            total += size(item)
        else:
            parts.append([item])
            total = size(item)
    return parts
