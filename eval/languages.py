"""Language ID accuracy on the development set in ../shared/data/langid-dev (Tatoeba sentences in
44 languages): overall, by length, the worst languages, and each model alone for comparison.
`python -m eval languages`. Nothing of the set is copied into the repo; without it this says so."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import orjson

DEV_SET = Path(os.environ.get("WIRESTREAM_LANGID_DEV",
                              Path(__file__).resolve().parents[2] / "shared" / "data" / "langid-dev" / "langid-dev.jsonl"))
BUCKETS = ("short", "medium", "long")


@dataclass(frozen=True)
class Item:
    text: str
    language: str
    bucket: str


def items(path: Path = DEV_SET) -> list[Item]:
    rows = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return [Item(row["text"], row["lang"], row["bucket"]) for row in rows]


@dataclass
class Score:
    right: dict[str, int]
    total: dict[str, int]
    by_language: dict[str, list[int]]
    confusions: dict[tuple[str, str], int]
    ms_per_item: float

    def accuracy(self, key: str) -> float:
        return self.right[key] / self.total[key] if self.total[key] else float("nan")


def score(identify: Callable[[str], str], cases: list[Item]) -> Score:
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    by_language: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusions: dict[tuple[str, str], int] = defaultdict(int)
    started = time.perf_counter()
    answers = [identify(case.text) for case in cases]
    elapsed = time.perf_counter() - started
    for case, answer in zip(cases, answers):
        hit = answer == case.language
        for key in ("all", case.bucket):
            right[key] += hit
            total[key] += 1
        by_language[case.language][0] += hit
        by_language[case.language][1] += 1
        if not hit:
            confusions[(case.language, answer)] += 1
    return Score(right, total, by_language, confusions, elapsed / len(cases) * 1000)


def render(scores: dict[str, Score]) -> str:
    def pct(value: float) -> str:
        return f"{100 * value:.1f}%"

    lines = ["| detector | overall | short (<60) | medium | long (>300) | ms/item |", "|---|---:|---:|---:|---:|---:|"]
    for name, result in scores.items():
        cells = " | ".join(pct(result.accuracy(key)) for key in ("all", *BUCKETS))
        lines.append(f"| {name} | {cells} | {result.ms_per_item:.3f} |")
    return "\n".join(lines)


def worst(result: Score, count: int = 10) -> str:
    ranked = sorted(result.by_language.items(), key=lambda kv: kv[1][0] / kv[1][1])[:count]
    cells = ", ".join(f"{language} {100 * right / total:.0f}%" for language, (right, total) in ranked)
    confused = sorted(result.confusions.items(), key=lambda kv: -kv[1])[:8]
    mistakes = ", ".join(f"{truth}→{answer} {n}" for (truth, answer), n in confused)
    return f"worst {count}: {cells}\ncommonest mistakes: {mistakes}"
