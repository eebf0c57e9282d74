"""Near-duplicates and stories on eval/story_set.py's stream: recall of copies, wrongly merged
articles, the similarities behind the thresholds, speed and memory of the index.
`python -m eval stories`."""

from __future__ import annotations

import hashlib
import statistics
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from eval.story_set import Item, story_set


def run(items: list[Item]) -> None:
    from wirestream.bootstrap import make_dateline_parser, make_story_index
    from wirestream.enrich.fingerprints import fingerprint
    from wirestream.enrich.stories import comparable_body
    from wirestream.settings import Settings

    # The worker's settings (WIRESTREAM_STORY_*): the figures are those of the index it runs.
    settings = Settings()
    parser = make_dateline_parser(settings)
    start = datetime(2026, 11, 26, tzinfo=UTC)
    bodies = []
    for item in items:
        dateline = parser.parse(item.text, start)
        bodies.append(comparable_body(item.text, dateline.end if dateline else 0))

    seconds = float("inf")
    for _ in range(3):  # the fastest of three: this machine's speed drifts
        index = make_story_index(settings)
        story_of: dict[str, str] = {}
        started = time.perf_counter()
        assignments = []
        for position, (item, body) in enumerate(zip(items, bodies)):
            assignment = index.assign(item.id, str(hash(body)), index.fingerprint(body),
                                      start + timedelta(seconds=position))
            assignments.append(assignment)
            story_of[item.id] = assignment.story_id
        seconds = min(seconds, time.perf_counter() - started)

    copies = [(i, a) for i, a in zip(items, assignments) if i.kind == "copy"]
    found = sum(story_of[i.id] == story_of[i.original] for i, a in copies)
    marked = sum(a.duplicate_of == i.original for i, a in copies)
    # Wrongly merged: joined a story it does not belong to (a copy that opens a story of its own
    # is a miss of recall instead).
    wrong = sum(1 for i, a in zip(items, assignments)
                if a.first_article_id != i.id and (i.kind != "copy" or story_of[i.id] != story_of[i.original]))
    originals = len(items) - len(copies)
    print(f"## Stories: {len(items)} articles ({originals} originals, {len(copies)} copies), seeded")
    print("| | figure |\n|---|---:|")
    print(f"| copies found in their original's story (recall) | **{found / len(copies):.3f}** ({found}/{len(copies)}) |")
    print(f"| copies marked duplicate_of their original | {marked / len(copies):.3f} |")
    print(f"| articles wrongly merged | **{wrong / len(items):.4f}** ({wrong}) |")
    for kind in ("wire", "earnings", "results", "weather"):
        group = [a for i, a in zip(items, assignments) if i.kind == kind]
        merged = sum(a.first_article_id != i.id for i, a in zip(items, assignments) if i.kind == kind)
        print(f"| {kind} originals merged into another story | {merged}/{len(group)} |")
    by_edit: dict[str, list[float]] = {}
    for item, assignment in copies:
        for edit in item.edits:
            by_edit.setdefault(edit, []).append(assignment.similarity or 0.0)
    print("\nsimilarity of a copy to its closest earlier article, by edit (min / median):",
          ", ".join(f"{e} {min(v):.2f}/{statistics.median(v):.2f}" for e, v in sorted(by_edit.items())))
    negatives = [a.similarity or 0.0 for i, a in zip(items, assignments) if i.kind != "copy"]
    print(f"similarity of an original to its closest earlier article: max {max(negatives):.2f}, "
          f"99th percentile {sorted(negatives)[int(0.99 * len(negatives))]:.2f}")
    print(f"fingerprint + assign: {len(items) / seconds:,.0f} articles/s on one core")
    memory()
    table_size([item.id for item in items], [fingerprint(body) for body in bodies])


def memory(count: int = 20_000) -> None:
    """Memory the in-process index holds per 100,000 articles in its window."""
    import random

    from wirestream.bootstrap import make_story_index
    from wirestream.enrich.fingerprints import fingerprint
    from wirestream.settings import Settings

    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts = [" ".join(rng.choices(vocabulary, k=300)) for _ in range(count)]
    prints = [fingerprint(t) for t in texts]
    start = datetime(2026, 11, 26, tzinfo=UTC)
    tracemalloc.start()
    index = make_story_index(Settings())
    for n, print_ in enumerate(prints):
        index.assign(f"article-{n:08d}", f"{n:064x}", print_, start)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"index memory: {size / count * 100_000 / 1e6:.0f} MB per 100,000 articles in the window "
          f"({size / count:,.0f} bytes each)")


class _Table(dict):  # type: ignore[type-arg]
    """What a Faust table with the in-memory store holds: the keys and values as written; counts
    the bytes each write sends to the changelog."""

    written = 0

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.written += len(key) + len(value)
        super().__setitem__(key, value)

    def on_recover(self, callback: object) -> None:
        pass


class _Event:
    """A stand-in for the event a table write acts for (the stories topic's one partition)."""

    class message:  # noqa: N801 - Faust's attribute name
        partition = 0


