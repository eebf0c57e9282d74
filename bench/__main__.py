"""`python -m bench`: bare, naive, wirestream and wirestream x2 on one corpus, then ratios.

Rows: bare (the models in a plain loop: one process's ceiling), pipeline (wirestream's own
enrichment in a plain loop, no broker), naive, wirestream, bare x2 (two bare loops at once: what
this machine gives two processes), wirestream x2.

wirestream runs as deployed (`wirestream run`, compose, the chart): its workers run ingest and
enrich, one light worker running ingest and stories beside them (`--layout`). bare,
wirestream and x2 are measured `--rounds` times in turn and the best of each kept: this
machine's speed drifts by several percent over minutes.

Prints a table in articles/s and words/s, latency at half load, peak RSS per worker and
start-up time, the stories stage's ceiling (the pipeline without NER: how many articles/s one
stories worker assigns), and the ratio lines scripts read (`wirestream/bare: 0.NN`, ...). Then
bare and wirestream again on a corpus of which 30% are republished copies (`--copies`): bare
still runs NER on every article, wirestream reuses an original's entities for its copies.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

from wirestream.settings import Settings

from bench.bare import measure_bare, measure_bare_parallel, measure_pipeline
from bench.corpus import make_corpus
from bench.diagnose import diagnose
from bench.streaming import Throughput, describe_busy, measure_latency, measure_throughput

WIRESTREAM = ["-m", "wirestream", "worker"]
NAIVE = ["-m", "faust", "-A", "bench.naive_app", "worker", "--loglevel", "warn"]
# The worker's consumer group (WIRESTREAM_APP_ID) and the naive app's id.
WIRESTREAM_GROUP, NAIVE_GROUP = "wirestream-bench", "bench-naive"
# How the workers are laid out (`--layout`): as compose and the chart deploy them (enrich workers
# and, beside them, one light worker running ingest and stories: `wirestream run` starts this),
# ingest+enrich workers beside a stories worker, or every stage in each worker.
LAYOUTS: dict[str, dict[str, Any]] = {
    "light": {"stages": ("enrich",), "beside": ("ingest", "stories")},
    "split": {"stages": ("ingest", "enrich"), "beside": ("stories",)},
    "combined": {},
}


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


HEADER = ("| row             | articles/s |   words/s |  seconds | peak RSS (MB) | light worker RSS (MB) |\n"
          "|-----------------|-----------:|----------:|---------:|--------------:|----------------------:|")


def _row(name: str, result: Throughput) -> str:
    rss = "/".join(f"{mb:.0f}" for mb in result.peak_rss_mb) or "-"
    stories = f"{result.beside_rss_mb:.0f}" if result.beside_rss_mb else "-"
    return (f"| {name:<15} | {result.articles_per_s:>10.1f} | {result.words_per_s:>9.0f} | {result.seconds:>8.1f} "
            f"| {rss:>13} | {stories:>21} |")


def _best(results: dict[str, Throughput], name: str, result: Throughput) -> None:
    if name not in results or result.articles_per_s > results[name].articles_per_s:
        results[name] = result


async def run(args: argparse.Namespace) -> None:
    """The rows on each broker of `--broker`, then the figures of both side by side."""
    logs = Path(args.logs or tempfile.mkdtemp(prefix="wirestream-bench-"))
    print(f"machine: {_machine()}")
    kinds = ("tansu", "kafka") if args.broker == "both" else (args.broker,)
    summaries: dict[str, dict[str, float]] = {}
    for kind in kinds:
        print(f"\n## on {'Apache Kafka 3.9.1 (KRaft, one node)' if kind == 'kafka' else 'Tansu (embedded)'}", flush=True)
        env = {"WIRESTREAM_APP_ID": WIRESTREAM_GROUP, "WIRESTREAM_BROKER_KIND": kind}
        summaries[kind] = await _run_on(args, env, logs / kind)
    if len(summaries) > 1 and all(summaries.values()):
        print("\n| figure | " + " | ".join(kinds) + " |\n|---|" + "---:|" * len(kinds))
        for figure in summaries[kinds[0]]:
            print(f"| {figure} | " + " | ".join(f"{summaries[k].get(figure, float('nan')):.2f}" for k in kinds) + " |")


async def _run_on(args: argparse.Namespace, env: dict[str, str], logs: Path) -> dict[str, float]:
    """Every row on one broker (`env` names it); the figures the side-by-side table compares."""
    corpus = make_corpus(args.articles, seed=args.seed)
    words = sum(a.words for a in corpus)
    summary: dict[str, float] = {}
    print(f"corpus: {len(corpus)} articles, {words:,} words (seed {args.seed}); worker logs in {logs}/", flush=True)

    if args.latency_at:  # only the latency run, at a given rate: for tuning latency settings
        latency, _ = await measure_latency(WIRESTREAM, env, corpus, args.latency_at, args.latency_seconds,
                                           WIRESTREAM_GROUP, logs / "latency", **LAYOUTS[args.layout])
        print(f"latency at {latency.rate:.1f} articles/s, {len(latency.samples)} articles: p50 "
              f"{latency.percentile(50) * 1000:.0f} ms, p95 {latency.percentile(95) * 1000:.0f} ms, "
              f"p99 {latency.percentile(99) * 1000:.0f} ms")
        return summary
    results: dict[str, Throughput] = {}
    if args.copies_only:
        summary["copies wirestream/bare"] = await _with_copies(args, env, logs, results)
        return summary
    if args.stories_ceiling:
        ceiling = await _stories_ceiling(args, env, logs)
        print(f"stories ceiling: {ceiling.articles_per_s:.0f} articles/s through one stories worker "
              f"(fed by an ingest worker, no NER behind) "
              f"(CPU per second: {describe_busy(ceiling)})")
        return summary
    if args.diagnose:
        await diagnose(corpus, env, WIRESTREAM_GROUP, logs)
        return summary
    layout = LAYOUTS[args.layout]
    if not (args.skip_naive or args.quick):
        results["naive"] = await measure_throughput(NAIVE, {}, 1, corpus, NAIVE_GROUP, logs / "naive")
        print(f"  naive: {results['naive'].articles_per_s:.1f} articles/s", flush=True)
    rows = ("bare", "wirestream") if args.quick else ("bare", "pipeline", "wirestream", "bare x2", "wirestream x2")
    for round_ in range(1, (1 if args.quick else args.rounds) + 1):
        # Each ceiling right before its row, and each row again in the next round: the best of each is kept.
        for name in rows:
            if name == "bare":
                result = measure_bare(corpus)
            elif name == "bare x2":
                result = measure_bare_parallel(corpus)
            elif name == "pipeline":
                result = measure_pipeline(corpus)
            else:
                workers = 2 if name.endswith("x2") else 1
                result = await measure_throughput(WIRESTREAM, env, workers, corpus, WIRESTREAM_GROUP,
                                                  logs / f"{name.replace(' ', '-')}-{round_}", **layout)
            _best(results, name, result)
            busy = f" (CPU per second: {describe_busy(result)})" if result.busy else ""
            print(f"  round {round_}, {name}: {result.articles_per_s:.1f} articles/s{busy}", flush=True)
    if args.quick:
        print(f"wirestream/bare: {results['wirestream'].articles_per_s / results['bare'].articles_per_s:.2f}")
        return summary

    ceiling = await _stories_ceiling(args, env, logs)
    rate = results["wirestream"].articles_per_s / 2
    latency, startup = await measure_latency(WIRESTREAM, env, corpus, rate, args.latency_seconds,
                                             WIRESTREAM_GROUP, logs / "latency", **layout)

    print()
    print(HEADER)
    for name in ("bare", "pipeline", "naive", "wirestream", "bare x2", "wirestream x2"):
        if name in results:
            print(_row(name, results[name]))
    print(_row("stories ceiling", ceiling))
    print()
    print(f"latency at {latency.rate:.1f} articles/s (half of wirestream), {len(latency.samples)} articles: "
          f"p50 {latency.percentile(50) * 1000:.0f} ms, p95 {latency.percentile(95) * 1000:.0f} ms, "
          f"p99 {latency.percentile(99) * 1000:.0f} ms")
    print(f"worker start-up to first enriched record: {startup:.1f} s")
    print(f"stories ceiling: {ceiling.articles_per_s:.0f} articles/s through one stories worker "
              f"(fed by an ingest worker, no NER behind) "
          f"(CPU per second: {describe_busy(ceiling)})")
    print()
    one, two, bare = results["wirestream"], results["wirestream x2"], results["bare"]
    print(f"wirestream/bare: {one.articles_per_s / bare.articles_per_s:.2f}")
    if "naive" in results:
        naive = results["naive"]
        print(f"wirestream/naive: {one.articles_per_s / naive.articles_per_s:.2f}")
        print(f"wirestream x2/naive: {two.articles_per_s / naive.articles_per_s:.2f}")
    print(f"wirestream x2/wirestream: {two.articles_per_s / one.articles_per_s:.2f}")
    # What this machine gives two CPU-bound processes, and what is left of it for wirestream.
    print(f"bare x2/bare: {results['bare x2'].articles_per_s / bare.articles_per_s:.2f}")
    print(f"pipeline/bare: {results['pipeline'].articles_per_s / bare.articles_per_s:.2f}")
    print(f"wirestream/pipeline: {one.articles_per_s / results['pipeline'].articles_per_s:.2f}")
    summary.update({
        "wirestream articles/s": one.articles_per_s, "wirestream x2 articles/s": two.articles_per_s,
        "x2/x1": two.articles_per_s / one.articles_per_s, "wirestream/bare": one.articles_per_s / bare.articles_per_s,
        "wirestream/pipeline": one.articles_per_s / results["pipeline"].articles_per_s,
        "p99 at half load (ms)": latency.percentile(99) * 1000, "p50 at half load (ms)": latency.percentile(50) * 1000,
        "broker CPU/s (x1)": one.broker_busy, "broker CPU/s (x2)": two.broker_busy,
    })
    if args.copies:
        summary["copies wirestream/bare"] = await _with_copies(args, env, logs, results)
    return summary


async def _stories_ceiling(args: argparse.Namespace, env: dict[str, str], logs: Path) -> Throughput:
    """How many articles/s one stories worker assigns: an ingest-only worker feeds it, and the
    articles are read where the stories stage writes them (`wirestream.ingested`), no NER behind."""
    corpus = make_corpus(args.articles, seed=args.seed, copies=args.copies)
    return await measure_throughput(WIRESTREAM, env, 1, corpus, f"{WIRESTREAM_GROUP}-ingest", logs / "stories-ceiling",
                                    stages=("ingest",), beside=("stories",), outputs=(Settings().topic_ingested,))


async def _with_copies(args: argparse.Namespace, env: dict[str, str], logs: Path,
                       results: dict[str, Throughput]) -> float:
    corpus = make_corpus(args.articles, seed=args.seed, copies=args.copies)
    share = f"{args.copies:.0%} copies"
    print(f"\ncorpus with {share}: {len(corpus)} articles, {sum(a.words for a in corpus):,} words", flush=True)
    layout = LAYOUTS[args.layout]
    best: dict[str, Throughput] = {}
    for round_ in range(1, args.rounds + 1):  # alternately, the best of each kept
        _best(best, "bare", measure_bare(corpus))
        result = await measure_throughput(WIRESTREAM, env, 1, corpus, WIRESTREAM_GROUP, logs / f"copies-{round_}", **layout)
        _best(best, "wirestream", result)
        print(f"  round {round_} ({share}): bare {best['bare'].articles_per_s:.1f}, wirestream "
              f"{result.articles_per_s:.1f} articles/s", flush=True)
    bare, one = best["bare"], best["wirestream"]
    print(f"  bare ({share}): {bare.articles_per_s:.1f} articles/s", flush=True)
    copies = sum(1 for article in corpus if article.id.startswith("bench-copy-"))
    print(f"  wirestream ({share}): {one.articles_per_s:.1f} articles/s; {one.reused} of the {copies} copies "
          f"reused their original's entities", flush=True)
    print()
    print(HEADER)
    print(_row("bare", bare))
    print(_row("wirestream", one))
    print()
    print(f"wirestream/bare ({share}): {one.articles_per_s / bare.articles_per_s:.2f}")
    if "wirestream" in results:
        print(f"wirestream ({share})/wirestream: {one.articles_per_s / results['wirestream'].articles_per_s:.2f}")
    return one.articles_per_s / bare.articles_per_s


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--seed", type=int, default=20261125, help="corpus seed")
    parser.add_argument("--latency-seconds", type=float, default=60, help="length of the half-load run")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive row (it is the slowest)")
    parser.add_argument("--quick", action="store_true", help="only bare and wirestream, for profiling work")
    parser.add_argument("--latency-at", type=float, metavar="RATE",
                        help="only the latency run, publishing RATE articles/s (for tuning latency settings)")
    parser.add_argument("--copies", type=float, default=0.3,
                        help="share of republished copies in the second corpus (default 0.3; 0 leaves it out)")
    parser.add_argument("--copies-only", action="store_true",
                        help="bare and wirestream on the corpus with copies only")
    parser.add_argument("--stories-ceiling", action="store_true",
                        help="only the stories stage's ceiling: the pipeline without NER, one stories worker beside")
    parser.add_argument("--diagnose", action="store_true",
                        help="two workers in three layouts: lag per stage, event loop delay, producer buffer")
    parser.add_argument("--rounds", type=int, default=2,
                        help="times bare, wirestream and x2 are measured in turn, the best of each kept (default 2)")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="light",
                        help="light (default): enrich workers beside one ingest+stories worker, as deployed; split: "
                             "ingest+enrich workers beside a stories worker; combined: every stage in each worker")
    parser.add_argument("--broker", choices=("tansu", "kafka", "both"), default="both",
                        help="the broker of the streaming rows: both (default) runs every row on each, then "
                             "prints their figures side by side; kafka needs `make kafka`")
    parser.add_argument("--logs", help="directory for broker and worker logs (default: a temporary one)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
