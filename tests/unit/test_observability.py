"""Logs (human or JSON lines) and the Prometheus metrics a worker exposes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from wirestream.enrich.pipeline import BatchReport
from wirestream.logs import JsonFormatter, RepeatFilter, about, configure_logging
from wirestream.serialization import loads
from wirestream.settings import Settings
from wirestream.worker.metrics import Metrics


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("wirestream.worker.run", logging.INFO, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_the_article_id_and_stage() -> None:
    line = JsonFormatter().format(_record("enriched article=%s stage=%s", "a1", "enrich", **about("a1", "enrich")))
    entry = loads(line)
    assert entry["message"] == "enriched article=a1 stage=enrich"
    assert (entry["article_id"], entry["stage"], entry["level"], entry["logger"]) == \
        ("a1", "enrich", "INFO", "wirestream.worker.run")
    assert entry["time"].endswith("+00:00")


def test_json_lines_include_the_exception() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_log_format_setting_picks_the_formatter(restore_root_logging: None) -> None:
    configure_logging(Settings(log_format="json"))
    assert isinstance(logging.getLogger().handlers[0].formatter, JsonFormatter)
    configure_logging(Settings())
    assert not isinstance(logging.getLogger().handlers[0].formatter, JsonFormatter)
    assert logging.getLogger("aiokafka.conn").getEffectiveLevel() == logging.ERROR


def test_repeated_client_errors_are_shown_once_per_interval_with_a_count() -> None:
    repeat = RepeatFilter(interval=3600)
    records = [logging.LogRecord("aiokafka.conn", logging.ERROR, __file__, 1, "Unable connect to %s", ("x",), None)
               for _ in range(10)]
    assert [repeat.filter(r) for r in records] == [True] + [False] * 9
    repeat.interval = 0
    later = logging.LogRecord("aiokafka.conn", logging.ERROR, __file__, 1, "Unable connect to %s", ("x",), None)
    assert repeat.filter(later) and "and 9 more like it" in later.getMessage()
    ours = logging.LogRecord("wirestream.worker.run", logging.ERROR, __file__, 1, "same", (), None)
    assert all(RepeatFilter(interval=3600).filter(ours) for _ in range(3))  # our own lines are never held back


def _families(metrics: Metrics) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    samples: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def test_metrics_expose_counts_histograms_and_model_versions() -> None:
    metrics = Metrics()
    metrics.describe(pipeline_version="0.1.0", language_model="fasttext-lid.176-lite")
    metrics.articles_in.labels("ingest").inc(3)
    metrics.rejected.labels("ingest", "invalid_json").inc()
    metrics.enriched.labels("en").inc(2)
    metrics.observe_batch(BatchReport(stage_seconds={"entities": [0.02, 0.03], "language": [0.0005]},
                                      ner_batches=[2], reused=1))
    metrics.end_to_end.observe(0.2)
    samples = _families(metrics)
    assert samples["wirestream_articles_in_total"][(("stage", "ingest"),)] == 3
    assert samples["wirestream_articles_rejected_total"][(("reason", "invalid_json"), ("stage", "ingest"))] == 1
    assert samples["wirestream_articles_enriched_total"][(("language", "en"),)] == 2
    assert samples["wirestream_stage_seconds_count"][(("stage", "entities"),)] == 2
    assert samples["wirestream_stage_seconds_sum"][(("stage", "entities"),)] == pytest.approx(0.05)
    assert samples["wirestream_ner_batch_size_count"][()] == 1
    assert samples["wirestream_end_to_end_seconds_bucket"][(("le", "0.25"),)] == 1
    assert samples["wirestream_worker_start_time_seconds"][()] > 1.7e9
    info = samples["wirestream_worker_info"]
    assert (("language_model", "fasttext-lid.176-lite"), ("pipeline_version", "0.1.0")) in info


class _FakeConsumer:
    def __init__(self, highwaters: dict[tuple[str, int], int], committed: dict[tuple[str, int], int]) -> None:
        from faust.types import TP

        self._tps = [TP(t, p) for t, p in highwaters]
        self._highwaters = {TP(t, p): v for (t, p), v in highwaters.items()}
        self._committed_offset = {TP(t, p): v for (t, p), v in committed.items()}

    def assignment(self) -> set[object]:
        return set(self._tps)

    def highwater(self, tp: object) -> int:
        return self._highwaters[tp]  # type: ignore[index]


def test_consumer_lag_is_highwater_minus_committed_and_forgets_moved_partitions() -> None:
    metrics = Metrics()
    metrics.observe_lag(_FakeConsumer({("articles.raw", 0): 10, ("articles.raw", 1): 5}, {("articles.raw", 0): 7}),
                        {"articles.raw"})
    lag = _families(metrics)["wirestream_consumer_lag"]
    assert lag == {(("partition", "0"), ("topic", "articles.raw")): 3, (("partition", "1"), ("topic", "articles.raw")): 5}
    metrics.observe_lag(_FakeConsumer({("articles.raw", 1): 5}, {("articles.raw", 1): 5}), {"articles.raw"})
    assert _families(metrics)["wirestream_consumer_lag"] == {(("partition", "1"), ("topic", "articles.raw")): 0}


def test_consumer_lag_leaves_out_table_changelogs_which_are_read_but_never_committed() -> None:
    metrics = Metrics()
    consumer = _FakeConsumer({("wirestream.ingested", 0): 4, ("wirestream-seen_ids-changelog", 0): 9},
                             {("wirestream.ingested", 0): 4})
    metrics.observe_lag(consumer, {"wirestream.ingested"})
    assert _families(metrics)["wirestream_consumer_lag"] == {(("partition", "0"), ("topic", "wirestream.ingested")): 0}
