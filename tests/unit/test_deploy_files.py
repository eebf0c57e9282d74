"""docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so they are
checked against the code: commands that exist, settings that are read, no run-time downloads."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT
from wirestream.cli import build_parser
from wirestream.settings import Settings

COMPOSE = PROJECT / "docker-compose.yml"
DOCKERFILE = PROJECT / "Dockerfile"


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _cli_commands() -> set[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(subparsers.choices)  # type: ignore[attr-defined]


def _settings_env_names() -> set[str]:
    return {f"WIRESTREAM_{name.upper()}" for name in Settings.model_fields}


def _wirestream_services() -> dict[str, dict[str, Any]]:
    return {name: svc for name, svc in _compose()["services"].items() if str(svc.get("image", "")).startswith("wirestream")}


def test_every_wirestream_service_runs_a_command_that_exists() -> None:
    services = _wirestream_services()
    assert {"topics", "worker"} <= set(services)
    for name, service in services.items():
        command = service.get("command") or ["worker"]
        assert command[0] in _cli_commands(), f"service {name} runs 'wirestream {command[0]}', which does not exist"


def test_every_wirestream_variable_in_compose_is_a_setting() -> None:
    names = set(re.findall(r"\bWIRESTREAM_[A-Z0-9_]+", COMPOSE.read_text(encoding="utf-8")))
    names -= {"WIRESTREAM_VERSION"}  # the image tag, read by compose itself
    unknown = names - _settings_env_names()
    assert not unknown, f"compose sets variables no setting reads: {sorted(unknown)}"


def test_compose_environment_values_are_valid_settings() -> None:
    for service in _wirestream_services().values():
        env = {k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(v)) for k, v in service["environment"].items()}
        fields = {k.removeprefix("WIRESTREAM_").lower(): v for k, v in env.items()}
        Settings(**fields)  # raises if a value does not fit its setting


def test_workers_reach_kafka_by_its_service_name_and_listener() -> None:
    compose = _compose()
    kafka = compose["services"]["kafka"]
    bootstrap = _wirestream_services()["worker"]["environment"]["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"]
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
    from wirestream.app import app

    assert f"/{healthcheck.group(1)}" in app.web.views, "the HEALTHCHECK asks for a route the worker does not serve"
    cmd = re.search(r'^CMD \["(\w+)"\]', text, re.MULTILINE)
    assert cmd is not None and cmd.group(1) in _cli_commands()


@pytest.mark.parametrize("download", ["spacy download", "spacy.cli.download", 'model="full"', 'model="auto"', "wget ", "curl "])
def test_no_model_is_downloaded_at_run_time(download: str) -> None:
    assert download not in DOCKERFILE.read_text(encoding="utf-8")
    for path in (PROJECT / "services").glob("*.py"):
        assert download not in path.read_text(encoding="utf-8"), path


def test_image_checks_the_models_load_at_build_time() -> None:
    assert "make_enrichers(Settings())" in DOCKERFILE.read_text(encoding="utf-8")
