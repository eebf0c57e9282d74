"""`python -m eval` (`make eval`): accuracy figures, printed, never asserted."""

from __future__ import annotations

import sys
import time


def datelines() -> None:
    from wirestream.bootstrap import make_dateline_parser
    from wirestream.settings import Settings

    from eval.dateline_leads import leads
    from eval.datelines import render, score

    parser = make_dateline_parser(Settings())
    cases = leads()
    started = time.perf_counter()
    table = score(parser, cases)
    per_lead = (time.perf_counter() - started) / len(cases) * 1000
    print(f"## Datelines: {len(cases)} written leads, {len({c.language for c in cases})} languages")
    print(render(table))
    print(f"dateline parsing, first pass (caches filling): {per_lead:.3f} ms per lead")
    gazetteer_cost()
    places_cost()


def gazetteer_cost() -> None:
    """Load time and memory of the gazetteer from its prebuilt index, in a process of its own."""
    import subprocess

    script = ("import time\n"
              "def rss(): return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024\n"
              "from wirestream.enrich import geonames\nfrom wirestream.settings import Settings\n"
              "settings = Settings(); geonames.load_gazetteer(settings.cache_dir)\n"  # the index exists now
              "before = rss(); started = time.perf_counter()\n"
              "gazetteer = geonames.load_gazetteer(settings.cache_dir)\n"
              "print(f'{time.perf_counter() - started:.2f} {rss() - before:.0f} {gazetteer.size}')\n")
    seconds, megabytes, size = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                              check=True).stdout.split()
    print(f"gazetteer: {int(size):,} places, loaded from its index in {seconds} s, +{megabytes} MB RSS")


def places_cost() -> None:
    """Dateline and places per article, over the samples (NER run once beforehand, not timed)."""
    from pathlib import Path

    from wirestream.bootstrap import make_enrichers
    from wirestream.cli.inputs import read_inputs
    from wirestream.clock import now
    from wirestream.enrich.geo.places import locate
    from wirestream.enrich.ingest import ingest
    from wirestream.enrich.pipeline import enrich_batch
    from wirestream.settings import Settings

    enrichers = make_enrichers(Settings(), preload=False)
    items = [ingest(r.value, now()) for r in read_inputs([str(Path(__file__).parents[1] / "samples")]) if r.value]
    enriched = [a for a in enrich_batch(items, enrichers) if hasattr(a, "entities")]
    rounds = 200
    started = time.perf_counter()
    for _ in range(rounds):
        for item, article in zip(items, enriched):
            dateline = enrichers.dateline.parse(item.text, item.received_at)
            locate(article.entities, dateline, enrichers.places)  # type: ignore[arg-type]
    per_article = (time.perf_counter() - started) / (rounds * len(enriched)) * 1000
    print(f"dateline + places: {per_article:.3f} ms per article ({len(enriched)} samples, {rounds} rounds)")


def languages() -> None:
    from wirestream.bootstrap import make_language_detector
    from wirestream.settings import Settings

    from eval.languages import DEV_SET, items, render, score, worst

    if not DEV_SET.exists():
        print(f"## Language ID: skipped, the development set is not here ({DEV_SET}; set WIRESTREAM_LANGID_DEV)")
        return
    cases = items()
    detector = make_language_detector(Settings())
    print(f"## Language ID: {len(cases)} items of {DEV_SET.name}, {len({c.language for c in cases})} languages")
    scores = {"wirestream (ensemble)": score(lambda text: detector.detect(text).code, cases)}
    for model in detector.models:
        scores[f"{model.name} alone"] = score(lambda text, model=model: _top(model.rank(text)), cases)
    print(render(scores))
    for name in ("wirestream (ensemble)", "fasttext-lid.176-lite alone"):
        print(f"{name}: {worst(scores[name])}")


def ner() -> None:
    from wirestream.bootstrap import make_enrichers
    from wirestream.settings import MULTILINGUAL_NER_LANGUAGES, Settings

    from eval.ner import score_dev, score_news, throughput
    from training.ner.data import SOURCES
    from training.ner.train import DATA

    enrichers = make_enrichers(Settings())
    recognizers = enrichers.entities
    multilingual = recognizers.for_language(MULTILINGUAL_NER_LANGUAGES[0])
    print("## NER: exact spans, labels PERSON / ORG / PLACE")
    if multilingual is None:
        print("the multilingual pipeline is not installed (make models)")
        return
    if DATA.is_dir():
        print(f"Dev splits of ../shared/data/ner-train, multilingual pipeline {multilingual.model_name}:")
        print("| source | precision | recall | F1 | gold entities |\n|---|---:|---:|---:|---:|")
        for name, tally in score_dev(multilingual, DATA, SOURCES).items():
            print(tally.row(name))
    else:
        print(f"Dev splits: skipped, {DATA} is not here")
    print("Hand-labelled news paragraphs (tests/data/ner_news; English: tests/data/places/en.jsonl), the model's "
          "spans alone (the label check comes after: see places):")
    print("| language | precision | recall | F1 | gold entities | articles/s (500 words) |\n|---|---:|---:|---:|---:|---:|")
    for language in ("en", "de", "es", "nl"):
        recognizer = recognizers.for_language(language)
        tally, _ = score_news(recognizer, language)
        print(tally.row(f"{language} ({recognizer.model_name})", f" {throughput(enrichers, language):.1f} |"))


def memory() -> None:
    """What each component adds to a worker's RSS, loaded one after the other in a fresh process."""
    import subprocess

    script = ("import gc\n"
              "def rss(): return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) / 1024\n"
              "start = rss()\n"
              "import spacy, faust, wirestream.bootstrap as b\nfrom wirestream.settings import Settings\n"
              "s = Settings(); steps = [('Python, Faust, spaCy, wirestream imported', None)]\n"
              "steps += [('language ensemble', lambda: b.make_language_detector(s)), "
              "('gazetteer', lambda: b.make_gazetteer(s))]\n"
              "r = b.make_entity_recognizers(s)\n"
              "steps += [(f'NER {l}', lambda l=l: r.for_language(l)) for l in ('en', 'fr', 'de')]\n"
              "last = start\nkeep = []\n"
              "for name, load in steps:\n"
              "    keep.append(load() if load else None); gc.collect(); now = rss()\n"
              "    print(f'| {name} | {now - last:.0f} |'); last = now\n"
              "print(f'| total | {last:.0f} |')\n")
    print("## Memory: what each component adds (MB RSS; NER de = the multilingual pipeline, all its languages)")
    print("| component | MB |\n|---|---:|")
    print(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout, end="")


def places() -> None:
    from eval.places import main

    main(show_errors="--errors" in sys.argv)


def stories() -> None:
    from eval.stories import main

    main()


def _top(ranked: list[tuple[str, float]]) -> str:
    return ranked[0][0] if ranked else "und"


def main(argv: list[str]) -> int:
    wanted = [a for a in argv if not a.startswith("--")] or ["datelines", "languages", "ner", "places", "stories",
                                                              "memory"]
    for name in wanted:
        {"datelines": datelines, "languages": languages, "ner": ner, "places": places, "stories": stories,
         "memory": memory}[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
