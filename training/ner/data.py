"""The training data of the multilingual NER pipeline: which sources, how many sentences of each,
and how a sentence of the shared corpus becomes a spaCy Doc.

The sources are files of `../shared/data/ner-train/` (see its README for each licence). Gold news
treebanks come first and whole; silver Wikipedia (WikiANN) and OCR'd newspapers (Europeana) add
support, sampled. Nothing from `noncommercial/` is read. MISC is not trained: most sources do not
tag it, and mixing them would teach the model that MISC-like spans are not entities.
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

SEED = 20261126
LABELS = ("PER", "LOC", "ORG")


@dataclass(frozen=True)
class Source:
    language: str
    path: str  # under ner-train/, without .train/.dev.jsonl.gz
    quality: str  # gold, silver, ocr
    licence: str
    max_train: int | None = None  # sentences sampled from the train split; None: all
    max_dev: int | None = 1000  # sentences of the dev split scored

    @property
    def name(self) -> str:
        return self.path.split("/", 1)[1]


SOURCES: tuple[Source, ...] = (
    Source("de", "de/germeval2014", "gold", "CC BY 4.0"),
    Source("de", "de/wikiann", "silver", "unstated (Wikipedia text: CC BY-SA)", max_train=5000),
    Source("de", "de/europeana-newspapers", "ocr", "CC0", max_train=1500, max_dev=300),
    Source("es", "es/ancora", "gold", "unstated (AnCora)", max_train=7000),
    Source("nl", "nl/wikiann", "silver", "unstated (Wikipedia text: CC BY-SA)", max_train=6000),
    Source("nl", "nl/europeana-newspapers", "ocr", "CC0", max_train=2000, max_dev=300),
    Source("pt", "pt/uner-bosque", "gold", "CC BY-SA 4.0"),
    Source("pt", "pt/wikiann", "silver", "unstated (Wikipedia text: CC BY-SA)", max_train=2000),
    Source("da", "da/uner-ddt", "gold", "CC BY-SA 4.0"),
    Source("nb", "no/norne-nob", "gold", "CC0 (annotations)"),
    Source("nn", "no/norne-nno", "gold", "CC0 (annotations)"),
    Source("sv", "sv/uner-talbanken", "gold", "CC BY-SA 4.0"),
    Source("hr", "hr/uner-set", "gold", "CC BY-SA 4.0"),
    Source("sr", "sr/uner-set", "gold", "CC BY-SA 4.0"),
    Source("sk", "sk/uner-snk", "gold", "CC BY-SA 4.0", max_train=5000),
)

# A deployment that may not use data of unstated licence can leave these languages out
# (WIRESTREAM_NER_LANGUAGES): their model learnt from AnCora or WikiANN.
UNSTATED_LICENCE_LANGUAGES = tuple(sorted({s.language for s in SOURCES if s.licence.startswith("unstated")}))

_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "»", "”", "'s", "n't"}
_NO_SPACE_AFTER = {"(", "[", "{", "«", "„", "“", "¿", "¡"}


def sentences(root: Path, source: Source, split: str) -> list[dict[str, list[str]]]:
    path = root / f"{source.path}.{split}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def sample(root: Path, source: Source, split: str) -> list[dict[str, list[str]]]:
    """The sentences of one split, a seeded sample of them where the source is capped."""
    rows = sentences(root, source, split)
    limit = source.max_train if split == "train" else source.max_dev
    if limit is not None and len(rows) > limit:
        rows = random.Random(f"{SEED}:{source.path}:{split}").sample(rows, limit)
    return rows


def _spans(tags: list[str]) -> Iterator[tuple[int, int, str]]:
    """(first token, end token, label) of each PER/LOC/ORG entity in IOB2 tags."""
    start, label = None, None
    for index, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and label == tag[2:]:
            continue
        if start is not None and label in LABELS:
            yield start, index, label
        start, label = (index, tag[2:]) if tag.startswith("B-") else (None, None)


def to_doc(nlp: Language, row: dict[str, list[str]]) -> Doc | None:
    """The sentence as running text, tokenised as the model will see news, with its entities.
    None when an entity does not line up with the tokeniser's tokens."""
    words, tags = row["tokens"], row["tags"]
    text, starts = "", []
    for index, word in enumerate(words):
        if index and word not in _NO_SPACE_BEFORE and words[index - 1] not in _NO_SPACE_AFTER:
            text += " "
        starts.append(len(text))
        text += word
    doc = nlp.make_doc(text)
    entities = []
    for first, end, label in _spans(tags):
        span = doc.char_span(starts[first], starts[end - 1] + len(words[end - 1]), label=label,
                             alignment_mode="expand")
        if span is None:
            return None
        entities.append(span)
    try:
        doc.ents = entities
    except ValueError:  # overlapping after expansion
        return None
    return doc
