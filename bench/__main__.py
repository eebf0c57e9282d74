"""`python -m bench`: bare, naive, wirestream and wirestream x2 on one corpus, then ratios.

Prints a table in articles/s and words/s, latency at half load, peak RSS per worker and
start-up time, and the ratio lines scripts read (`wirestream/bare: 0.NN`, ...). Then bare and
wirestream again on a corpus of which 30% are republished copies (`--copies`): bare still runs
NER on every article, wirestream reuses an original's entities for its near-identical copies.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
from pathlib import Path

from bench.bare import measure_bare
from bench.corpus import make_corpus
from bench.streaming import Throughput, measure_latency, measure_throughput

WIRESTREAM = ["-m", "wirestream", "worker"]
NAIVE = ["-m", "faust", "-A", "bench.naive_app", "worker", "--loglevel", "warn"]
# The worker's consumer group (WIRESTREAM_APP_ID) and the naive app's id.
WIRESTREAM_GROUP, NAIVE_GROUP = "wirestream-bench", "bench-naive"


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def _row(name: str, result: Throughput) -> str:
    rss = "/".join(f"{mb:.0f}" for mb in result.peak_rss_mb) or "-"
    return f"| {name:<15} | {result.articles_per_s:>10.1f} | {result.words_per_s:>9.0f} | {result.seconds:>8.1f} | {rss:>13} |"


async def run(args: argparse.Namespace) -> None:
    corpus = make_corpus(args.articles, seed=args.seed)
    words = sum(a.words for a in corpus)
    logs = Path(args.logs or tempfile.mkdtemp(prefix="wirestream-bench-"))
    env = {"WIRESTREAM_APP_ID": WIRESTREAM_GROUP}
    print(f"machine: {_machine()}")
    print(f"corpus: {len(corpus)} articles, {words:,} words (seed {args.seed}); worker logs in {logs}/", flush=True)

    if args.latency_at:  # only the latency run, at a given rate: for tuning latency settings
        latency, _ = await measure_latency(WIRESTREAM, env, corpus, args.latency_at, args.latency_seconds,
                                           WIRESTREAM_GROUP, logs / "latency")
        print(f"latency at {latency.rate:.1f} articles/s, {len(latency.samples)} articles: p50 "
              f"{latency.percentile(50) * 1000:.0f} ms, p95 {latency.percentile(95) * 1000:.0f} ms, "
              f"p99 {latency.percentile(99) * 1000:.0f} ms")
        return
    results: dict[str, Throughput] = {}
    if args.copies_only:
        await _with_copies(args, env, logs, results)
        return
    if args.stories_stage:
        await _stories_stage(args, env, logs)
        return
    if not (args.skip_naive or args.quick):
        results["naive"] = await measure_throughput(NAIVE, {}, 1, corpus, NAIVE_GROUP, logs / "naive")
        print(f"  naive: {results['naive'].articles_per_s:.1f} articles/s", flush=True)
    # bare right before wirestream: this machine's speed drifts by a few percent over minutes.
    results["bare"] = measure_bare(corpus)
    print(f"  bare: {results['bare'].articles_per_s:.1f} articles/s", flush=True)
    results["wirestream"] = await measure_throughput(WIRESTREAM, env, 1, corpus, WIRESTREAM_GROUP, logs / "x1")
    print(f"  wirestream: {results['wirestream'].articles_per_s:.1f} articles/s", flush=True)
    if args.quick:
        print(f"wirestream/bare: {results['wirestream'].articles_per_s / results['bare'].articles_per_s:.2f}")
        return

    results["wirestream x2"] = await measure_throughput(WIRESTREAM, env, 2, corpus, WIRESTREAM_GROUP, logs / "x2")
    print(f"  wirestream x2: {results['wirestream x2'].articles_per_s:.1f} articles/s", flush=True)
    rate = results["wirestream"].articles_per_s / 2
    latency, startup = await measure_latency(WIRESTREAM, env, corpus, rate, args.latency_seconds,
                                             WIRESTREAM_GROUP, logs / "latency")

    print()
    print("| row             | articles/s |   words/s |  seconds | peak RSS (MB) |")
    print("|-----------------|-----------:|----------:|---------:|--------------:|")
    for name in ("bare", "naive", "wirestream", "wirestream x2"):
        if name in results:
            print(_row(name, results[name]))
    print()
    print(f"latency at {latency.rate:.1f} articles/s (half of wirestream), {len(latency.samples)} articles: "
          f"p50 {latency.percentile(50) * 1000:.0f} ms, p95 {latency.percentile(95) * 1000:.0f} ms, "
          f"p99 {latency.percentile(99) * 1000:.0f} ms")
    print(f"worker start-up to first enriched record: {startup:.1f} s")
    print()
    one, two, bare = results["wirestream"], results["wirestream x2"], results["bare"]
    print(f"wirestream/bare: {one.articles_per_s / bare.articles_per_s:.2f}")
    if "naive" in results:
        naive = results["naive"]
        print(f"wirestream/naive: {one.articles_per_s / naive.articles_per_s:.2f}")
        print(f"wirestream x2/naive: {two.articles_per_s / naive.articles_per_s:.2f}")
    print(f"wirestream x2/wirestream: {two.articles_per_s / one.articles_per_s:.2f}")
    if args.copies:
        await _with_copies(args, env, logs, results)


async def _with_copies(args: argparse.Namespace, env: dict[str, str], logs: Path,
                       results: dict[str, Throughput]) -> None:
    corpus = make_corpus(args.articles, seed=args.seed, copies=args.copies)
    share = f"{args.copies:.0%} copies"
    print(f"\ncorpus with {share}: {len(corpus)} articles, {sum(a.words for a in corpus):,} words", flush=True)
    bare = measure_bare(corpus)
    print(f"  bare ({share}): {bare.articles_per_s:.1f} articles/s", flush=True)
    one = await measure_throughput(WIRESTREAM, env, 1, corpus, WIRESTREAM_GROUP, logs / "copies")
    copies = sum(1 for article in corpus if article.id.startswith("bench-copy-"))
    print(f"  wirestream ({share}): {one.articles_per_s:.1f} articles/s; {one.reused} of the {copies} copies "
          f"reused their original's entities", flush=True)
    print()
    print("| row             | articles/s |   words/s |  seconds | peak RSS (MB) |")
    print("|-----------------|-----------:|----------:|---------:|--------------:|")
    print(_row("bare", bare))
    print(_row("wirestream", one))
    print()
    print(f"wirestream/bare ({share}): {one.articles_per_s / bare.articles_per_s:.2f}")
    if "wirestream" in results:
        print(f"wirestream ({share})/wirestream: {one.articles_per_s / results['wirestream'].articles_per_s:.2f}")


async def _stories_stage(args: argparse.Namespace, env: dict[str, str], logs: Path) -> None:
    """The pipeline with NER left out (its languages set to one the corpus lacks), with the stories
    stage and without: how fast articles pass the one-partition stage through the broker."""
    corpus = make_corpus(args.articles, seed=args.seed, copies=args.copies)
    no_ner = {**env, "WIRESTREAM_NER_LANGUAGES": "sv"}
    rates = {}
    for name, stories in (("with the stories stage", "true"), ("without it", "false")):
        result = await measure_throughput(WIRESTREAM, {**no_ner, "WIRESTREAM_STORIES": stories}, 1, corpus,
                                          WIRESTREAM_GROUP, logs / f"stories-{stories}")
        rates[name] = result.articles_per_s
        print(f"  pipeline without NER, {name}: {result.articles_per_s:.0f} articles/s", flush=True)
    print(f"stories stage through the broker: the pipeline without NER runs at "
          f"{rates['with the stories stage']:.0f} articles/s with it, {rates['without it']:.0f} without")


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
    parser.add_argument("--stories-stage", action="store_true",
                        help="the pipeline without NER, with and without the stories stage")
    parser.add_argument("--logs", help="directory for broker and worker logs (default: a temporary one)")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
