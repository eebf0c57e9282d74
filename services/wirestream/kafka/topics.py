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
    StoryRecord,
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
STORIES_TABLE = "stories"
INGESTED_KEY = "article id (on wirestream.ingested, a near-identical copy is keyed by its original's id)"


@dataclass(frozen=True)
class TopicCatalogue:
    raw: TopicSpec
    stories: TopicSpec
    stories_changelog: TopicSpec
    ingested: TopicSpec
    seen_ids_changelog: TopicSpec
    enriched: TopicSpec
    rejected: TopicSpec

    def all(self) -> tuple[TopicSpec, ...]:
        return (self.raw, self.stories, self.stories_changelog, self.ingested, self.seen_ids_changelog,
                self.enriched, self.rejected)

    @property
    def changelogs(self) -> tuple[TopicSpec, ...]:
        """The tables' changelogs: read at recovery, never consumed by a group."""
        return (self.stories_changelog, self.seen_ids_changelog)

    def after_ingest(self, settings: Settings) -> TopicSpec:
        """Where ingest writes: to the stories stage when stories are assigned, else straight to enrich."""
        return self.stories if settings.stories else self.ingested


def topic_catalogue(settings: Settings) -> TopicCatalogue:
    partitions = settings.partitions
    # Every topic carries the largest record a stage may write (see limits.py).
    common = {"max.message.bytes": str(settings.limits.record_bytes)}
    if settings.min_insync_replicas:
        common["min.insync.replicas"] = str(settings.min_insync_replicas)
    # The table of enriched ids: each record lives a window (then a tombstone); two windows of
    # retention keep every live record, compacted.
    changelog = {**common, "cleanup.policy": "compact,delete", "retention.ms": str(int(settings.dedupe_retention * 2000))}
    # The stories table: an article's record lives for the window (then a tombstone); a story's is
    # rewritten whenever an article joins it. Two windows of retention keep every live record.
    stories_changelog = {**common, "cleanup.policy": "compact,delete",
                         "retention.ms": str(int(settings.story_window * 2000))}
    return TopicCatalogue(
        raw=TopicSpec(
            settings.topic_raw, RawArticle, "optional; not used for the id", partitions,
            "Articles to enrich: a RawArticle JSON object, or plain UTF-8 text.", config=common,
        ),
        # One partition, so that every article meets every earlier one: the stage's code does
        # ~1,800 articles/s on one core, two orders of magnitude above worldwide news (README, Stories).
        stories=TopicSpec(
            settings.topic_stories, IngestedArticle, INGESTED_KEY, 1,
            "Internal: validated, normalised articles waiting for their story (one partition).", internal=True,
            config=common,
        ),
        stories_changelog=TopicSpec(
            f"{settings.app_id}-{STORIES_TABLE}-changelog", StoryRecord, "'a:' + article id, or 's:' + story id",
            1, "Internal: changelog of the stories table: the fingerprint and story of each article in the window, "
               "and each story's first article and size.", internal=True, config=stories_changelog,
        ),
        ingested=TopicSpec(
            settings.topic_ingested, IngestedArticle, INGESTED_KEY, partitions,
            "Internal: validated, normalised articles waiting for enrichment, partitioned by id; a copy goes "
            "with its original, so that its entities can be reused.", internal=True,
            config=common,
        ),
        # Faust names a table's changelog '<group>-<table>-changelog' (the enriching group is always app_id);
        # it must be co-partitioned with `ingested`.
        seen_ids_changelog=TopicSpec(
            f"{settings.app_id}-{SEEN_IDS_TABLE}-changelog", SeenId, "article id", partitions,
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
