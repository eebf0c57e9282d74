"""The enrichment stages as plain functions: ingest -> language -> dateline -> entities.

Each stage takes what the one before produced and returns the next form; a message that
cannot go on raises a `RejectMessage`. The Faust agents, `wirestream enrich` and the
benchmark all call these same functions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from time import perf_counter
from typing import Callable, Protocol, Sequence, TypeVar

from pydantic import ValidationError
from wirestream import PIPELINE_VERSION
from wirestream.dateline import DatelineParser, body_after
from wirestream.entities import (
    EntityRecognizer,
    NerInput,
    Span,
    entities_from_spans,
    ner_input,
)
from wirestream.errors import (
    EmptyText,
    InvalidArticle,
    InvalidJson,
    NotAnObject,
    NotUtf8,
    OutputTooLarge,
    RejectMessage,
    StageFailed,
    TooLarge,
)
from wirestream.limits import SizeLimits, size_limits
from wirestream.language import MODEL_NAME as LANGUAGE_MODEL_NAME
from wirestream.language import LanguageDetector
from wirestream.normalize import derive_article_id, has_letters, normalize_text
from wirestream.schemas import (
    ArticleInProgress,
    EnrichedArticle,
    Enrichment,
    Models,
    RawArticle,
    Rejection,
)
from wirestream.schemas.articles import content_hash
from wirestream.schemas.rejection import encode_bytes, encode_prefix
from wirestream.serialization import JSONDecodeError, encode_model, loads

STAGES = ("ingest", "language", "dateline", "entities")
ENRICH_STAGES = STAGES[1:]
# Values that may be JSON: a JSON text starts with one of these (after whitespace).
_JSON_START = frozenset('{["-0123456789tfn')
T = TypeVar("T")


class Recognizers(Protocol):
    def for_language(self, language: str) -> EntityRecognizer | None: ...


@dataclass(frozen=True)
class Enrichers:
    """Everything the stages need, built once per process (see `models.make_enrichers`)."""

    language: LanguageDetector
    dateline: DatelineParser
    entities: Recognizers
    max_article_bytes: int = 1_000_000
    ner_max_chars: int = 100_000
    max_mentions_per_entity: int = 20


def now() -> datetime:
    return datetime.now(timezone.utc)


def parse_raw(value: bytes | None, max_bytes: int) -> RawArticle:
    """A message value as a RawArticle: a JSON object, or plain UTF-8 text that is not JSON."""
    if not value:
        raise EmptyText("the message has no value")
    if len(value) > max_bytes:
        raise TooLarge(f"the value is {len(value):,} bytes; the limit is {max_bytes:,} (WIRESTREAM_MAX_ARTICLE_BYTES)")
    try:
        decoded = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(f"the value is not UTF-8: {exc}") from None
    head = decoded.lstrip("\ufeff \t\r\n")
    if head[:1] in _JSON_START:
        try:
            parsed = loads(head)
        except (JSONDecodeError, RecursionError) as exc:
            if head.startswith("{") or "depth limit" in str(exc) or isinstance(exc, RecursionError):
                raise InvalidJson(f"the value starts like a JSON object but does not parse: {exc}") from None
            parsed = None  # plain text that happens to start like JSON: '[Reuters] ...', 'no dateline'
        else:
            if not isinstance(parsed, dict):
                raise NotAnObject(f"the value is JSON {type(parsed).__name__}, not an object")
        if isinstance(parsed, dict):
            try:
                return RawArticle.model_validate(parsed)
            except ValidationError as exc:
                raise InvalidArticle(_describe(exc)) from None
    return RawArticle(text=decoded)


def _describe(exc: ValidationError) -> str:
    problems = [f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors()[:5]]
    return "; ".join(problems)


def ingest(value: bytes | None, received_at: datetime, max_bytes: int = 1_000_000) -> ArticleInProgress:
    """Stage 1: validate, normalise and identify an incoming article."""
    raw = parse_raw(value, max_bytes)
    text = normalize_text(raw.text)
    if not text:
        raise EmptyText("the text is empty once whitespace and control characters are removed")
    return ArticleInProgress(
        id=raw.id.strip() if raw.id else derive_article_id(text),
        title=raw.title,
        url=raw.url,
        source=raw.source,
        published_at=raw.published_at,
        received_at=received_at,
        metadata=raw.metadata,
        text=text,
        language_hint=raw.language,
        reprocess=raw.reprocess,
    )


def add_language(item: ArticleInProgress, detector: LanguageDetector) -> ArticleInProgress:
    """Stage 2: the language and its alternatives."""
    return item.model_copy(update={"language": detector.detect(item.text, hint=item.language_hint)})


def add_dateline(item: ArticleInProgress, parser: DatelineParser) -> ArticleInProgress:
    """Stage 3: the leading dateline, dated against the publication (or arrival) time."""
    reference = item.published_at or item.received_at
    return item.model_copy(update={"dateline": parser.parse(item.text, reference), "dateline_done": True})


@dataclass(frozen=True)
class _NerJob:
    """An article between the dateline and NER: its body, its recognizer, what NER will read."""

    item: ArticleInProgress
    body: str
    recognizer: EntityRecognizer | None
    ner: NerInput | None  # None: nothing for NER to do (no letters, or no model for the language)
    max_mentions: int  # mentions listed per entity


def _plan_entities(item: ArticleInProgress, recognizers: Recognizers, ner_max_chars: int,
                   max_mentions: int) -> _NerJob:
    if item.language is None or not item.dateline_done:
        raise StageFailed("the article skipped a stage: language or dateline missing")
    body = body_after(item.text, item.dateline)
    recognizer = recognizers.for_language(item.language.code)
    if recognizer is None or not has_letters(body):
        return _NerJob(item, body, recognizer, None, max_mentions)
    start = item.dateline.end if item.dateline is not None else 0
    return _NerJob(item, body, recognizer, ner_input(item.text, start=start, max_chars=ner_max_chars), max_mentions)


def _finish(job: _NerJob, spans: list[Span]) -> EnrichedArticle:
    """Stage 4's result: the spans NER found, grouped; the article leaves the pipeline enriched."""
    item, recognizer = job.item, job.recognizer
    if job.ner is not None:
        entities, status = entities_from_spans(item.text, job.ner, spans, max_mentions=job.max_mentions), "ok"
    else:
        entities, status = [], "empty" if not has_letters(job.body) else "unsupported_language"
    return EnrichedArticle(
        id=item.id,
        title=item.title,
        url=item.url,
        source=item.source,
        published_at=item.published_at,
        received_at=item.received_at,
        metadata=item.metadata,
        text=item.text,
        body_start=len(item.text) - len(job.body),
        content_hash=content_hash(item.text),
        language=item.language,
        dateline=item.dateline,
        entities=entities,
        entities_status=status,  # type: ignore[arg-type]
        enrichment=Enrichment(
            pipeline_version=PIPELINE_VERSION,
            models=Models(language=LANGUAGE_MODEL_NAME, entities=recognizer.model_name if recognizer else None),
            processed_at=now(),
            ner_truncated_at=job.ner.truncated_at if job.ner else None,
        ),
    )


