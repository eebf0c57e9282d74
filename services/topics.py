"""The topic catalogue: every topic wirestream uses, its message model, key and partitions.

No other module spells a topic name; they all ask this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from wirestream.schemas import ArticleInProgress, EnrichedArticle, RawArticle, Rejection
from wirestream.settings import Settings


@dataclass(frozen=True)
class TopicSpec:
    name: str
    model: type[BaseModel]
    key: str
    partitions: int
    description: str
    internal: bool = False


@dataclass(frozen=True)
class TopicCatalogue:
    raw: TopicSpec
    language: TopicSpec
    dateline: TopicSpec
    entities: TopicSpec
    enriched: TopicSpec
    rejected: TopicSpec

    def all(self) -> tuple[TopicSpec, ...]:
        return (self.raw, self.language, self.dateline, self.entities, self.enriched, self.rejected)

    def stage_input(self, stage: str) -> TopicSpec:
        return {"language": self.language, "dateline": self.dateline, "entities": self.entities}[stage]


def topic_catalogue(settings: Settings) -> TopicCatalogue:
    partitions = settings.partitions
    stage = settings.stage_topics
    return TopicCatalogue(
        raw=TopicSpec(
            settings.topic_raw, RawArticle, "optional; not used for the id", partitions,
            "Articles to enrich: a RawArticle JSON object, or plain UTF-8 text.",
        ),
        language=TopicSpec(
            stage["language"], ArticleInProgress, "article id", partitions,
            "Internal: ingested articles waiting for language identification.", internal=True,
        ),
        dateline=TopicSpec(
            stage["dateline"], ArticleInProgress, "article id", partitions,
            "Internal: articles waiting for dateline parsing.", internal=True,
        ),
        entities=TopicSpec(
            stage["entities"], ArticleInProgress, "article id", partitions,
            "Internal: articles waiting for named-entity recognition.", internal=True,
        ),
        enriched=TopicSpec(
            settings.topic_enriched, EnrichedArticle, "article id", partitions,
            "Enriched articles, keyed by article id.",
        ),
        rejected=TopicSpec(
            settings.topic_rejected, Rejection, "the key that came in (if any)", partitions,
            "Messages that could not be enriched, with the reason and the original bytes.",
        ),
    )
