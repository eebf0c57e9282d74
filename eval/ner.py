"""NER accuracy: the multilingual pipeline on each source's dev split in ../shared/data/ner-train
(when present), and every model on the hand-labelled news paragraphs in tests/data/ner_news.
`python -m eval ner`. Scores are exact-span, by coarse label (PERSON, ORG, PLACE)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import orjson

NEWS = Path(__file__).resolve().parents[1] / "tests" / "data" / "ner_news"
SCORED = ("PERSON", "ORG", "PLACE")


@dataclass
class Tally:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, gold: set[tuple[int, int, str]], predicted: set[tuple[int, int, str]]) -> None:
        self.true_positives += len(gold & predicted)
        self.predicted += len(predicted)
        self.gold += len(gold)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, name: str, extra: str = "") -> str:
        return f"| {name} | {self.precision:.3f} | {self.recall:.3f} | **{self.f1:.3f}** | {self.gold} |{extra}"


def news_items(language: str) -> list[dict[str, Any]]:
    path = NEWS / f"{language}.jsonl"
    if not path.is_file():  # English news paragraphs live with the place set
        path = NEWS.parent / "places" / f"{language}.jsonl"
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def gold_spans(text: str, entities: dict[str, str]) -> set[tuple[int, int, str]]:
    """Every occurrence of each labelled name, the longest name winning where two overlap."""
    spans: list[tuple[int, int, str]] = []
    for name in sorted(entities, key=len, reverse=True):
        start = text.find(name)
        while start != -1:
            end = start + len(name)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, entities[name]))
            start = text.find(name, end)
    return set(spans)


def predicted_spans(recognizer: Any, texts: list[str]) -> list[set[tuple[int, int, str]]]:
    from wirestream.enrich.entities import tidy_span
    from wirestream.enrich.labels import coarse

    found = []
    for text, spans in zip(texts, recognizer.spans_batch(texts)):
        kept = set()
        for start, end, label in spans:
            tidied = tidy_span(text, start, end, label)
            if tidied is not None and coarse(label) in SCORED:
                kept.add((tidied[0], tidied[1], coarse(label)))
        found.append(kept)
    return found


def score_news(recognizer: Any, language: str) -> tuple[Tally, float]:
    items = news_items(language)
    texts = [item["text"] for item in items]
    started = time.perf_counter()
    predictions = predicted_spans(recognizer, texts)
    seconds = time.perf_counter() - started
    tally = Tally()
    for item, predicted in zip(items, predictions):
        tally.add(gold_spans(item["text"], item["entities"]), predicted)
    return tally, seconds


def score_dev(recognizer: Any, data: Path, sources: Iterable[Any]) -> dict[str, Tally]:
    """Each source's dev split, turned into text as for training, through the shipped pipeline."""
    import spacy

    from training.ner.data import sample, to_doc

    blank = spacy.blank("xx")
    tallies: dict[str, Tally] = {}
    for source in sources:
        docs = [doc for doc in (to_doc(blank, row) for row in sample(data, source, "dev")) if doc is not None]
        texts = [doc.text for doc in docs]
        tally = tallies.setdefault(f"{source.language} {source.path.split('/')[1]} ({source.quality})", Tally())
        for doc, predicted in zip(docs, predicted_spans(recognizer, texts)):
            gold = {(e.start_char, e.end_char, {"PER": "PERSON", "LOC": "PLACE"}.get(e.label_, e.label_))
                    for e in doc.ents}
            tally.add(gold, predicted)
    return tallies


def throughput(enrichers: Any, language: str, words: int = 500, articles: int = 24) -> float:
    """Articles per second through the enrichment stages (what `wirestream enrich` runs), for
    articles of about `words` words made of the news paragraphs of `language`."""
    from wirestream.clock import now
    from wirestream.enrich.ingest import ingest
    from wirestream.enrich.pipeline import enrich_batch
    from wirestream.serialization import dumps

    paragraphs = [item["text"] for item in news_items(language)]
    batch = []
    for index in range(articles):
        body: list[str] = []
        while sum(len(p.split()) for p in body) < words:
            body.append(paragraphs[(index + len(body)) % len(paragraphs)])
        batch.append(ingest(dumps({"id": f"{language}-{index}", "text": "\n\n".join(body)}), now()))
    enrich_batch(batch[:2], enrichers)  # warm
    started = time.perf_counter()
    for start in range(0, len(batch), 8):
        enrich_batch(batch[start : start + 8], enrichers)
    return len(batch) / (time.perf_counter() - started)