def _guarded(stage: str, step: Callable[[], T]) -> T:
    """Run one stage's work; any enricher exception becomes a StageFailed rejection of that stage."""
    try:
        return step()
    except RejectMessage as error:
        error.stage = stage
        raise
    except Exception as exc:  # an enricher bug must cost one article, not the partition
        error = StageFailed(f"{type(exc).__name__}: {exc}")
        error.stage = stage
        raise error from exc


def run_stage(stage: str, item: ArticleInProgress, enrichers: Enrichers) -> ArticleInProgress:
    """Apply one per-article stage after ingest (entities run in batches: `enrich_batch`)."""
    if stage == "language":
        return _guarded(stage, lambda: add_language(item, enrichers.language))
    if stage == "dateline":
        return _guarded(stage, lambda: add_dateline(item, enrichers.dateline))
    raise ValueError(f"unknown stage {stage!r}")


@dataclass
class BatchReport:
    """What `enrich_batch` measured: seconds per article and stage, and the size of each NER call."""

    stage_seconds: dict[str, list[float]] = field(default_factory=dict)
    ner_batches: list[int] = field(default_factory=list)

    def add(self, stage: str, seconds: float, articles: int = 1) -> None:
        self.stage_seconds.setdefault(stage, []).extend([seconds / articles] * articles)


