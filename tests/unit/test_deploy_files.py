"""docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so they are
checked against the code: commands that exist, settings that are read, no run-time downloads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from wirestream.cli.main import build_parser
from wirestream.settings import Settings

from tests.conftest import PROJECT

COMPOSE = PROJECT / "docker-compose.yml"
CLUSTER = PROJECT / "docker-compose.cluster.yml"
DOCKERFILE = PROJECT / "Dockerfile"


def _compose(path: Path = COMPOSE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _merged() -> dict[str, Any]:
    """The main file with the three-broker file layered on, as `docker compose -f a -f b` merges them."""
    merged = _compose()
    for name, override in _compose(CLUSTER)["services"].items():
        service = merged["services"].setdefault(name, {})
        for key, value in override.items():
            if isinstance(value, dict) and isinstance(service.get(key), dict):
                service[key] = {**service[key], **value}
            else:
                service[key] = value
    return merged


def _cli_commands() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(subparsers.choices)  # type: ignore[attr-defined]


def _settings_env_names() -> set[str]:
    return {f"WIRESTREAM_{name.upper()}" for name in Settings.model_fields}


def _wirestream_services(compose: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    services = (compose or _compose())["services"]
    return {name: svc for name, svc in services.items() if str(svc.get("image", "")).startswith("wirestream")}


def _settings_of(service: dict[str, Any]) -> Settings:
    env = {k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(v)) for k, v in service["environment"].items()}
    return Settings(**{k.removeprefix("WIRESTREAM_").lower(): v for k, v in env.items()})  # raises on a bad value


def test_every_wirestream_service_runs_a_command_that_exists_with_flags_that_exist() -> None:
    services = _wirestream_services()
    assert {"topics", "ingest", "stories", "enrich"} <= set(services)
    for name, service in services.items():
        command = service.get("command") or ["worker"]
        assert command[0] in _cli_commands(), f"service {name} runs 'wirestream {command[0]}', which does not exist"
        build_parser().parse_args(command)  # exits (SystemExit) on a flag the CLI does not have


def test_ingest_stories_and_enrich_services_run_one_stage_each_so_ner_scales_alone() -> None:
    services = _wirestream_services()
    names = ("ingest", "stories", "enrich")
    stages = {name: build_parser().parse_args(services[name]["command"]).stages for name in names}
    assert stages == {name: name for name in names}
    for name in names:  # values the settings accept, each its own stage
        assert Settings(stages=name).stage_set == (name,)


@pytest.mark.parametrize("path", [COMPOSE, CLUSTER], ids=["main file", "three-broker file"])
def test_every_wirestream_variable_in_compose_is_a_setting(path: Path) -> None:
    names = set(re.findall(r"\bWIRESTREAM_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    names -= {"WIRESTREAM_VERSION"}  # the image tag, read by compose itself
    unknown = names - _settings_env_names()
    assert not unknown, f"compose sets variables no setting reads: {sorted(unknown)}"


@pytest.mark.parametrize("merged", [False, True], ids=["one broker", "three brokers"])
def test_compose_environment_values_are_valid_settings(merged: bool) -> None:
    for service in _wirestream_services(_merged() if merged else None).values():
        _settings_of(service)


def test_topics_get_twelve_partitions_and_replication_factor_one_by_default() -> None:
    settings = _settings_of(_wirestream_services()["topics"])
    assert settings.partitions == 12 and settings.replication_factor == 1 and settings.min_insync_replicas is None


def test_three_broker_variant_replicates_three_times_and_needs_two_in_sync() -> None:
    merged = _merged()
    brokers = {name: svc for name, svc in merged["services"].items() if str(svc.get("image", "")).startswith("apache/kafka")}
    assert len(brokers) == 3
    envs = [svc["environment"] for svc in brokers.values()]
    assert len({env["KAFKA_NODE_ID"] for env in envs}) == 3
    assert len({env["CLUSTER_ID"] for env in envs}) == 1
    voters = {env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for env in envs}
    assert len(voters) == 1 and len(voters.pop().split(",")) == 3
    assert all(int(env["KAFKA_MIN_INSYNC_REPLICAS"]) == 2 and int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == 3
               for env in envs)
    for name, service in _wirestream_services(merged).items():
        settings = _settings_of(service)
        assert settings.replication_factor == 3 and settings.min_insync_replicas == 2, name
        assert len(settings.kafka_bootstrap_servers.split(",")) == 3, name
        advertised = {env["KAFKA_ADVERTISED_LISTENERS"].split(",")[0].removeprefix("PLAINTEXT://") for env in envs}
        assert set(settings.kafka_bootstrap_servers.split(",")) == advertised, name


def test_topic_settings_reach_the_topics_created() -> None:
    from wirestream.kafka.topics import topic_catalogue

    catalogue = topic_catalogue(Settings(replication_factor=3, min_insync_replicas=2, dedupe_retention=3600))
    assert all(spec.config["min.insync.replicas"] == "2" for spec in catalogue.all())
    assert catalogue.seen_ids_changelog.config["cleanup.policy"] == "compact,delete"
    assert catalogue.seen_ids_changelog.config["retention.ms"] == str(2 * 3600 * 1000)


@pytest.mark.parametrize("path", [COMPOSE, CLUSTER], ids=["main file", "three-broker file"])
def test_every_topic_named_in_compose_is_one_the_code_uses(path: Path) -> None:
    from wirestream.kafka.topics import topic_catalogue

    known = {spec.name for spec in topic_catalogue(Settings()).all()}
    # Topic-shaped words: 'articles.x', 'wirestream.x', '<app id>-...-changelog' (not YAML anchors or file names).
    named = set(re.findall(r"\b(?:articles|wirestream)\.[\w.-]+|\bwirestream-[\w-]+-changelog\b",
                           path.read_text(encoding="utf-8")))
    named = {n for n in named if not n.endswith((".yml", ".dev"))}
    assert named <= known, f"{path.name} names topics the code does not use: {sorted(named - known)}"


def test_workers_reach_kafka_by_its_service_name_and_listener() -> None:
    compose = _compose()
    kafka = compose["services"]["kafka"]
    bootstrap = _wirestream_services()["enrich"]["environment"]["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"]
    assert f"PLAINTEXT://{bootstrap}" in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"]
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]  # KRaft, no ZooKeeper


def test_images_are_pinned() -> None:
    for name, service in _compose()["services"].items():
        image = str(service.get("image", ""))
        assert ":" in image and not image.endswith(":latest"), f"{name} uses an unpinned image {image!r}"


def test_dockerfile_is_multi_stage_non_root_with_a_healthcheck_on_a_real_route() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert len(re.findall(r"^FROM ", text, re.MULTILINE)) >= 2
    assert re.search(r"^USER (?!root)\w+", text, re.MULTILINE)
    healthcheck = re.search(r"^HEALTHCHECK .*?/(\w+)'", text, re.MULTILINE | re.DOTALL)
    assert healthcheck is not None
    from wirestream.worker.app import build_app

    app = build_app(Settings(stages="ingest"), None).app  # every worker serves the same pages
    assert f"/{healthcheck.group(1)}" in app.web.views, "the HEALTHCHECK asks for a route the worker does not serve"
    cmd = re.search(r'^CMD \["(\w+)"\]', text, re.MULTILINE)
    assert cmd is not None and cmd.group(1) in _cli_commands()


@pytest.mark.parametrize("download", ["spacy download", "spacy.cli.download", 'model="full"', 'model="auto"', "wget ", "curl "])
def test_no_model_is_downloaded_at_run_time(download: str) -> None:
    assert download not in DOCKERFILE.read_text(encoding="utf-8")
    for path in (PROJECT / "services").rglob("*.py"):
        assert download not in path.read_text(encoding="utf-8"), path


def test_image_checks_the_models_load_at_build_time() -> None:
    assert "make_enrichers(Settings())" in DOCKERFILE.read_text(encoding="utf-8")


def test_the_image_carries_the_gazetteer_index_it_builds() -> None:
    # Built at image build time into a folder the final stage copies, and read from there at run time.
    text = DOCKERFILE.read_text(encoding="utf-8")
    build, final = text.split("\nFROM ${PYTHON_IMAGE}\n")
    assert "WIRESTREAM_CACHE_DIR=/opt/wirestream/cache" in build and "make_enrichers(Settings())" in build
    assert "WIRESTREAM_CACHE_DIR=/opt/wirestream/cache" in final and "COPY --from=build /opt/wirestream" in final


def test_one_apache_kafka_version_runs_in_the_tests_compose_and_the_makefile() -> None:
    """The Kafka tier's broker (deploy/kafka/pom.xml, `make kafka`, wirestream/kafka/kraft.py) is the
    broker compose deploys: a user's cluster runs what the guarantees were shown on."""
    from wirestream.kafka.kraft import KAFKA_VERSION

    pom = (PROJECT / "deploy" / "kafka" / "pom.xml").read_text(encoding="utf-8")
    assert f"<kafka.version>{KAFKA_VERSION}</kafka.version>" in pom
    assert f"KAFKA_VERSION := {KAFKA_VERSION}" in (PROJECT / "Makefile").read_text(encoding="utf-8")
    images = {str(service.get("image")) for path in (COMPOSE, CLUSTER) for service in _compose(path)["services"].values()
              if "apache/kafka" in str(service.get("image", ""))}
    images.add(_compose(CLUSTER)["x-kafka-node"]["image"])
    assert images == {f"apache/kafka:{KAFKA_VERSION}"}
