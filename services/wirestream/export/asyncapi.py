"""The AsyncAPI 3.0 contract of wirestream's topics, generated from the topic catalogue and models.

Every topic is a channel (its address, partitions, replication and key); every message points at
the JSON Schema exported from its model; operations say who sends and who receives. The file
`schemas/asyncapi.yaml` is written by `make schemas`; a test fails when it drifts.
"""

from __future__ import annotations

from typing import Any

from wirestream import PIPELINE_VERSION
from wirestream.export.json_schema import schema_file
from wirestream.kafka.topics import TopicSpec, topic_catalogue
from wirestream.settings import Settings

KAFKA_BINDING = "0.5.0"
ASYNCAPI_FILE = "asyncapi.yaml"

# Who sends to and who receives from each topic, by catalogue field: (operation id, action, party).
PARTIES: dict[str, list[tuple[str, str, str]]] = {
    "raw": [("publishRawArticles", "send", "Publishers: `wirestream publish`, or any Kafka producer."),
            ("ingestRawArticles", "receive", "wirestream workers running the ingest stage.")],
    "stories": [("sendArticlesForStories", "send", "wirestream ingest stage, when stories are assigned."),
                ("assignStories", "receive", "The wirestream worker holding the stories partition.")],
    "stories_changelog": [("recordStories", "send", "wirestream stories stage (Faust table changelog)."),
                          ("recoverStories", "receive", "The wirestream worker taking the stories partition.")],
    "ingested": [("sendIngestedArticles", "send",
                  "wirestream stories stage (or ingest, without stories), keyed by article id."),
                 ("enrichIngestedArticles", "receive", "wirestream workers running the enrich stage.")],
    "seen_ids_changelog": [("recordSeenIds", "send", "wirestream enrich stage (Faust table changelog)."),
                           ("recoverSeenIds", "receive", "wirestream enrich workers, on start and rebalance.")],
    "enriched": [("sendEnrichedArticles", "send", "wirestream enrich stage, keyed by article id."),
                 ("consumeEnrichedArticles", "receive", "Downstream consumers: `wirestream subscribe`, your services.")],
    "rejected": [("sendRejections", "send", "Every wirestream stage, for input it cannot enrich."),
                 ("consumeRejections", "receive", "Publishers and operators who fix and re-publish input.")],
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _channel(field: str, spec: TopicSpec, settings: Settings) -> dict[str, Any]:
    message = spec.model.__name__
    topic_configuration: dict[str, Any] = {}
    if "cleanup.policy" in spec.config:
        topic_configuration["cleanup.policy"] = spec.config["cleanup.policy"].split(",")
    if "retention.ms" in spec.config:
        topic_configuration["retention.ms"] = int(spec.config["retention.ms"])
    if "max.message.bytes" in spec.config:
        topic_configuration["max.message.bytes"] = int(spec.config["max.message.bytes"])
    binding: dict[str, Any] = {"topic": spec.name, "partitions": spec.partitions,
                               "replicas": settings.replication_factor, "bindingVersion": KAFKA_BINDING}
    if topic_configuration:
        binding["topicConfiguration"] = topic_configuration
    return {
        "address": spec.name,
        "title": spec.name,
        "description": spec.description + (" Internal to wirestream: not a public contract." if spec.internal else ""),
        "messages": {_camel(message[0].lower() + message[1:]): {"$ref": f"#/components/messages/{message}"}},
        "bindings": {"kafka": binding},
    }


def build_asyncapi(settings: Settings | None = None) -> dict[str, Any]:
    """The AsyncAPI document as a dict, for the default settings (topic names, partitions)."""
    settings = settings or Settings()
    catalogue = topic_catalogue(settings)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for field, parties in PARTIES.items():
        spec: TopicSpec = getattr(catalogue, field)
        channel_id = _camel(field)
        channels[channel_id] = _channel(field, spec, settings)
        message = spec.model.__name__
        messages[message] = {
            "name": message,
            "title": message,
            "summary": (spec.model.__doc__ or message).strip().splitlines()[0],
            "contentType": "application/json",
            "payload": {"$ref": f"./{schema_file(spec.model)}"},
            "bindings": {"kafka": {"key": {"type": "string", "description": spec.key},
                                   "bindingVersion": KAFKA_BINDING}},
        }
        for operation_id, action, party in parties:
            operations[operation_id] = {
                "action": action,
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "summary": party,
                "messages": [{"$ref": f"#/channels/{channel_id}/messages/{next(iter(channels[channel_id]['messages']))}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "wirestream",
            "version": PIPELINE_VERSION,
            "description": "Enriches a live stream of news articles with language, dateline and named entities. "
                           "Topic names and partition counts are the defaults; both are settings "
                           "(WIRESTREAM_TOPIC_*, WIRESTREAM_PARTITIONS).",
        },
        "defaultContentType": "application/json",
        "servers": {
            "embedded": {"host": "127.0.0.1:9092", "protocol": "kafka",
                         "description": "The embedded broker of `wirestream run` / `wirestream broker` (Tansu, in memory)."},
            "compose": {"host": "localhost:29092", "protocol": "kafka",
                        "description": "Apache Kafka from docker-compose.yml, from the host."},
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def render_asyncapi() -> str:
    import yaml  # a development dependency: only `make schemas` and the tests write or read the file

    header = ("# Generated by `make schemas` from services/wirestream/kafka/topics.py and "
              "services/wirestream/contracts/; do not edit.\n")
    body: str = yaml.safe_dump(build_asyncapi(), sort_keys=False, allow_unicode=True, width=110)
    return header + body