def enrich_batch(items: Sequence[ArticleInProgress], enrichers: Enrichers,
                 report: BatchReport | None = None) -> list[EnrichedArticle | RejectMessage]:
    """Every stage after ingest for several articles; NER reads all of one language in one call.

    One result per item, in order: the enriched article, or the rejection that stopped it. An
    article that breaks a batched NER call is found by running the batch's articles one by one,
    so it costs only itself. `report`, if given, receives the time each stage took.
    """
    report = report if report is not None else BatchReport()
    results: list[EnrichedArticle | RejectMessage | None] = [None] * len(items)
    jobs: dict[int, _NerJob] = {}
    for index, item in enumerate(items):
        try:
            for stage in ENRICH_STAGES[:-1]:
                started = perf_counter()
                item = run_stage(stage, item, enrichers)
                report.add(stage, perf_counter() - started)
            jobs[index] = _guarded("entities", partial(_plan_entities, item, enrichers.entities, enrichers.ner_max_chars,
                                                       enrichers.max_mentions_per_entity))
        except RejectMessage as error:
            results[index] = error

    pending: dict[int, list[int]] = {}  # one recognizer -> the articles it must read
    for index, job in jobs.items():
        if job.ner is None:
            results[index] = _settle(job, [])
        else:
            pending.setdefault(id(job.recognizer), []).append(index)
    for indexes in pending.values():
        recognizer = jobs[indexes[0]].recognizer
        assert recognizer is not None
        started = perf_counter()
        found: Sequence[list[Span] | None]
        try:
            found = recognizer.spans_batch([jobs[i].ner.text for i in indexes])  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - one article broke the batch: each runs alone to find it
            found = [None] * len(indexes)
        for index, spans in zip(indexes, found):
            results[index] = _settle(jobs[index], spans)
        report.add("entities", perf_counter() - started, len(indexes))
        report.ner_batches.append(len(indexes))
    return results  # type: ignore[return-value]


def _settle(job: _NerJob, spans: list[Span] | None) -> EnrichedArticle | RejectMessage:
    """The enriched article from spans found in a batch (None: run NER on this article alone)."""

    def entities() -> EnrichedArticle:
        found = spans if spans is not None else job.recognizer.spans(job.ner.text)  # type: ignore[union-attr]
        return _finish(job, found)

    try:
        return _guarded("entities", entities)
    except RejectMessage as error:
        return error


def enrich_item(item: ArticleInProgress, enrichers: Enrichers) -> EnrichedArticle:
    """Every stage after ingest: language, dateline, entities."""
    result = enrich_batch([item], enrichers)[0]
    if isinstance(result, RejectMessage):
        raise result
    return result


def enrich(value: bytes | None, enrichers: Enrichers, received_at: datetime | None = None) -> EnrichedArticle:
    """All stages in one call, as `wirestream enrich` and the benchmark use them."""
    try:
        item = ingest(value, received_at or now(), enrichers.max_article_bytes)
    except RejectMessage as error:
        error.stage = "ingest"
        raise
    return enrich_item(item, enrichers)


def republishable(item: ArticleInProgress) -> bytes:
    """The article as a RawArticle again, so a rejection after ingest can be fixed and re-published."""
    raw = RawArticle(
        id=item.id,
        text=item.text,
        title=item.title,
        url=item.url,
        source=item.source,
        published_at=item.published_at,
        language=item.language_hint,
        metadata=item.metadata,
        reprocess=item.reprocess,
    )
    return encode_model(raw)


def encode_enriched(article: EnrichedArticle, limits: SizeLimits) -> bytes:
    """The record to publish; OutputTooLarge when no topic could carry it (mentions are already capped)."""
    record = encode_model(article)
    if len(record) > limits.record_bytes:
        raise OutputTooLarge(f"the enriched record is {len(record):,} bytes; topics carry at most "
                             f"{limits.record_bytes:,} (derived from WIRESTREAM_MAX_ARTICLE_BYTES)")
    return record


# An exception's message can be as long as the data it quotes: a rejection says enough in this much.
_ERROR_CHARS = 2_000


def make_rejection(
    error: RejectMessage,
    stage: str,
    original: bytes | None,
    key: bytes | None,
    received_at: datetime,
    article_id: str | None = None,
    limits: SizeLimits | None = None,
) -> Rejection:
    """The record of a message that could not be enriched. An original over the article limit is
    kept as a prefix, with its size and SHA-256, so that the rejection always fits its topic."""
    limits = limits or size_limits(1_000_000)
    original = original or b""
    truncated = len(original) > limits.article_bytes
    if truncated:
        original_text, original_encoding = encode_prefix(original, limits.rejection_prefix_bytes)
    else:
        original_text, original_encoding = encode_bytes(original)
    key_text, key_encoding = encode_bytes(key[: limits.rejection_prefix_bytes]) if key is not None else (None, "utf-8")
    message = str(error) or error.__doc__ or error.code
    return Rejection(
        reason=error.code,
        stage=stage,
        error=message if len(message) <= _ERROR_CHARS else message[:_ERROR_CHARS] + "…",
        received_at=received_at,
        article_id=article_id,
        key=key_text,
        key_encoding=key_encoding,
        original=original_text,
        original_encoding=original_encoding,
        original_size=len(original),
        original_sha256=hashlib.sha256(original).hexdigest(),
        truncated=truncated,
    )
