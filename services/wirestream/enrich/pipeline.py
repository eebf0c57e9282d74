"""The enrichment stages after ingest: dateline -> language -> entities, over a batch of articles.

Consumes ingested articles and the `Enrichers` built once per process; produces, per article,
the EnrichedArticle or the `RejectMessage` that stopped it. NER reads all the articles of one
language in one call. The worker's agents, `wirestream enrich` and the benchmark all call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from time import perf_counter
from typing import Callable, Protocol, Sequence, TypeVar

from wirestream import PIPELINE_VERSION
from wirestream.clock import now
from wirestream.contracts import (
    ArticlePlace,
    Dateline,
    EnrichedArticle,
    Enrichment,
    Entity,
    IngestedArticle,
    Language,
    Models,
    Story,
)
from wirestream.contracts.articles import EntitiesStatus, content_hash
from wirestream.contracts.rejection import RejectionStage
from wirestream.defaults import (
    MAX_ARTICLE_BYTES,
    MAX_MENTIONS_PER_ENTITY,
    NER_MAX_CHARS,
)
from wirestream.enrich.dateline import DatelineParser, body_after
from wirestream.enrich.entities import (
    EntityRecognizer,
    NerInput,
    Span,
    entities_from_spans,
    headline_for_ner,
    named_places,
    ner_input,
)
from wirestream.enrich.geo.place_names import find_places
from wirestream.enrich.geo.places import ArticlePlaces, PlaceIndex, locate
from wirestream.enrich.geo.places import geo_place as _geo
from wirestream.enrich.ingest import ingest
from wirestream.enrich.label_check import NameLists, check_labels, refine_spans
from wirestream.enrich.language.detector import LanguageDetector
from wirestream.enrich.ner_memory import NerMemory, Reuse
from wirestream.enrich.normalize import has_letters
from wirestream.enrich.stories import StoryIndex, comparable_body
from wirestream.errors import RejectMessage, StageFailed

T = TypeVar("T")


class Recognizers(Protocol):
    """NER per language: None where no model covers it."""

    def for_language(self, language: str) -> EntityRecognizer | None: ...


@dataclass(frozen=True)
class Enrichers:
    """Everything the stages need, built once per process (see `wirestream.bootstrap`)."""

    language: LanguageDetector
    dateline: DatelineParser
    entities: Recognizers
    places: PlaceIndex | None = None  # the gazetteer: the places entities name; None: not looked up
    max_article_bytes: int = MAX_ARTICLE_BYTES
    ner_max_chars: int = NER_MAX_CHARS
    max_mentions_per_entity: int = MAX_MENTIONS_PER_ENTITY
    names: NameLists | None = None  # first names: person evidence for the label check


@dataclass
class Memory:
    """What the pipeline remembers from one call to the next, owned by its caller: the enrichers
    hold nothing that changes. A worker keeps the spans (its stories stage found the stories);
    `wirestream enrich` keeps both."""

    stories: StoryIndex | None = None  # finds each article's story in-process; None: `story` as it came
    spans: NerMemory | None = None  # what NER found lately: a near-identical copy reuses its original's


@dataclass(frozen=True)
class _NerJob:
    """An article between the dateline and NER: what it is so far, and what NER will read."""

    item: IngestedArticle
    language: Language
    dateline: Dateline | None
    body: str
    recognizer: EntityRecognizer | None
    ner: NerInput | None  # None: nothing for NER to do (no letters, or no model for the language)
    title: str | None = None  # what NER reads of the title, on its own (None: no title to read)
    story: Story | None = None
    reuse: Reuse | None = None  # the body's spans read off the original this copies (NER skips that part)


def _guarded(stage: RejectionStage, step: Callable[[], T]) -> T:
    """Run one stage's work; any enricher exception becomes a StageFailed rejection of that stage."""
    try:
        return step()
    except RejectMessage:
        raise
    except Exception as exc:  # an enricher bug must cost one article, not the partition
        raise StageFailed(f"{type(exc).__name__}: {exc}", stage=stage) from exc


