"""The topic catalogue: every topic wirestream uses, its message model, key and partitions.

No other module spells a topic name; they all ask this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from wirestream.contracts import (
    EnrichedArticle,
    IngestedArticle,
    RawArticle,
    Rejection,
    SeenId,
)
from wirestream.settings import Settings


@dataclass(frozen=True)
class TopicSpec:
    name: str
    model: type[BaseModel]
    key: str
    partitions: int
    description: str
    internal: bool = False
    config: dict[str, str] = field(default_factory=dict)  # topic-level Kafka settings at creation


SEEN_IDS_TABLE = "seen_ids"


@dataclass(frozen=True)
class TopicCatalogue:
    raw: TopicSpec
    ingested: TopicSpec
    seen_ids_changelog: TopicSpec
    enriched: TopicSpec
    rejected: TopicSpec

    def all(self) -> tuple[TopicSpec, ...]:
        return (self.raw, self.ingested, self.seen_ids_changelog, self.enriched, self.rejected)


def topic_catalogue(settings: Settings) -> TopicCatalogue:
    partitions = settings.partitions
    # Every topic carries the largest record a stage may write (see limits.py).
    common = {"max.message.bytes": str(settings.limits.record_bytes)}
    if settings.min_insync_replicas:
        common["min.insync.replicas"] = str(settings.min_insync_replicas)
    # The table of seen ids keeps two windows of `dedupe_retention`: compacted, older records deleted.
    changelog = {**common, "cleanup.policy": "compact,delete", "retention.ms": str(int(settings.dedupe_retention * 2000))}
    return TopicCatalogue(
        raw=TopicSpec(
            settings.topic_raw, RawArticle, "optional; not used for the id", partitions,
            "Articles to enrich: a RawArticle JSON object, or plain UTF-8 text.", config=common,
        ),
        ingested=TopicSpec(
            settings.topic_ingested, IngestedArticle, "article id", partitions,
            "Internal: validated, normalised articles waiting for enrichment, partitioned by id.", internal=True,
            config=common,
        ),
        # Faust names a table's changelog '<group>-<table>-changelog' (the enriching group is always app_id);
        # it must be co-partitioned with `ingested`.
        seen_ids_changelog=TopicSpec(
            f"{settings.app_id}-{SEEN_IDS_TABLE}-changelog", SeenId, "(article id, window)", partitions,
            "Internal: changelog of the table of article ids already enriched (duplicate removal).", internal=True,
            config=changelog,
        ),
        enriched=TopicSpec(
            settings.topic_enriched, EnrichedArticle, "article id", partitions,
            "Enriched articles, keyed by article id.", config=common,
        ),
        rejected=TopicSpec(
            settings.topic_rejected, Rejection, "the key that came in (if any)", partitions,
            "Messages that could not be enriched, with the reason and the original bytes.", config=common,
        ),
    )
