"""schemas/asyncapi.yaml: a valid AsyncAPI 3.0 document that matches the models and the topic catalogue."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from wirestream.export.asyncapi import build_asyncapi, render_asyncapi
from wirestream.export.json_schema import EXPORTED, SCHEMA_DIR
from wirestream.kafka.topics import topic_catalogue
from wirestream.settings import Settings

from tests.conftest import PROJECT

ASYNCAPI = SCHEMA_DIR / "asyncapi.yaml"


def _document() -> dict[str, Any]:
    return yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))


def test_the_file_is_what_the_code_generates() -> None:
    assert ASYNCAPI.read_text(encoding="utf-8") == render_asyncapi(), "schemas/asyncapi.yaml drifted: run `make schemas`"


def test_it_is_a_valid_asyncapi_3_document() -> None:
    from asyncapi3 import AsyncAPI3

    document = AsyncAPI3.model_validate(_document())
    assert document.asyncapi == "3.0.0"


def test_every_topic_is_a_channel_with_its_partitions_key_and_schema() -> None:
    document = _document()
    channels = {c["address"]: c for c in document["channels"].values()}
    catalogue = topic_catalogue(Settings())
    assert set(channels) == {spec.name for spec in catalogue.all()}
    for spec in catalogue.all():
        channel = channels[spec.name]
        assert channel["bindings"]["kafka"]["partitions"] == spec.partitions
        (reference,) = channel["messages"].values()
        message = document["components"]["messages"][reference["$ref"].rsplit("/", 1)[1]]
        schema_file = message["payload"]["$ref"].removeprefix("./")
        assert EXPORTED[schema_file] is spec.model
        assert (SCHEMA_DIR / schema_file).is_file()
        assert message["bindings"]["kafka"]["key"]["description"] == spec.key


def test_every_channel_has_a_sender_and_a_receiver() -> None:
    document = _document()
    for channel_id in document["channels"]:
        actions = {op["action"] for op in document["operations"].values() if op["channel"]["$ref"] == f"#/channels/{channel_id}"}
        assert actions == {"send", "receive"}, channel_id


@pytest.mark.parametrize("reference", ["#/channels/", "#/components/messages/"])
def test_every_internal_reference_resolves(reference: str) -> None:
    document = _document()
    text = yaml.safe_dump(document)
    for line in text.splitlines():
        if reference in line:
            target: Any = document
            for part in line.split("'#/", 1)[1].rstrip("'").split("/"):
                target = target[part]
            assert target


def test_the_readme_points_downstream_teams_at_the_contract() -> None:
    assert "schemas/asyncapi.yaml" in (PROJECT / "README.md").read_text(encoding="utf-8")
    assert build_asyncapi()["info"]["title"] == "wirestream"