@dataclass
class BatchReport:
    """What `enrich_batch` measured: seconds per article and stage, and the size of each NER call."""

    stage_seconds: dict[str, list[float]] = field(default_factory=dict)
    ner_batches: list[int] = field(default_factory=list)
    reused: int = 0  # copies whose body NER did not read in full: their original's spans reused

    def add(self, stage: str, seconds: float, articles: int = 1) -> None:
        self.stage_seconds.setdefault(stage, []).extend([seconds / articles] * articles)


def _timed(report: BatchReport, stage: RejectionStage, step: Callable[[], T]) -> T:
    started = perf_counter()
    result = _guarded(stage, step)
    report.add(stage, perf_counter() - started)
    return result


def _plan(item: IngestedArticle, enrichers: Enrichers, memory: Memory, report: BatchReport) -> _NerJob:
    """Dateline and language of one article, and what NER is to read of it. The dateline comes first:
    its credit, byline and place are not the story, so language ID reads the body without them."""
    reference = item.published_at or item.received_at
    dateline = _timed(report, "dateline", lambda: enrichers.dateline.parse(item.text, reference))
    body = body_after(item.text, dateline)
    language = _timed(report, "language",
                      lambda: enrichers.language.detect(body, hint=item.language_hint, title=item.title))

    # Before NER: a near-identical copy of an article read lately need not be read again. The
    # worker's stories stage has found the story already; `wirestream enrich` looks it up here.
    stories = memory.stories
    story = item.story
    if story is None and stories is not None:
        story = _guarded("enrich", lambda: _story(stories, item, len(item.text) - len(body)))

    def plan_ner() -> _NerJob:
        recognizer = enrichers.entities.for_language(language.code)
        if recognizer is None or not has_letters(body):
            return _NerJob(item, language, dateline, body, recognizer, None, story=story)
        start = dateline.end if dateline is not None else 0
        ner = ner_input(item.text, start=start, max_chars=enrichers.ner_max_chars)
        return _NerJob(item, language, dateline, body, recognizer, ner, headline_for_ner(item.title), story,
                       _reuse(story, ner, memory))

    return _guarded("entities", plan_ner)


def _finish(job: _NerJob, spans: list[Span], title_spans: list[Span] | None, enrichers: Enrichers,
            processed_at: datetime) -> EnrichedArticle:
    """The article leaving the pipeline enriched, from the spans NER found in its text and title."""
    item, recognizer, index = job.item, job.recognizer, enrichers.places
    status: EntitiesStatus
    if job.ner is not None:
        refine = None
        if index is not None:
            def refine(text: str, found: list[Span]) -> list[Span]:
                return refine_spans(text, found, ArticlePlaces(index, [], job.dateline))
        entities = entities_from_spans(item.text, job.ner, spans, max_mentions=enrichers.max_mentions_per_entity,
                                       title=item.title, title_spans=title_spans or [], title_forms=job.title,
                                       refine=refine)
        if index is not None:
            entities = check_labels(entities, item.text, item.title, ArticlePlaces(index, entities, job.dateline),
                                    enrichers.names)
        status = "ok"
    elif not has_letters(job.body):
        entities, status = [], "empty"
    else:
        entities, status = _places_only(job, enrichers), "places_only"
        if not entities:
            status = "unsupported_language"
    places: list[ArticlePlace] = []
    if index is not None:
        entities, places = locate(entities, job.dateline, index, item.text)
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
        language=job.language,
        dateline=job.dateline,
        entities=entities,
        places=places,
        entities_status=status,
        enrichment=Enrichment(
            pipeline_version=PIPELINE_VERSION,
            models=Models(language=enrichers.language.model_name, language_models=enrichers.language.model_versions,
                          entities=recognizer.model_name if recognizer else None),
            processed_at=processed_at,
            ner_truncated_at=job.ner.truncated_at if job.ner else None,
        ),
        story=job.story,
    )