def table_size(ids: list[str], prints: list) -> None:  # type: ignore[type-arg]
    """The stories table the worker keeps beside its index, on the stream: changelog bytes and
    memory per article."""
    from wirestream.bootstrap import make_story_index
    from wirestream.settings import Settings
    from wirestream.worker.story_table import TabledStories

    start = datetime(2026, 11, 26, tzinfo=UTC)
    tracemalloc.start()
    table = _Table()
    tabled = TabledStories(table, make_story_index(Settings()))
    event = _Event()
    for n, (article_id, print_) in enumerate(zip(ids, prints)):
        tabled.index.assign(article_id, f"{n:064x}", print_, start + timedelta(seconds=n))
        if n % 16 == 15 or n == len(prints) - 1:  # after each batch, as the agent does
            tabled.save(event)
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count, written = len(prints), table.written
    print(f"stories table on this stream: changelog {written / count:,.0f} bytes per article written "
          f"({written / count * 100_000 / 1e6:.0f} MB per 100,000 before compaction), table and index in the "
          f"worker's memory {size / count:,.0f} bytes per article ({size / count * 100_000 / 1e6:.0f} MB per 100,000)")


def reuse(items: list[Item]) -> None:
    """`wirestream enrich` over the stream with and without copies reusing their original's spans."""
    from wirestream.bootstrap import make_enrichers, make_story_index
    from wirestream.clock import now
    from wirestream.contracts import EnrichedArticle
    from wirestream.enrich.ingest import ingest
    from wirestream.enrich.ner_memory import NerMemory
    from wirestream.enrich.pipeline import BatchReport, Memory, enrich_batch
    from wirestream.serialization import dumps
    from wirestream.settings import Settings

    settings = Settings()
    base = make_enrichers(settings)
    articles = [ingest(dumps({"id": i.id, "text": i.text, **({"title": i.title} if i.title else {})}), now())
                for i in items]
    enrich_batch(articles[:20], base)  # warm
    rates: dict[str, float] = {}
    outputs = {}
    # Each way twice, alternating, the faster run of each kept: this machine's speed drifts.
    for name, spans in (("without", None), ("with", NerMemory()), ("without", None), ("with", NerMemory())):
        memory = Memory(stories=make_story_index(settings), spans=spans)
        report, out = BatchReport(), []
        started = time.perf_counter()
        for article in articles:
            out += enrich_batch([article], base, memory, report=report)
        rates[name] = max(rates.get(name, 0.0), len(articles) / (time.perf_counter() - started))
        outputs[name] = [[(e.name, e.label, e.count) for e in a.entities] if isinstance(a, EnrichedArticle) else None
                         for a in out]
        if spans is not None:
            reused = report.reused
            duplicates = sum(1 for a in out if isinstance(a, EnrichedArticle) and a.story and a.story.duplicate_of)
    same = sum(a == b for a, b in zip(outputs["without"], outputs["with"]))
    print(f"wirestream enrich on this stream: {rates['without']:.1f} articles/s when every article is read by NER, "
          f"{rates['with']:.1f} when a copy reuses its original's spans ({reused} of {duplicates} copies marked "
          f"duplicate_of could; the rest had words changed); the same entities for {same} of {len(articles)}")


def partitioned(items: list[Item]) -> None:
    """What splitting the one stories index into partitions would cost: each partition an index of
    its own, so a copy routed to another partition than its original is missed. Recall of copies
    and the busiest partition's share of articles, by routing key."""
    from wirestream.bootstrap import make_dateline_parser, make_language_detector, make_story_index
    from wirestream.enrich.stories import comparable_body
    from wirestream.settings import Settings

    settings = Settings()
    parser, detector = make_dateline_parser(settings), make_language_detector(settings)
    start = datetime(2026, 11, 26, tzinfo=UTC)
    bodies, languages, countries = [], [], []
    for item in items:
        dateline = parser.parse(item.text, start)
        bodies.append(comparable_body(item.text, dateline.end if dateline else 0))
        languages.append(detector.detect(item.text, title=item.title).code)
        countries.append((dateline.country_code if dateline else None) or "-")
    routes = {
        "one index (today)": lambda n: "all",
        "language": lambda n: languages[n],
        "language + dateline country": lambda n: f"{languages[n]}/{countries[n]}",
        "article id, 4 partitions": lambda n: str(int(hashlib.sha1(items[n].id.encode()).hexdigest(), 16) % 4),
    }
    print("\n## A partitioned stories index, simulated on this stream")
    print("| routing key | copies found (recall) | partitions | busiest partition's share |")
    print("|---|---:|---:|---:|")
    for name, route in routes.items():
        indexes: dict[str, Any] = {}
        story_of: dict[str, str] = {}
        for n, (item, body) in enumerate(zip(items, bodies)):
            index = indexes.setdefault(route(n), make_story_index(settings))
            story_of[item.id] = f"{route(n)}:" + index.assign(item.id, str(hash(body)), index.fingerprint(body),
                                                             start + timedelta(seconds=n)).story_id
        copies = [i for i in items if i.kind == "copy"]
        found = sum(story_of[i.id] == story_of[i.original] for i in copies)
        share = max(Counter(route(n) for n in range(len(items))).values()) / len(items)
        print(f"| {name} | {found / len(copies):.3f} ({found}/{len(copies)}) | {len(indexes)} | {share:.0%} |")


def main() -> None:
    run(story_set())
    reuse(story_set())
    partitioned(story_set())
    print()
    run(story_set(seed=7))  # not the seed the thresholds were chosen on
