"""Kubernetes manifests for wirestream, generated from the settings and the topic catalogue.

No Helm binary can be installed from a package registry here, so the manifests are rendered by
this module (`make deploy` → `deploy/kubernetes/`) and a test fails when the files drift from
it, like the schemas. Two variants, one folder each:

- `plain/`: PLAINTEXT Kafka; the `wirestream-topics` Job creates every topic (the owner of topics).
- `strimzi/`: a Strimzi cluster with SCRAM-SHA-512 over TLS; `KafkaTopic` resources own the topics
  (the Topic Operator creates them), so there is no topics Job.

Figures that size them come from measurements on this project's bench (README, Kubernetes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wirestream import PIPELINE_VERSION
from wirestream.kafka.topics import TopicSpec, topic_catalogue
from wirestream.settings import Settings

APP = "wirestream"
IMAGE = f"wirestream:{PIPELINE_VERSION}"
WEB_PORT = 6066
DATA_DIR = "/var/lib/wirestream"  # Faust's data directory (the working directory): an emptyDir
PASSWORD_DIR = "/var/run/secrets/wirestream"
PARTITIONS = 12  # as docker-compose.yml: room for 12 enrich workers
# Measured (README, Performance): an enrich worker does ~20 articles/s of ~540-word articles on
# one core, at ~440 MB RSS under load (282 MB idle); an ingest worker 67 MB, ~0.2 ms an article.
ENRICH_ARTICLES_PER_SECOND = 20
CATCH_UP_SECONDS = 60  # a backlog is to be cleared within a minute
LAG_THRESHOLD = ENRICH_ARTICLES_PER_SECOND * CATCH_UP_SECONDS  # records one replica clears in that time
SCALE_DOWN_STABILISATION_SECONDS = 300  # a rebalance costs seconds: never scale down on a dip


@dataclass(frozen=True)
class Variant:
    name: str
    settings: Settings
    strimzi: bool  # KafkaTopic resources own the topics; else the topics Job


def variants() -> list[Variant]:
    common: dict[str, Any] = dict(partitions=PARTITIONS, replication_factor=3, min_insync_replicas=2,
                                  session_timeout=30.0, rebalance_timeout=60.0, heartbeat_interval=3.0,
                                  producer_max_batch_size=16384, log_format="json", web_host="0.0.0.0",
                                  web_port=WEB_PORT)
    plain = Settings(kafka_bootstrap_servers="kafka:9092", **common)
    strimzi = Settings(kafka_bootstrap_servers="wirestream-kafka-bootstrap:9093", security_protocol="SASL_SSL",
                       sasl_mechanism="SCRAM-SHA-512", sasl_username="wirestream",
                       sasl_password_file=f"{PASSWORD_DIR}/password",  # type: ignore[arg-type]
                       ssl_cafile=f"{PASSWORD_DIR}/ca.crt", **common)  # type: ignore[arg-type]
    return [Variant("plain", plain, strimzi=False), Variant("strimzi", strimzi, strimzi=True)]


def environment(settings: Settings) -> dict[str, str]:
    """The WIRESTREAM_* variables that make `settings` in a container (those that differ from the defaults)."""
    defaults = Settings()
    values: dict[str, str] = {}
    for name in sorted(Settings.model_fields):
        value = getattr(settings, name)
        if value == getattr(defaults, name) or value is None:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        values[f"WIRESTREAM_{name.upper()}"] = text
    return values


def _labels(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": APP, "app.kubernetes.io/component": component,
            "app.kubernetes.io/version": PIPELINE_VERSION}


def _selector(component: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": APP, "app.kubernetes.io/component": component}


def _container(variant: Variant, name: str, args: list[str], resources: dict[str, Any],
               probes: bool) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": name,
        "image": IMAGE,
        "imagePullPolicy": "IfNotPresent",
        "args": args,
        "workingDir": DATA_DIR,
        "envFrom": [{"configMapRef": {"name": "wirestream-settings"}}],
        "resources": resources,
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}},
        "volumeMounts": [{"name": "data", "mountPath": DATA_DIR}, {"name": "tmp", "mountPath": "/tmp"}],
    }
    if probes:
        container["ports"] = [{"name": "http", "containerPort": WEB_PORT}]
        # Liveness: the event loop answers and no agent stalled. Readiness: holding partitions.
        container["livenessProbe"] = {"httpGet": {"path": "/health", "port": "http"}, "initialDelaySeconds": 60,
                                      "periodSeconds": 15, "timeoutSeconds": 3, "failureThreshold": 4}
        container["readinessProbe"] = {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 10,
                                       "timeoutSeconds": 3, "failureThreshold": 3}
        container["startupProbe"] = {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 5,
                                     "failureThreshold": 60}  # models load in ~10 s, longer on a busy node
    if variant.settings.sasl_password_file is not None:
        container["volumeMounts"].append({"name": "kafka-credentials", "mountPath": PASSWORD_DIR, "readOnly": True})
    return container


def _pod(variant: Variant, component: str, containers: list[dict[str, Any]], restart: str,
         grace: int, scrape: bool) -> dict[str, Any]:
    volumes: list[dict[str, Any]] = [{"name": "data", "emptyDir": {"sizeLimit": "256Mi"}},
                                     {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}]
    if variant.settings.sasl_password_file is not None:
        # The SCRAM password (Strimzi's KafkaUser secret) and the cluster CA, as files: the
        # password never appears in an environment variable or a log.
        volumes.append({"name": "kafka-credentials", "projected": {"sources": [
            {"secret": {"name": "wirestream", "items": [{"key": "password", "path": "password"}]}},
            {"secret": {"name": "wirestream-kafka-cluster-ca-cert", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        ]}})
    metadata: dict[str, Any] = {"labels": _labels(component)}
    if scrape:
        metadata["annotations"] = {"prometheus.io/scrape": "true", "prometheus.io/port": str(WEB_PORT),
                                   "prometheus.io/path": "/metrics"}
    return {
        "metadata": metadata,
        "spec": {
            "restartPolicy": restart,
            "terminationGracePeriodSeconds": grace,
            "automountServiceAccountToken": False,
            "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": containers,
            "volumes": volumes,
        },
    }


def _deployment(variant: Variant, component: str, stages: str, replicas: int, resources: dict[str, Any]) -> dict[str, Any]:
    container = _container(variant, "worker", ["worker", "--stages", stages], resources, probes=True)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"wirestream-{component}", "labels": _labels(component)},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": _selector(component)},
            # One pod at a time: each start or stop is a rebalance of the whole group.
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": _pod(variant, component, [container], "Always", grace=45, scrape=True),
        },
    }


def _topics_job(variant: Variant) -> dict[str, Any]:
    container = _container(variant, "topics", ["topics"], {"requests": {"cpu": "50m", "memory": "96Mi"},
                                                           "limits": {"cpu": "500m", "memory": "256Mi"}}, probes=False)
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "wirestream-topics", "labels": _labels("topics")},
        "spec": {"backoffLimit": 6, "ttlSecondsAfterFinished": 3600,
                 "template": _pod(variant, "topics", [container], "OnFailure", grace=10, scrape=False)},
    }


def _config_map(variant: Variant) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "wirestream-settings", "labels": _labels("settings")},
            "data": environment(variant.settings)}


def _disruption_budget(component: str) -> dict[str, Any]:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": f"wirestream-{component}", "labels": _labels(component)},
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": _selector(component)}}}


def _metrics_service() -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "wirestream-metrics", "labels": _labels("metrics")},
            "spec": {"selector": {"app.kubernetes.io/name": APP},
                     "ports": [{"name": "http", "port": WEB_PORT, "targetPort": "http"}]}}


def _scaled_object(variant: Variant) -> dict[str, Any]:
    settings = variant.settings
    metadata: dict[str, str] = {"bootstrapServers": settings.kafka_bootstrap_servers,
                                "consumerGroup": settings.group_id, "topic": settings.topic_ingested,
                                "lagThreshold": str(LAG_THRESHOLD), "offsetResetPolicy": "earliest",
                                "allowIdleConsumers": "false"}
    trigger: dict[str, Any] = {"type": "kafka", "metadata": metadata}
    if variant.strimzi:
        metadata.update({"sasl": "scram_sha512", "tls": "enable"})
        trigger["authenticationRef"] = {"name": "wirestream-kafka"}
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": "wirestream-enrich", "labels": _labels("enrich")},
        "spec": {
            "scaleTargetRef": {"name": "wirestream-enrich"},
            "pollingInterval": 15,
            "cooldownPeriod": 300,
            "minReplicaCount": 1,
            "maxReplicaCount": settings.partitions,  # more would stand idle: one partition each at most
            "advanced": {"horizontalPodAutoscalerConfig": {"behavior": {
                "scaleDown": {"stabilizationWindowSeconds": SCALE_DOWN_STABILISATION_SECONDS,
                              "policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]},
                "scaleUp": {"stabilizationWindowSeconds": 0,
                            "policies": [{"type": "Pods", "value": 4, "periodSeconds": 60}]},
            }}},
            "triggers": [trigger],
        },
    }


def _trigger_authentication() -> dict[str, Any]:
    return {"apiVersion": "keda.sh/v1alpha1", "kind": "TriggerAuthentication",
            "metadata": {"name": "wirestream-kafka", "labels": _labels("enrich")},
            "spec": {"secretTargetRef": [
                {"parameter": "username", "name": "wirestream-keda", "key": "username"},
                {"parameter": "password", "name": "wirestream", "key": "password"},
                {"parameter": "ca", "name": "wirestream-kafka-cluster-ca-cert", "key": "ca.crt"},
            ]}}


def kafka_topic(spec: TopicSpec, settings: Settings) -> dict[str, Any]:
    """A Strimzi `KafkaTopic` for one topic of the catalogue, with its settings' partitions and config."""
    config: dict[str, Any] = {}
    for key, value in sorted(spec.config.items()):
        config[key] = int(value) if value.isdigit() else value
    return {
        "apiVersion": "kafka.strimzi.io/v1beta2",
        "kind": "KafkaTopic",
        "metadata": {"name": spec.name.replace("_", "-").replace(".", "-").lower(),
                     "labels": {"strimzi.io/cluster": "wirestream", **_labels("topics")}},
        "spec": {"topicName": spec.name, "partitions": spec.partitions, "replicas": settings.replication_factor,
                 "config": config},
    }