def _places_only(job: _NerJob, enrichers: Enrichers) -> list[Entity]:
    """No NER model covers the language: the places the gazetteer finds in the text (any script),
    as PLACE entities with their mentions, salience and place."""
    if enrichers.places is None:
        return []
    item = job.item
    body_start = len(item.text) - len(job.body)
    found = find_places(item.text, enrichers.places, start=body_start, title=item.title, language=job.language.code)
    entities = named_places(item.text, [(f.name, f.mentions, f.title_mentions) for f in found],
                            enrichers.max_mentions_per_entity, title=item.title, body_start=body_start)
    place_of = {f.name: f.place for f in found}
    return [Entity.model_construct(**{**entity.__dict__, "place": _geo(place_of[entity.name])}) for entity in entities]


def find_story(item: IngestedArticle, dateline: DatelineParser, index: StoryIndex) -> Story:
    """The story of an article among those `index` has seen (the stories stage's one step)."""
    parsed = dateline.parse(item.text, item.published_at or item.received_at)
    return _story(index, item, len(item.text) - len(body_after(item.text, parsed)))


def _story(index: StoryIndex, item: IngestedArticle, body_start: int) -> Story:
    found = index.assign(item.id, content_hash(item.text), index.fingerprint(comparable_body(item.text, body_start)),
                         item.received_at)
    return Story(id=found.story_id, first_article_id=found.first_article_id, first_seen_at=found.first_seen_at,
                 size=found.size, similarity=found.similarity, closest_article_id=found.closest_article_id,
                 duplicate_of=found.duplicate_of)


def enrich_batch(items: Sequence[IngestedArticle], enrichers: Enrichers, memory: Memory | None = None, *,
                 report: BatchReport | None = None,
                 clock: Callable[[], datetime] = now) -> list[EnrichedArticle | RejectMessage]:
    """Every stage after ingest for several articles; NER reads all of one language in one call
    (copies of articles in the same batch in a second, once their originals' spans are known).

    One result per item, in order: the enriched article, or the rejection that stopped it. An
    article that breaks a batched NER call is found by running the batch's articles one by one,
    so it costs only itself. `memory` is read and updated (stories, spans); `report`, if given,
    receives the time each stage took; `clock` stamps `processed_at`.
    """
    memory = memory if memory is not None else Memory()
    report = report if report is not None else BatchReport()
    results: list[EnrichedArticle | RejectMessage | None] = [None] * len(items)
    jobs: dict[int, _NerJob] = {}
    for index, item in enumerate(items):
        try:
            jobs[index] = _plan(item, enrichers, memory, report)
        except RejectMessage as error:
            results[index] = error

    def settle(job: _NerJob, spans: list[list[Span]] | None) -> EnrichedArticle | RejectMessage:
        return _settle(job, spans, enrichers, memory, clock())

    # A copy whose original is in this batch too waits for it: once the original's spans are
    # remembered, the copy reuses them instead of NER reading it again beside its original.
    later = _copies_of_batchmates(jobs) if memory.spans is not None else set()
    _read({i: job for i, job in jobs.items() if i not in later}, settle, results, report)
    if later:
        _read({i: _with_reuse(jobs[i], memory) for i in sorted(later)}, settle, results, report)
    done = [result for result in results if result is not None]
    assert len(done) == len(items), "every article has its result"
    return done


def _copies_of_batchmates(jobs: dict[int, _NerJob]) -> set[int]:
    """The jobs NER would read whose original is read earlier in the same batch."""
    read_here = {job.item.id for job in jobs.values() if job.ner is not None}
    return {index for index, job in jobs.items()
            if job.ner is not None and job.reuse is None and job.story is not None
            and job.story.duplicate_of is not None and job.story.duplicate_of != job.item.id
            and job.story.duplicate_of in read_here}


def _reuse(story: Story | None, ner: NerInput, memory: Memory) -> Reuse | None:
    """What NER found in the original a copy duplicates, mapped onto the copy (None: none to map)."""
    if story is None or not story.duplicate_of or memory.spans is None:
        return None
    return memory.spans.reuse(story.duplicate_of, ner.text)


