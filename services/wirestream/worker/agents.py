"""The agents: articles.raw -> [ingest] -> wirestream.stories -> [stories] -> wirestream.ingested
-> [enrich] -> articles.enriched (without stories, ingest writes straight to wirestream.ingested).

Agents are thin: they take raw bytes off a topic in batches, call the pure stages in
`wirestream.enrich`, and write the result on, keyed by article id, or a Rejection. Decoding
happens here, so that bad input is rejected by us, not acked away by Faust. A batch is acked
only once every record it produced has been acknowledged by the broker (`Outbox`); a record
that can never be written is replaced by a rejection that says so.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from time import perf_counter
from typing import Any, Callable, Iterator, Sequence, TypeVar

from wirestream.clock import now
from wirestream.contracts import EnrichedArticle, IngestedArticle, Rejection
from wirestream.contracts.articles import content_hash
from wirestream.enrich.ingest import ingest
from wirestream.enrich.outputs import encode_enriched, make_rejection, republishable
from wirestream.enrich.pipeline import BatchReport, Enrichers, enrich_batch, find_story
from wirestream.enrich.revisions import Revision, next_revision, unique_id_runs
from wirestream.errors import OutputRefused, OutputTooLarge, RejectMessage, StageFailed
from wirestream.limits import SizeLimits
from wirestream.logs import about
from wirestream.serialization import decode_model, encode_model
from wirestream.settings import Settings
from wirestream.worker.metrics import Metrics
from wirestream.worker.outbox import TOO_LARGE, Destination, Outbox, Outgoing
from wirestream.worker.story_table import TabledStories
from wirestream.worker.tables import SeenIds
from wirestream.worker.watchdog import Watchdog

T = TypeVar("T")

log = logging.getLogger("wirestream.worker")

# The stories agent runs in the enrich workers and rejects as `enrich`: a `stage` value of its own
# would be a new Rejection version that consumers of this one could not read.
STORIES_STAGE = "enrich"
# One partition passes every article: batches large enough that waiting for the broker's
# acknowledgements, once per batch, does not bound it (the stage's code takes ~0.5 ms an article).
STORIES_BATCH = 256


@dataclass
class _Output:
    """A record a batch must write, what to write instead if it never can, and what it means."""

    record: Outgoing
    article_id: str | None
    rejection: Rejection | None  # set when the record is a rejection
    instead: _Output | None = None  # for a rejection: the same without its original (always fits)
    refused: tuple[str, bytes | None, bytes | None, datetime] | None = None  # stage, original, key, received_at


@dataclass(frozen=True)
class Destinations:
    after_ingest: Destination  # the stories topic, or `ingested` when no stories are assigned
    ingested: Destination
    enriched: Destination
    rejected: Destination


class Agents:
    """The ingest, stories and enrich agents, with everything they use passed in."""

    def __init__(self, settings: Settings, enrichers: Enrichers, destinations: Destinations, *,
                 seen_ids: SeenIds | None, outbox: Outbox, metrics: Metrics, watchdog: Watchdog,
                 should_stop: Callable[[], bool], stories: TabledStories | None = None) -> None:
        self._settings = settings
        self._limits: SizeLimits = settings.limits
        self._enrichers = enrichers
        self._to = destinations
        self._seen_ids = seen_ids
        self._stories = stories
        self._outbox = outbox
        self._metrics = metrics
        self._watchdog = watchdog
        self._should_stop = should_stop

    # -- the agents ---------------------------------------------------------------------------

    async def ingest_articles(self, stream: Any) -> None:
        """articles.raw -> validated, normalised IngestedArticle on wirestream.ingested, keyed by id."""
        with self._watched("ingest"):
            async for events in stream.take_events(self._settings.batch_size, within=self._settings.batch_wait):
                self._watchdog.progress("ingest")
                await self.ingest_events(events)
                self._watchdog.progress("ingest")

    async def assign_stories(self, stream: Any) -> None:
        """wirestream.stories -> each article with its story -> wirestream.ingested, keyed by the id of
        the article it copies (or its own), so that a copy is enriched where its original was."""
        with self._watched("stories"):
            async for events in stream.take_events(STORIES_BATCH, within=self._settings.batch_wait):
                self._watchdog.progress("stories")
                await self.story_events(events)
                self._watchdog.progress("stories")

    async def enrich_articles(self, stream: Any) -> None:
        """wirestream.ingested -> language, dateline, entities -> articles.enriched (once per id and text).

        Articles are taken in batches (up to `batch_size`, waiting at most `batch_wait` for more),
        so that NER reads a batch in one call; each is written on, or rejected, on its own.
        """
        with self._watched("enrich"):
            async for events in stream.take_events(self._settings.batch_size, within=self._settings.batch_wait):
                self._watchdog.progress("enrich")
                await self.enrich_events(events)
                self._watchdog.progress("enrich")

    @contextmanager
    def _watched(self, agent: str) -> Iterator[None]:
        """An agent that ends other than by the worker stopping is dead: the worker turns unhealthy."""
        try:
            yield
        except BaseException as exc:
            if not self._should_stop():
                self._watchdog.died(agent, exc)
            raise

    # -- ingest -------------------------------------------------------------------------------

    async def ingest_events(self, events: Sequence[Any]) -> None:
        self._metrics.articles_in.labels("ingest").inc(len(events))
        outputs: list[_Output] = []
        for event in events:
            received_at = now()
            value, key = event.value, event.key
            started = perf_counter()
            try:
                item = ingest(value, received_at, self._settings.max_article_bytes)
            except RejectMessage as error:
                outputs.append(self._rejection(error, "ingest", value, key, received_at))
                continue
            except Exception as exc:  # noqa: BLE001 - an unforeseen bug costs one message, not the partition
                log.exception("ingest failed unexpectedly", extra=about(None, "ingest"))
                outputs.append(self._rejection(StageFailed(f"{type(exc).__name__}: {exc}"), "ingest",
                                               value, key, received_at))
                continue
            self._metrics.stage_seconds.labels("ingest").observe(perf_counter() - started)
            outputs.append(_Output(Outgoing(self._to.after_ingest, item.id.encode(), encode_model(item)), item.id,
                                   None, refused=("ingest", value, key, received_at)))
        self._count_rejections(await self._write(outputs))

    # -- stories ------------------------------------------------------------------------------

    async def story_events(self, events: Sequence[Any]) -> None:
        """Find the story of each article of a batch, save the index's changes, write the articles on."""
        assert self._stories is not None, "a worker that assigns stories needs its table"
        tabled = self._stories
        self._metrics.articles_in.labels("stories").inc(len(events))
        await tabled.ready_for(events[0])
        outputs: list[_Output] = []
        for event in events:
            try:
                item = decode_model(IngestedArticle, event.value)
            except Exception as exc:  # noqa: BLE001
                outputs.append(self._rejection(StageFailed(f"undecodable internal message: {exc}"), STORIES_STAGE,
                                               event.value, event.key, now()))
                continue
            known = tabled.index.knows(item.id)
            started = perf_counter()
            try:
                story = find_story(item, self._enrichers.dateline, tabled.index)
            except Exception as exc:  # noqa: BLE001 - an unforeseen bug costs one article, not the partition
                log.exception("story lookup failed unexpectedly", extra=about(item.id, "stories"))
                outputs.append(self._rejection(StageFailed(f"story lookup: {type(exc).__name__}: {exc}"), STORIES_STAGE,
                                               republishable(item), event.key, item.received_at, item.id))
                continue
            self._metrics.stage_seconds.labels("stories").observe(perf_counter() - started)
            if not known:  # a redelivery or a revision is not counted again
                opened = story.first_article_id == item.id
                (self._metrics.stories_opened if opened else self._metrics.stories_joined).inc()
                if story.duplicate_of is not None:
                    self._metrics.story_duplicates.inc()
            routed = item.model_copy(update={"story": story})
            outputs.append(_Output(Outgoing(self._to.ingested, (story.duplicate_of or item.id).encode(),
                                            encode_model(routed)), item.id, None,
                                   refused=(STORIES_STAGE, republishable(item), event.key, item.received_at)))
        # Saved before the articles go on: a batch processed again after a crash finds them known
        # (a redelivery) and gets the same answers.
        tabled.save(events[-1])
        self._metrics.story_index_articles.set(len(tabled.index))
        self._count_rejections(await self._write(outputs))

    # -- enrich -------------------------------------------------------------------------------

    async def enrich_events(self, events: Sequence[Any]) -> None:
        """Enrich a batch of ingested articles and write each on, or its rejection."""
        self._metrics.articles_in.labels("enrich").inc(len(events))
        decoded: list[tuple[Any, IngestedArticle]] = []
        undecodable: list[_Output] = []
        for event in events:
            try:
                decoded.append((event, decode_model(IngestedArticle, event.value)))
            except Exception as exc:  # noqa: BLE001
                undecodable.append(self._rejection(StageFailed(f"undecodable internal message: {exc}"), "enrich",
                                                   event.value, event.key, now()))
        if undecodable:
            self._count_rejections(await self._write(undecodable))
        # Two versions of one id in a batch go one after the other, so that the second is compared
        # with the first as the table has recorded it.
        for run in unique_id_runs(decoded, key=lambda pair: pair[1].id):
            # A batch of long articles is enriched and written a part at a time: the first are out
            # while NER reads the rest, instead of every article waiting for the longest batch.
            for part in by_characters(run, self._settings.ner_batch_chars, size=lambda pair: len(pair[1].text)):
                await self._enrich_run(part)
        if self._seen_ids is not None:
            self._metrics.dedupe_forgotten.inc(self._seen_ids.sweep(events))
            self._metrics.dedupe_ids.set(len(self._seen_ids))

    def _revisions(self, decoded: Sequence[tuple[Any, IngestedArticle]]) -> list[tuple[Any, IngestedArticle, Revision]]:
        """The articles to enrich, each with the revision it is; duplicates are counted and left out."""
        kept: list[tuple[Any, IngestedArticle, Revision]] = []
        for event, item in decoded:
            latest = self._seen_ids.latest(event, item.id) if self._seen_ids is not None else None
            revision = next_revision(latest, content_hash(item.text), reprocess=item.reprocess)
            if revision is None:
                log.info("duplicate article=%s stage=enrich tp=%s:%s offset=%s: this text was enriched already, "
                         "skipped", item.id, event.message.topic, event.message.partition, event.message.offset,
                         extra=about(item.id, "enrich"))
                self._metrics.duplicates.inc()
                continue
            kept.append((event, item, revision))
        return kept

    async def _enrich_run(self, decoded: Sequence[tuple[Any, IngestedArticle]]) -> None:
        items = self._revisions(decoded)
        report = BatchReport()
        results = enrich_batch([item for _, item, _ in items], self._enrichers, report)
        self._metrics.observe_stages(report.stage_seconds)
        self._metrics.ner_reused.inc(report.reused)
        for size in report.ner_batches:
            self._metrics.ner_batch.observe(size)

        outputs: list[_Output] = []
        languages: dict[str, str] = {}
        for (event, item, revision), result in zip(items, results):
            original = republishable(item)
            if isinstance(result, EnrichedArticle):
                try:
                    record = encode_enriched(revision.stamp(result), self._limits)
                except RejectMessage as error:
                    result = error
                else:
                    languages[item.id] = result.language.code
                    outputs.append(_Output(Outgoing(self._to.enriched, item.id.encode(), record), item.id, None,
                                           refused=("enrich", original, event.key, item.received_at)))
                    continue
            outputs.append(self._rejection(result, result.stage or "enrich", original, event.key, item.received_at,
                                           item.id))

        written = await self._write(outputs)
        self._count_rejections(written)
        for (event, item, revision), output in zip(items, written):
            if output.rejection is not None:
                continue
            if self._seen_ids is not None:
                self._seen_ids.remember(event, item.id, revision)
            self._metrics.enriched.labels(languages[item.id]).inc()
            self._metrics.end_to_end.observe((now() - item.received_at).total_seconds())
            log.info("enriched article=%s stage=enrich tp=%s:%s offset=%s language=%s revision=%d",
                     item.id, event.message.topic, event.message.partition, event.message.offset,
                     languages[item.id], revision.number, extra=about(item.id, "enrich"))

    # -- writing ------------------------------------------------------------------------------

    def _rejection(self, error: RejectMessage, stage: str, original: bytes | None, key: bytes | None,
                   received_at: datetime, article_id: str | None = None) -> _Output:
        full = make_rejection(error, stage, original, key, received_at, article_id, self._limits)
        # Kept for a broker that refuses even that: none of the original, but its size and SHA-256.
        bare = make_rejection(error, stage, original, key, received_at, article_id,
                              replace(self._limits, article_bytes=0, rejection_prefix_bytes=0))
        return _Output(Outgoing(self._to.rejected, key, encode_model(full)), article_id, full,
                       instead=_Output(Outgoing(self._to.rejected, key, encode_model(bare)), article_id, bare))

    async def _write(self, outputs: list[_Output]) -> list[_Output]:
        """Write every output; each that can never be written is replaced by its rejection, which
        always arrives (as a last resort without its original). Returns what was written, in order."""
        results = await self._outbox.deliver([output.record for output in outputs])
        written = list(outputs)
        retry: list[int] = []
        for index, error in enumerate(results):
            if error is None:
                continue
            output = outputs[index]
            if output.rejection is not None:
                if output.instead is None:
                    raise RuntimeError(f"not even a bare rejection could be written: {error}") from error
                written[index] = output.instead
            else:
                assert output.refused is not None
                stage, original, key, received_at = output.refused
                written[index] = self._rejection(_refusal(error), stage, original, key, received_at, output.article_id)
            retry.append(index)
        if retry:
            again = await self._write([written[i] for i in retry])
            for index, output in zip(retry, again):
                written[index] = output
        return written

    def _count_rejections(self, written: Sequence[_Output]) -> None:
        for output in written:
            rejection = output.rejection
            if rejection is None:
                continue
            log.warning("rejected article=%s stage=%s reason=%s: %s", output.article_id or "-", rejection.stage,
                        rejection.reason, rejection.error, extra=about(output.article_id, rejection.stage))
            self._metrics.rejected.labels(rejection.stage, rejection.reason).inc()


def _refusal(error: BaseException) -> RejectMessage:
    """Why a record the broker or the client will never take was rejected."""
    if isinstance(error, TOO_LARGE):
        return OutputTooLarge(f"the record was refused as too large: {type(error).__name__}: {error}")
    return OutputRefused(f"the record was refused: {type(error).__name__}: {error}")


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