def render(variant: Variant) -> dict[str, list[dict[str, Any]]]:
    """File name → the resources it holds, for one variant."""
    settings = variant.settings
    workers = [
        _config_map(variant),
        _deployment(variant, "ingest", "ingest", 1, {"requests": {"cpu": "100m", "memory": "128Mi"},
                                                     "limits": {"cpu": "1", "memory": "256Mi"}}),
        _deployment(variant, "enrich", "enrich", 2, {"requests": {"cpu": "1", "memory": "640Mi"},
                                                     "limits": {"cpu": "1", "memory": "1Gi"}}),
        _disruption_budget("ingest"),
        _disruption_budget("enrich"),
        _metrics_service(),
    ]
    files: dict[str, list[dict[str, Any]]] = {"workers.yaml": workers}
    autoscaling = [_scaled_object(variant)] + ([_trigger_authentication()] if variant.strimzi else [])
    files["keda.yaml"] = autoscaling
    if variant.strimzi:
        catalogue = topic_catalogue(settings)
        files["topics.yaml"] = [kafka_topic(spec, settings) for spec in catalogue.all()]
    else:
        files["topics-job.yaml"] = [_topics_job(variant)]
    return files


def faust_leader_topics(settings: Settings) -> list[dict[str, Any]]:
    """Faust's assignor leader topic of each consumer group wirestream runs (`<group>-__assignor-__leader`,
    one partition): created by Faust itself when the topics are not owned by an operator."""
    common = {key: int(value) for key, value in topic_catalogue(settings).raw.config.items() if value.isdigit()}
    return [{
        "apiVersion": "kafka.strimzi.io/v1beta2",
        "kind": "KafkaTopic",
        "metadata": {"name": f"{group}-assignor-leader", "labels": {"strimzi.io/cluster": "wirestream",
                                                                    **_labels("topics")}},
        "spec": {"topicName": f"{group}-__assignor-__leader", "partitions": 1, "replicas": settings.replication_factor,
                 "config": dict(sorted(common.items()))},
    } for group in (settings.app_id, f"{settings.app_id}-ingest")]


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
    """Path under deploy/kubernetes → its text: every variant, and the dashboard."""
    import yaml  # a development dependency: only `make deploy` and the tests write or read these

    from wirestream.serialization import dumps_pretty

    header = ("# Generated by `make deploy` from services/wirestream/export/kubernetes.py, the settings and the topic "
              "catalogue; do not edit.\n")
    files: dict[str, str] = {}
    for variant in variants():
        for name, resources in render(variant).items():
            if name == "topics.yaml":
                resources = resources + faust_leader_topics(variant.settings)
            files[f"{variant.name}/{name}"] = header + yaml.safe_dump_all(resources, sort_keys=False, width=120)
    files["grafana-dashboard.json"] = dumps_pretty(grafana_dashboard())
    return files
