"""`make models`: train the multilingual NER pipeline from ../shared/data/ner-train and write it,
with its metadata (sources and licences, seed, spaCy version, per-language P/R/F1), into the
package (`services/wirestream/models/ner_multi`). Seeded: the same data gives the same model.

    python -m training.ner.train [--data DIR] [--out DIR] [--steps N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train
from spacy.scorer import Scorer
from spacy.tokens import DocBin
from spacy.training import Example

from training.ner.data import (
    LABELS,
    SEED,
    SOURCES,
    UNSTATED_LICENCE_LANGUAGES,
    sample,
    to_doc,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "ner-train"
OUT = ROOT / "services" / "wirestream" / "models" / "ner_multi"
WORK = ROOT / "build" / "ner"
CONFIG = Path(__file__).with_name("config.cfg")
MODEL_NAME = "wirestream_ner_multi"
MODEL_VERSION = "1.0.0"


def build_corpora(data: Path) -> dict[str, dict[str, int]]:
    """train.spacy (every source, shuffled) and one dev DocBin per source; returns the counts."""
    nlp = spacy.blank("xx")
    WORK.mkdir(parents=True, exist_ok=True)
    train, counts = DocBin(), {}
    for source in SOURCES:
        kept = {"train": 0, "dev": 0, "skipped": 0}
        dev = DocBin()
        for split, bin_ in (("train", train), ("dev", dev)):
            for row in sample(data, source, split):
                doc = to_doc(nlp, row)
                if doc is None:
                    kept["skipped"] += 1
                    continue
                bin_.add(doc)
                kept[split] += 1
        dev.to_disk(WORK / f"dev-{source.language}-{source.name}.spacy")
        counts[source.path] = kept
        print(f"{source.path}: {kept}", flush=True)
    train.to_disk(WORK / "train.spacy")
    # spaCy's dev corpus during training: the gold sources' dev sets, together.
    dev_all = DocBin()
    for source in SOURCES:
        if source.quality == "gold":
            dev_all.merge(DocBin().from_disk(WORK / f"dev-{source.language}-{source.name}.spacy"))
    dev_all.to_disk(WORK / "dev.spacy")
    return counts


def score(model: Path) -> dict[str, dict[str, float]]:
    """P/R/F1 per source's dev set, and per label, of the trained pipeline."""
    nlp = spacy.load(model)
    scores: dict[str, dict[str, float]] = {}
    for source in SOURCES:
        docs = list(DocBin().from_disk(WORK / f"dev-{source.language}-{source.name}.spacy").get_docs(nlp.vocab))
        examples = [Example(nlp.make_doc(doc.text), doc) for doc in docs]
        predicted = nlp.pipe([example.predicted for example in examples], batch_size=256)
        for example, doc in zip(examples, predicted):
            example.predicted = doc
        result = Scorer.score_spans(examples, "ents")
        per_type = {label: round(values["f"], 3) for label, values in (result["ents_per_type"] or {}).items()}
        scores[f"{source.language}/{source.name}"] = {
            "quality": source.quality, "sentences": len(docs),  # type: ignore[dict-item]
            "p": round(result["ents_p"] or 0.0, 3), "r": round(result["ents_r"] or 0.0, 3),
            "f": round(result["ents_f"] or 0.0, 3), **{f"f_{label}": f for label, f in per_type.items()},
        }
        print(f"{source.language}/{source.name}: {scores[f'{source.language}/{source.name}']}", flush=True)
    return scores


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--steps", type=int, default=None, help="training steps (default: the config's)")
    parser.add_argument("--package-only", action="store_true",
                        help="score and package the pipeline already trained in build/ner (no training)")
    parser.add_argument("--minutes", type=float, default=None, help="with --package-only: how long training took")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"make models: the training data is not at {args.data}; pass --data DIR", file=sys.stderr)
        return 2
    started = time.monotonic()
    counts = build_corpora(args.data)
    if not args.package_only:
        overrides = {"paths.train": str(WORK / "train.spacy"), "paths.dev": str(WORK / "dev.spacy")}
        if args.steps:
            overrides["training.max_steps"] = args.steps
        spacy_train(CONFIG, WORK / "output", overrides=overrides, use_gpu=-1)
    best = WORK / "output" / "model-best"
    scores = score(best)
    nlp = spacy.load(best)
    languages = sorted({source.language for source in SOURCES})
    nlp.meta.update({
        "name": MODEL_NAME.removeprefix("xx_"), "version": MODEL_VERSION, "lang": "xx",
        "description": "wirestream's multilingual news NER (PER, LOC, ORG) for " + ", ".join(languages),
        "languages": languages, "labels": {"ner": list(LABELS)},
        "license": "CC BY-SA 4.0 (the strictest licence of its data)",
        "sources": [{"language": s.language, "path": s.path, "quality": s.quality, "licence": s.licence,
                     "sentences": counts[s.path]} for s in SOURCES],
        "unstated_licence_languages": list(UNSTATED_LICENCE_LANGUAGES),
        "seed": SEED, "spacy_version": f">={spacy.__version__},<3.9.0", "trained_with_spacy": spacy.__version__,
        "dev_scores": scores,
        "training_minutes": args.minutes if args.package_only else round((time.monotonic() - started) / 60, 1),
    })
    if args.out.exists():
        shutil.rmtree(args.out)
    nlp.to_disk(args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file()) / 1e6
    print(f"wrote {args.out} ({size:.1f} MB) in {(time.monotonic() - started) / 60:.1f} min")
    by_language: dict[str, list[str]] = defaultdict(list)
    for key, value in scores.items():
        by_language[key.split("/")[0]].append(f"{key.split('/')[1]} F1 {value['f']:.3f}")
    print(json.dumps(by_language, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
