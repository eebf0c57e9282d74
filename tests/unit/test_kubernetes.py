"""deploy/kubernetes: generated from the code (a drift test, like the schemas'), valid against the
Kubernetes schemas (kubernetes-validate, offline), KEDA's own validators (npm) and Strimzi's
KafkaTopic fields, and every command, flag and WIRESTREAM_* variable in it exists with a valid value."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from wirestream.export.helm_render import TemplateError, render_chart
from wirestream.export.kubernetes import (
    CHART,
    ENRICH_ARTICLES_PER_SECOND,
    LAG_THRESHOLD,
    PASSWORD_DIR,
    faust_leader_topics,
    kafka_topic,
    rendered_files,
    variants,
)
from wirestream.kafka.topics import topic_catalogue
from wirestream.settings import Settings

from tests.conftest import PROJECT

DEPLOY = PROJECT / "deploy" / "kubernetes"
CHECKS = PROJECT / "tests" / "deploy"
CRDS = {"keda.sh/v1alpha1", "kafka.strimzi.io/v1beta2"}


def resources(variant: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted((DEPLOY / variant).glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    return found


def by_kind(variant: str, kind: str) -> list[dict[str, Any]]:
    return [r for r in resources(variant) if r["kind"] == kind]


def test_the_files_are_the_chart_rendered() -> None:
    expected = rendered_files()
    on_disk = {str(p.relative_to(DEPLOY)): p.read_text(encoding="utf-8") for p in DEPLOY.rglob("*") if p.is_file()}
    assert set(on_disk) == set(expected), "run `make deploy`"
    drifted = [name for name, text in expected.items() if on_disk[name] != text]
    assert not drifted, f"deploy/kubernetes drifted from the chart ({drifted}): run `make deploy`"


@pytest.mark.parametrize("version", ["1.28.0", "latest"], ids=["Kubernetes 1.28", "the current release"])
@pytest.mark.parametrize("variant", ["plain", "strimzi"])
def test_every_kubernetes_resource_validates_against_the_kubernetes_schemas(variant: str, version: str) -> None:
    import kubernetes_validate

    version = kubernetes_validate.latest_version() if version == "latest" else version
    checked = 0
    for resource in resources(variant):
        if resource["apiVersion"] in CRDS:
            continue
        kubernetes_validate.validate(resource, version, strict=True)  # raises on any unknown or wrong field
        checked += 1
    assert checked >= 9


def test_the_validator_would_catch_a_wrong_field() -> None:
    import kubernetes_validate

    [deployment, *_] = by_kind("plain", "Deployment")
    broken = json.loads(json.dumps(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["port"] = {"no": 1}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


@pytest.fixture(scope="session")
def keda_validator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """KEDA's validators from npm, installed once per session (the registry is reachable; no network
    at validation time)."""
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are needed for KEDA's validators (npm @kubernetes-models/keda): install Node.js")
    folder = tmp_path_factory.mktemp("keda")
    shutil.copy(CHECKS / "package.json", folder / "package.json")
    shutil.copy(CHECKS / "validate_keda.mjs", folder / "validate_keda.mjs")
    installed = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=folder,
                               capture_output=True, text=True, timeout=600, env={**os.environ})
    if installed.returncode != 0:
        pytest.skip(f"npm could not install @kubernetes-models/keda: {installed.stderr.strip()[-300:]}")
    return folder


def _keda(folder: Path, documents: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", "validate_keda.mjs"], cwd=folder, input=json.dumps(documents), capture_output=True,
                          text=True, timeout=60)


@pytest.mark.parametrize("variant", ["plain", "strimzi"])
def test_keda_resources_validate_with_kedas_own_validators(keda_validator: Path, variant: str) -> None:
    documents = [r for r in resources(variant) if r["apiVersion"] == "keda.sh/v1alpha1"]
    result = _keda(keda_validator, documents)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == len(documents) >= 1
    broken = json.loads(json.dumps(documents[0]))
    broken["spec"]["maxReplicaCount"] = "twelve"
    assert _keda(keda_validator, [broken]).returncode == 1


# The KafkaTopic fields we use, from Strimzi's documented CRD (kafka.strimzi.io/v1beta2, KafkaTopic):
# spec.partitions and spec.replicas are integers >= 1 (replicas at most 32767), spec.config an
# object of topic-level settings, spec.topicName the Kafka name when metadata.name cannot be it;
# metadata.labels["strimzi.io/cluster"] names the Kafka cluster whose Topic Operator owns it.
KAFKA_TOPIC_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "kafka.strimzi.io/v1beta2"},
        "kind": {"const": "KafkaTopic"},
        "metadata": {"type": "object", "required": ["name", "labels"], "properties": {
            "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                     "maxLength": 253},
            "labels": {"type": "object", "required": ["strimzi.io/cluster"],
                       "additionalProperties": {"type": "string"}}}},
        "spec": {"type": "object", "additionalProperties": False, "required": ["partitions", "replicas"], "properties": {
            "topicName": {"type": "string", "pattern": r"^[a-zA-Z0-9._-]{1,249}$"},
            "partitions": {"type": "integer", "minimum": 1},
            "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
            "config": {"type": "object", "additionalProperties": {"type": ["string", "integer", "number", "boolean"]}}}},
    },
}


def test_strimzi_topics_are_every_topic_of_the_catalogue_and_fausts_leaders_with_their_settings() -> None:
    import jsonschema

    topics = by_kind("strimzi", "KafkaTopic")
    for topic in topics:
        jsonschema.validate(topic, KAFKA_TOPIC_SCHEMA)
    variant = next(v for v in variants() if v.name == "strimzi")
    settings = variant.settings
    catalogue = topic_catalogue(settings)
    named = {t["spec"]["topicName"]: t["spec"] for t in topics}
    for spec in catalogue.all():
        assert named[spec.name]["partitions"] == spec.partitions
        assert named[spec.name]["replicas"] == settings.replication_factor == 3
        assert {k: str(v) for k, v in named[spec.name]["config"].items()} == spec.config
    assert named["wirestream-stories-changelog"]["config"]["cleanup.policy"] == "compact,delete"
    assert named["wirestream.stories"]["partitions"] == 1
    assert {"wirestream-__assignor-__leader", "wirestream-ingest-__assignor-__leader",
            "wirestream-stories-__assignor-__leader"} <= set(named)
    assert len(topics) == len(catalogue.all()) + 3
    # The chart's list is the catalogue's, for the settings the chart gives the workers.
    listed = yaml.safe_load((CHART / "values-strimzi.yaml").read_text(encoding="utf-8"))["strimzi"]["topics"]
    assert listed == [kafka_topic(spec, settings) for spec in catalogue.all()] + faust_leader_topics(settings)
    # One owner of topics per deployment: the Topic Operator here, the Job without Strimzi.
    assert not by_kind("strimzi", "Job") and by_kind("plain", "Job")[0]["spec"]["template"]["spec"][
        "containers"][0]["args"] == ["topics"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**topics[0], "spec": {**topics[0]["spec"], "partitions": 0}}, KAFKA_TOPIC_SCHEMA)


@pytest.mark.parametrize("variant", ["plain", "strimzi"])
def test_every_command_flag_and_variable_exists_with_a_valid_value(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from wirestream.cli.main import build_parser

    [config] = by_kind(variant, "ConfigMap")
    fields = {f"WIRESTREAM_{name.upper()}" for name in Settings.model_fields}
    assert set(config["data"]) <= fields
    for name in list(os.environ):
        if name.startswith("WIRESTREAM_"):
            monkeypatch.delenv(name)
    for name, value in config["data"].items():
        monkeypatch.setenv(name, value)
    Settings()  # every value valid (raises otherwise)
    parser = build_parser()
    for workload in by_kind(variant, "Deployment") + by_kind(variant, "Job"):
        for container in workload["spec"]["template"]["spec"]["containers"]:
            parser.parse_args(container["args"])  # exits on an unknown command or flag
            for env in container.get("env", []):
                assert env["name"] in fields


@pytest.mark.parametrize("variant", ["plain", "strimzi"])
def test_workers_are_locked_down_probed_sized_and_scaled_as_measured(variant: str) -> None:
    settings = next(v for v in variants() if v.name == variant).settings
    deployments = {d["metadata"]["name"]: d for d in by_kind(variant, "Deployment")}
    assert set(deployments) == {"wirestream-ingest", "wirestream-stories", "wirestream-enrich", "wirestream-web"}
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["image"] == "registry.example.com/wirestream/wirestream:0.1.0"
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert "emptyDir" in next(v for v in pod["volumes"] if v["name"] == mounts[container["workingDir"]])
        # The start-up probe covers start-up: liveness does not wait on its own as well.
        assert "initialDelaySeconds" not in container["livenessProbe"] and container["startupProbe"]
        assert container["resources"]["limits"]["memory"]
        assert deployment["metadata"]["namespace"] == "wirestream"
        if variant == "strimzi":
            assert PASSWORD_DIR in mounts and str(settings.sasl_password_file).startswith(PASSWORD_DIR)
    for name in ("wirestream-ingest", "wirestream-stories", "wirestream-enrich"):
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == ["worker", "--stages", name.removeprefix("wirestream-")]  # one stage each
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert deployments[name]["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"] == "true"
    # KEDA owns the enrich workers' count: a `replicas` there would fight it on every apply.
    assert "replicas" not in deployments["wirestream-enrich"]["spec"]
    assert deployments["wirestream-ingest"]["spec"]["replicas"] == 1
    assert deployments["wirestream-stories"]["spec"]["replicas"] == 1  # its topic has one partition
    web = deployments["wirestream-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["args"] == ["web"] and {e["name"]: e["value"] for e in web["env"]}["WIRESTREAM_UI_HOST"] == "0.0.0.0"
    [service] = [s for s in by_kind(variant, "Service") if s["metadata"]["name"] == "wirestream-web"]
    assert service["spec"]["ports"][0]["port"] == 8080
    assert {p["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
            for p in by_kind(variant, "PodDisruptionBudget")} == {"ingest", "stories", "enrich"}
    assert by_kind(variant, "Namespace")[0]["metadata"]["name"] == "wirestream"
    assert not by_kind(variant, "ServiceMonitor")  # off by default
    [scaled] = by_kind(variant, "ScaledObject")
    trigger = scaled["spec"]["triggers"][0]["metadata"]
    assert scaled["spec"]["scaleTargetRef"]["name"] == "wirestream-enrich"
    assert scaled["spec"]["minReplicaCount"] == 1 and scaled["spec"]["maxReplicaCount"] <= settings.partitions
    assert (trigger["topic"], trigger["consumerGroup"]) == (settings.topic_ingested, settings.group_id)
    assert int(trigger["lagThreshold"]) == LAG_THRESHOLD == ENRICH_ARTICLES_PER_SECOND * 60
    behavior = scaled["spec"]["advanced"]["horizontalPodAutoscalerConfig"]["behavior"]
    assert behavior["scaleDown"]["stabilizationWindowSeconds"] >= 300


# The ServiceMonitor fields we use, from the Prometheus Operator's CRD (monitoring.coreos.com/v1).
SERVICE_MONITOR_SCHEMA = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "monitoring.coreos.com/v1"}, "kind": {"const": "ServiceMonitor"},
        "spec": {"type": "object", "additionalProperties": False, "required": ["selector", "endpoints"], "properties": {
            "selector": {"type": "object", "properties": {"matchLabels": {
                "type": "object", "additionalProperties": {"type": "string"}}}},
            "namespaceSelector": {"type": "object", "properties": {"matchNames": {"type": "array",
                                                                                  "items": {"type": "string"}}}},
            "endpoints": {"type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": False, "properties": {
                    "port": {"type": "string"}, "path": {"type": "string"},
                    "interval": {"type": "string", "pattern": r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?"
                                                                r"(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"}}}}}},
    },
}


def test_the_chart_takes_its_settings_from_values_not_from_code() -> None:
    """What a platform team changes is a value: the image, the Kafka address, sizes, KEDA, the
    monitor; every rendering still validates."""
    import jsonschema
    import kubernetes_validate

    overlay = {
        "image": {"registry": "harbor.internal", "repository": "news/wirestream", "tag": "0.1.1", "pullPolicy": "Always"},
        "namespace": {"name": "newsroom", "create": False},
        "kafka": {"bootstrapServers": "kafka-0.kafka:9092,kafka-1.kafka:9092"},
        "enrich": {"resources": {"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
                   "keda": {"enabled": False}, "replicas": 4},
        "web": {"enabled": False},
        "metrics": {"serviceMonitor": {"enabled": True, "interval": "15s", "labels": {"release": "prometheus"}}},
    }
    rendered = render_chart(CHART, overlay)
    kinds = {r["kind"] for r in rendered}
    assert "Namespace" not in kinds and "ScaledObject" not in kinds
    assert all(r["metadata"].get("namespace") == "newsroom" for r in rendered)
    enrich = next(r for r in rendered if r["metadata"]["name"] == "wirestream-enrich")
    [container] = enrich["spec"]["template"]["spec"]["containers"]
    assert enrich["spec"]["replicas"] == 4 and container["resources"]["limits"]["memory"] == "2Gi"
    assert (container["image"], container["imagePullPolicy"]) == ("harbor.internal/news/wirestream:0.1.1", "Always")
    [config] = [r for r in rendered if r["kind"] == "ConfigMap"]
    assert config["data"]["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"] == "kafka-0.kafka:9092,kafka-1.kafka:9092"
    [monitor] = [r for r in rendered if r["kind"] == "ServiceMonitor"]
    jsonschema.validate(monitor, SERVICE_MONITOR_SCHEMA)
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    [service] = [r for r in rendered if r["kind"] == "Service" and r["metadata"]["name"] == "wirestream-metrics"]
    assert all(service["metadata"]["labels"][k] == v for k, v in monitor["spec"]["selector"]["matchLabels"].items())
    for resource in rendered:
        if resource["apiVersion"] not in CRDS | {"monitoring.coreos.com/v1"}:
            kubernetes_validate.validate(resource, "1.28.0", strict=True)


def test_without_an_ingest_or_stories_deployment_the_enrich_workers_ingest_and_no_story_is_assigned() -> None:
    rendered = render_chart(CHART, {"image": {"registry": "r.example"}, "ingest": {"enabled": False},
                                    "stories": {"enabled": False}})
    deployments = {r["metadata"]["name"]: r for r in rendered if r["kind"] == "Deployment"}
    assert set(deployments) == {"wirestream-enrich", "wirestream-web"}
    [container] = deployments["wirestream-enrich"]["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["worker", "--stages", "ingest,enrich"]
    [config] = [r for r in rendered if r["kind"] == "ConfigMap"]
    assert config["data"]["WIRESTREAM_STORIES"] == "false"


def test_the_chart_refuses_to_render_without_a_registry() -> None:
    with pytest.raises(TemplateError, match="set image.registry"):
        render_chart(CHART)


def test_the_dashboard_charts_only_metrics_the_workers_export() -> None:
    from wirestream.worker.metrics import Metrics

    exported = Metrics().exposition().decode()
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    import re

    for panel in dashboard["panels"]:
        for name in re.findall(r"wirestream_[a-z_]+", panel["targets"][0]["expr"]):
            base = re.sub(r"_(bucket|sum|count)$", "", name)
            assert base in exported or base.removesuffix("_total") in exported, f"{name} is not exported"
