"""Article models: what publishers send, what travels between stages, what subscribers read.

`RawArticle` is produced by people outside wirestream, so it is lenient (unknown fields are
kept in `metadata`); everything wirestream produces itself forbids unknown fields.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

EntitiesStatus = Literal["ok", "unsupported_language", "empty"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_utc(value: datetime | None) -> datetime | None:
    # Naive timestamps from publishers are read as UTC rather than as local time.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


class RawArticle(BaseModel):
    """An article as a publisher sends it on `articles.raw`; only `text` is required."""

    model_config = ConfigDict(extra="allow", title="RawArticle")

    text: str = Field(min_length=1, description="The article text, plain UTF-8.")
    id: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="Stable article id; derived from the normalised text when absent.",
    )
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    language: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
        description="Language hint (ISO 639); used only when detection is unsure.",
    )
    metadata: dict[str, Any] = Field(default_factory=dict)
    reprocess: bool = Field(
        default=False, description="Enrich again even if this id was enriched within the retention window."
    )

    @model_validator(mode="after")
    def _keep_unknown_fields_in_metadata(self) -> RawArticle:
        # Unknown fields are the publisher's data: keep them where subscribers can see them.
        extra = self.__pydantic_extra__ or {}
        if extra:
            merged = {**extra, **self.metadata}
            object.__setattr__(self, "metadata", merged)
            self.__pydantic_extra__.clear()  # type: ignore[union-attr]
        return self

    @field_validator("published_at")
    @classmethod
    def _published_at_utc(cls, value: datetime | None) -> datetime | None:
        return _as_utc(value)

    @field_validator("id")
    @classmethod
    def _id_is_printable(cls, value: str | None) -> str | None:
        if value is not None and (not value.strip() or not value.isprintable()):
            raise ValueError("id must be printable and not blank")
        return value


class LanguageGuess(_Strict):
    code: str = Field(description="ISO 639-1 where one exists, else ISO 639-3; 'und' if unknown.")
    confidence: float = Field(ge=0.0, le=1.0)


class Language(_Strict):
    code: str
    confidence: float = Field(ge=0.0, le=1.0)
    alternatives: list[LanguageGuess] = Field(default_factory=list)
    source: Literal["detected", "hint", "none"] = Field(
        default="detected", description="'hint' when the publisher's hint overrode an unsure detection."
    )


class Agency(_Strict):
    code: str = Field(description="The agency as written in the dateline, e.g. 'AP', 'IP'.")
    name: str | None = Field(description="Full name from the wire-service table; null if unknown.")


class DatelineDate(_Strict):
    text: str
    iso: str | None = Field(description="YYYY-MM-DD; the year is inferred when the dateline has none.")


class Dateline(_Strict):
    text: str = Field(description="The dateline exactly as it stands in `text`.")
    start: int = Field(ge=0, description="Offset of the first character in `text`.")
    end: int = Field(ge=0, description="Offset one past the last character, separator included.")
    city: str
    region: str | None = Field(default=None, description="State or country written after the city.")
    country_code: str | None = Field(description="ISO 3166-1 alpha-2, null for an unknown city.")
    country: str | None
    agency: Agency | None
    date: DatelineDate | None


class EntityMention(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Entity(_Strict):
    name: str = Field(description="Canonical name for all mentions of one real entity.")
    label: str = Field(description="spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...")
    count: int = Field(ge=1)
    mentions: list[EntityMention]


class Models(_Strict):
    language: str
    entities: str | None


class Enrichment(_Strict):
    pipeline_version: str
    models: Models
    processed_at: datetime
    ner_truncated_at: int | None = Field(
        default=None, description="Set when NER read only the first N characters of a long text."
    )


class _ArticleFields(_Strict):
    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    received_at: datetime
    metadata: dict[str, Any] = Field(default_factory=dict)
    text: str = Field(description="Normalised text: Unicode NFC, whitespace tidied.")


class ArticleInProgress(_ArticleFields):
    """Internal: an article between stages, filled in stage by stage."""

    language_hint: str | None = None
    reprocess: bool = False
    language: Language | None = None
    dateline: Dateline | None = None
    dateline_done: bool = False


class EnrichedArticle(_ArticleFields):
    """An enriched article on `articles.enriched`, keyed by `id`."""

    body: str = Field(description="`text` without the dateline.")
    language: Language
    dateline: Dateline | None
    entities: list[Entity]
    entities_status: EntitiesStatus
    enrichment: Enrichment


class SeenId(_Strict):
    """Internal: a value of the seen-ids table (its changelog is a Faust topic)."""

    count: int = Field(ge=1, description="How many times the id was enriched in the window.")
