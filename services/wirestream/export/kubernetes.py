"""The plain Kubernetes manifests in `deploy/kubernetes/`: the Helm chart `deploy/helm/wirestream`
rendered, so that the chart is the one source; and the Grafana dashboard.

No Helm binary installs from a registry reachable here, so the chart is rendered by
`export/helm_render.py` (the subset of Go templates and Sprig the chart uses; `helm template`
renders the same resources). `make deploy` writes, and a test checks, two renderings:

- `plain/`: values.yaml: PLAINTEXT Kafka at kafka:9092; the `wirestream-topics` Job creates the topics.
- `strimzi/`: values-strimzi.yaml over it: SCRAM-SHA-512 over TLS; `KafkaTopic` resources own the topics.

Both with `image.registry=registry.example.com`, the placeholder you replace with your registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirestream.kafka.topics import TopicSpec, topic_catalogue
from wirestream.settings import Settings

CHART = Path(__file__).resolve().parents[3] / "deploy" / "helm" / "wirestream"
PLACEHOLDER_REGISTRY = "registry.example.com"
PASSWORD_DIR = "/var/run/secrets/wirestream"
# Measured (README, Performance): an enrich worker does ~20 articles/s of ~540-word articles on
# one core; a backlog is to be cleared within a minute: the lag one replica clears in that time.
ENRICH_ARTICLES_PER_SECOND = 20
LAG_THRESHOLD = ENRICH_ARTICLES_PER_SECOND * 60


@dataclass(frozen=True)
class Variant:
    name: str
    overlays: tuple[Path | dict[str, Any], ...]

    @property
    def strimzi(self) -> bool:
        return self.name == "strimzi"

    def resources(self) -> list[dict[str, Any]]:
        from wirestream.export.helm_render import render_chart

        return render_chart(CHART, *self.overlays, {"image": {"registry": PLACEHOLDER_REGISTRY}})

    @property
    def settings(self) -> Settings:
        """The settings a worker of this rendering runs with (its ConfigMap's variables)."""
        [config] = [r for r in self.resources() if r["kind"] == "ConfigMap"]
        fields = {name.removeprefix("WIRESTREAM_").lower(): value for name, value in config["data"].items()}
        return Settings(**fields)


def variants() -> list[Variant]:
    return [Variant("plain", ()), Variant("strimzi", (CHART / "values-strimzi.yaml",))]


def kafka_topic(spec: TopicSpec, settings: Settings) -> dict[str, Any]:
    """What the chart's values list for one topic of the catalogue (`strimzi.topics`)."""
    config: dict[str, Any] = {}
    for key, value in sorted(spec.config.items()):
        config[key] = int(value) if value.isdigit() else value
    return {"name": spec.name, "partitions": spec.partitions, "replicas": settings.replication_factor,
            "config": config}


def faust_leader_topics(settings: Settings) -> list[dict[str, Any]]:
    """Faust's assignor leader topic of each consumer group wirestream runs (`<group>-__assignor-__leader`,
    one partition): created by Faust itself when no operator owns the topics."""
    common = {key: int(value) for key, value in topic_catalogue(settings).raw.config.items() if value.isdigit()}
    return [{"name": f"{group}-__assignor-__leader", "partitions": 1, "replicas": settings.replication_factor,
             "config": dict(sorted(common.items()))}
            for group in (settings.app_id, settings.group_of(("ingest",)), settings.group_of(("stories",)))]


# What the dashboard shows: (title, PromQL, unit), one panel each, two to a row.
PANELS = [
    ("Articles in, per second, by stage", "sum by (stage) (rate(wirestream_articles_in_total[5m]))", "ops"),
    ("Enriched, per second, by language", "sum by (language) (rate(wirestream_articles_enriched_total[5m]))", "ops"),
    ("Rejected, per second, by stage and reason",
     "sum by (stage, reason) (rate(wirestream_articles_rejected_total[5m]))", "ops"),
    ("Consumer lag, by topic", "sum by (topic) (wirestream_consumer_lag)", "short"),
    ("Stage time per article, p95", "histogram_quantile(0.95, sum by (stage, le) "
                                    "(rate(wirestream_stage_seconds_bucket[5m])))", "s"),
    ("Arrival to enriched, p50 and p95", "histogram_quantile(0.95, sum by (le) "
                                         "(rate(wirestream_end_to_end_seconds_bucket[5m])))", "s"),
    ("Stories opened, joined, duplicates, per second",
     "sum(rate(wirestream_stories_opened_total[5m])) or sum(rate(wirestream_story_articles_joined_total[5m])) "
     "or sum(rate(wirestream_story_duplicates_total[5m]))", "ops"),
    ("Copies whose entities were reused, per second", "sum(rate(wirestream_ner_reused_total[5m]))", "ops"),
    ("Articles in the stories window", "max(wirestream_story_index_articles)", "short"),
    ("Articles skipped as already enriched, per second", "sum(rate(wirestream_articles_duplicate_total[5m]))", "ops"),
    ("NER batch size, p50", "histogram_quantile(0.5, sum by (le) (rate(wirestream_ner_batch_size_bucket[5m])))",
     "short"),
    ("Workers", "count(wirestream_worker_start_time_seconds)", "short"),
]


def grafana_dashboard() -> dict[str, Any]:
    panels = []
    for index, (title, query, unit) in enumerate(PANELS):
        panels.append({
            "id": index + 1, "type": "timeseries", "title": title,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": 12 * (index % 2), "y": 8 * (index // 2)},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"refId": "A", "expr": query}],
        })
    return {
        "title": "wirestream", "uid": "wirestream", "schemaVersion": 39, "version": 1, "editable": True,
        "time": {"from": "now-6h", "to": "now"}, "refresh": "30s", "tags": ["wirestream"],
        "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus",
                                 "label": "Prometheus"}]},
        "panels": panels,
    }


def rendered_files() -> dict[str, str]:
    """Path under deploy/kubernetes → its text: each variant's rendering, a file per template; the dashboard."""
    import yaml  # a development dependency: only `make deploy` and the tests write or read these

    from wirestream.export.helm_render import Renderer, merged_values
    from wirestream.serialization import dumps_pretty

    files: dict[str, str] = {}
    for variant in variants():
        values = merged_values(CHART, *variant.overlays, {"image": {"registry": PLACEHOLDER_REGISTRY}})
        overlay = " -f values-strimzi.yaml" if variant.strimzi else ""
        header = (f"# Rendered by `make deploy` from the Helm chart deploy/helm/wirestream (helm template wirestream"
                  f"{overlay} --set image.registry={PLACEHOLDER_REGISTRY}); do not edit: change the chart.\n")
        renderer = Renderer(CHART, values, release="wirestream", namespace=values["namespace"]["name"])
        for name, text in renderer.render().items():
            resources = [doc for doc in yaml.safe_load_all(text) if doc]
            files[f"{variant.name}/{name}"] = header + yaml.safe_dump_all(resources, sort_keys=False, width=120)
    files["grafana-dashboard.json"] = dumps_pretty(grafana_dashboard())
    return files