def _with_reuse(copy: _NerJob, memory: Memory) -> _NerJob:
    """The copy's job with its original's spans, now that they are remembered."""
    assert copy.ner is not None
    return replace(copy, reuse=_reuse(copy.story, copy.ner, memory))


def _read(jobs: dict[int, _NerJob], settle: Callable[[_NerJob, list[list[Span]] | None], EnrichedArticle | RejectMessage],
          results: list[EnrichedArticle | RejectMessage | None], report: BatchReport) -> None:
    """NER over `jobs` (all of one recognizer in one call), each settled into `results`."""
    pending: dict[int, list[int]] = {}  # one recognizer -> the articles it must read
    for index, job in jobs.items():
        if job.ner is None or not _ner_texts(job):  # no NER, or a copy without a title: nothing left to read
            started = perf_counter()
            report.reused += job.ner is not None
            results[index] = settle(job, [[]] if job.ner is None else [])
            report.add("entities", perf_counter() - started)
        else:
            report.reused += job.reuse is not None
            pending.setdefault(id(job.recognizer), []).append(index)
    for indexes in pending.values():
        recognizer = jobs[indexes[0]].recognizer
        assert recognizer is not None
        started = perf_counter()
        # Each text and each title is its own document: a headline is not the first sentence.
        texts = [text for i in indexes for text in _ner_texts(jobs[i])]
        try:
            found: list[list[Span]] | None = recognizer.spans_batch(texts)
        except Exception:  # noqa: BLE001 - one article broke the batch: each runs alone to find it
            found = None
        position = 0
        for index in indexes:
            count = len(_ner_texts(jobs[index]))
            spans = found[position : position + count] if found is not None else None
            position += count
            results[index] = settle(jobs[index], spans)
        report.add("entities", perf_counter() - started, len(indexes))
        report.ner_batches.append(len(indexes))


def _ner_texts(job: _NerJob) -> list[str]:
    """What NER must read of the job: its body (unless reused) and its title, each on its own."""
    assert job.ner is not None
    if job.reuse is None:
        body = [job.ner.text]
    else:  # only the parts of the copy its original's spans do not cover, if any
        body = [job.ner.text[start:end] for start, end in job.reuse.unread]
    return body + [job.title] if job.title else body


def _settle(job: _NerJob, spans: list[list[Span]] | None, enrichers: Enrichers, memory: Memory,
            processed_at: datetime) -> EnrichedArticle | RejectMessage:
    """The enriched article from the spans of its text and title found in a batch (None: run NER
    on this article alone); the body's spans are remembered for its copies."""

    def entities() -> EnrichedArticle:
        if spans is not None:
            found = spans
        else:
            recognizer = job.recognizer
            assert recognizer is not None, "an article NER reads has its recognizer"
            found = [recognizer.spans(text) for text in _ner_texts(job)]
        if job.reuse is not None:  # the body's spans: those of the parts read, and the original's
            regions = job.reuse.unread
            read = [(start + offset, end + offset, label)
                    for (offset, _), spans_of in zip(regions, found[: len(regions)]) for start, end, label in spans_of]
            found = [sorted(read + job.reuse.spans), *found[len(regions) :]]
        article = _finish(job, found[0], found[1] if len(found) > 1 else None, enrichers, processed_at)
        if job.ner is not None and memory.spans is not None:
            memory.spans.remember(job.item.id, job.ner.text, found[0])
        return article

    try:
        return _guarded("entities", entities)
    except RejectMessage as error:
        return error


def enrich(value: bytes | None, enrichers: Enrichers, received_at: datetime | None = None,
           memory: Memory | None = None) -> EnrichedArticle:
    """All stages in one call, as `wirestream enrich` and the benchmark use them."""
    item = ingest(value, received_at or now(), enrichers.max_article_bytes)
    result = enrich_batch([item], enrichers, memory)[0]
    if isinstance(result, RejectMessage):
        raise result
    return result
