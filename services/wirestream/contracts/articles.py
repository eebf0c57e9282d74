"""Article models: what publishers send, what travels between stages, what subscribers read.

`RawArticle` is produced by people outside wirestream, so it is lenient (unknown fields are
kept in `metadata`); everything wirestream produces itself forbids unknown fields.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    field_validator,
    model_validator,
)

# Version 2: `body` became `body_start` (the article is carried once), `revision` and the content
# hashes were added. Readers upgrade version 1 records as they read them.
SCHEMA_VERSION: Final = 2
# EnrichedArticle version 5: `entities_status` may be `places_only` (a language no NER model covers:
# the places the gazetteer finds, as PLACE entities). Version 4 records are read as they are.
ENRICHED_SCHEMA_VERSION: Final = 5
# SeenId version 2: keyed by id alone, with the times its window is measured from (version 1 was
# a windowed Faust table's value, keyed by (id, window)).
SEEN_ID_SCHEMA_VERSION: Final = 2
# IngestedArticle version 3: the story the stories stage found (`story`); version 2 reads as none.
INGESTED_SCHEMA_VERSION: Final = 3

EntitiesStatus = Literal["ok", "places_only", "unsupported_language", "empty"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_utc(value: datetime | None) -> datetime | None:
    # Naive timestamps from publishers are read as UTC rather than as local time.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
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
            clashes = sorted(key for key in extra if key in self.metadata and self.metadata[key] != extra[key])
            if clashes:
                # Keeping one would silently drop the other: the publisher has to say which it means.
                raise ValueError(f"field {clashes[0]!r} is given at the top level and in metadata with different "
                                 "values; send it once")
            merged = {**extra, **self.metadata}
            object.__setattr__(self, "metadata", merged)
            if self.__pydantic_extra__ is not None:  # always, with extra="allow"
                self.__pydantic_extra__.clear()
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
    code: str = Field(description="ISO 639-1 where one exists, else ISO 639-3 (Norwegian as 'nb'); 'und' for "
                                  "text with too few letters to tell (fewer than 5; 2 hanzi, kana or hangul).")
    confidence: float = Field(ge=0.0, le=1.0, description=(
        "Share of the ensemble's belief; at most 0.45 on a close call (a close language within 0.3, listed first "
        "in `alternatives`); 0 for 'und'."))
    alternatives: list[LanguageGuess] = Field(default_factory=list, description="The next two guesses, never above "
                                                                                "`confidence`.")
    source: Literal["detected", "hint", "none"] = Field(
        default="detected", description="What decided `code`: 'detected' by the script or the ensemble; 'hint' when "
                                        "the publisher's `language` won over a guess below "
                                        "WIRESTREAM_LANGUAGE_MIN_CONFIDENCE; 'none' for 'und' without a hint."
    )


class Agency(_Strict):
    code: str = Field(description="The agency as written in the dateline, e.g. 'AP', 'IP'.")
    name: str | None = Field(description="Full name from the wire-service table; null if unknown.")


class DatelineDate(_Strict):
    text: str
    iso: str | None = Field(description="YYYY-MM-DD; the year is inferred when the dateline has none.")


class Subdivision(_Strict):
    code: str = Field(description="ISO 3166-2, e.g. 'US-IL'.")
    name: str


class Credit(_Strict):
    """A credit line before the dateline: 'Canadian Press - ' in 'Canadian Press - HALIFAX (CP) - …'."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    agency: Agency


class Byline(_Strict):
    """A byline before the dateline: 'By Jane Doe, Associated Press Writer'."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str = Field(description="Who wrote it, as written ('Jane Doe', 'MARIA SANCHEZ').")


class Dateline(_Strict):
    text: str = Field(description="The dateline exactly as it stands in `text` (a credit or byline before it apart).")
    start: int = Field(ge=0, description="Offset of the first character in `text`.")
    end: int = Field(ge=0, description="Offset one past the last character, separator included.")
    city: str | None = Field(description="The place's canonical GeoNames name ('Vancouver' for 'VANCOUVER'); as "
                                         "written when the gazetteer does not know it; null when the dateline "
                                         "names no place ('AP - …', 'MARCH 3, 2026 (INFOWORLD) - …').")
    as_written: str | None = Field(description="The place as the dateline writes it.")
    region: str | None = Field(default=None, description="State, province or country written after the city.")
    geonames_id: int | None = Field(default=None, description="The GeoNames id of the city; null when unknown.")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    admin1: Subdivision | None = Field(default=None, description="The state or province, where known: a US state, "
                                                                 "or a region written in the dateline.")
    population: int | None = Field(default=None, ge=0, description="The city's population, per GeoNames.")
    country_code: str | None = Field(description="ISO 3166-1 alpha-2, null for an unknown city.")
    country: str | None
    agency: Agency | None
    date: DatelineDate | None
    credit: Credit | None = Field(default=None, description="A credit line before the dateline.")
    byline: Byline | None = Field(default=None, description="A byline before the dateline.")


def content_hash(normalized_text: str) -> str:
    """The fingerprint of an article's normalised text: two revisions differ in it, redeliveries do not."""
    return hashlib.blake2b(normalized_text.encode("utf-8"), digest_size=16).hexdigest()


class EntityMention(_Strict):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class GeoPlace(_Strict):
    """A place on the map, from GeoNames: a city, a country (at its capital) or a US state (at its
    centre of population)."""

    geonames_id: int
    name: str = Field(description="The canonical GeoNames name.")
    kind: Literal["city", "country", "region"]
    country_code: str = Field(description="ISO 3166-1 alpha-2.")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    population: int | None = Field(default=None, ge=0)


class ArticlePlace(GeoPlace):
    """A place of the article: the dateline's, or one named in the text, with how often."""

    mentions: int = Field(ge=1, description="Mentions in the text, plus one for the dateline.")
    in_dateline: bool = False


EntityLabel = Literal["PERSON", "ORG", "PLACE", "MISC"]


class Entity(_Strict):
    name: str = Field(description="Canonical name for all mentions of one real entity.")
    label: EntityLabel = Field(description="The same in every language: PERSON, ORG, PLACE or MISC.")
    type: str | None = Field(default=None, description=(
        "Finer, where the model tells it (the English models): GPE, LOC, FAC for a PLACE; NORP, EVENT, PRODUCT, "
        "WORK_OF_ART, LAW, LANGUAGE for MISC; null otherwise."))
    salience: float = Field(default=0.0, ge=0.0, le=1.0, description=(
        "How central the entity is to the article: 0.4 x its mentions relative to the most mentioned entity + "
        "0.25 x how early it first appears + 0.2 if the title names it + 0.15 if the lead (first paragraph, at "
        "most 400 characters) does. Entities are ordered by it."))
    count: int = Field(ge=1, description="Every mention found, in the text and the title, including those not "
                                         "listed in `mentions`.")
    mentions: list[EntityMention] = Field(
        description="The first mentions in `text`, in text order, at most WIRESTREAM_MAX_MENTIONS_PER_ENTITY of "
                    "them (empty for an entity only the title names).")
    title_mentions: list[EntityMention] = Field(default_factory=list, description="Mentions in `title` (offsets "
                                                                                  "into `title`).")
    place: GeoPlace | None = Field(default=None, description="For a place (GPE, LOC) that names one country, US "
                                                            "state or city without doubt: where it is.")


class Models(_Strict):
    language: str = Field(description="The language identifier: the ensemble's name and each model's version.")
    language_models: dict[str, str] = Field(
        default_factory=dict, description="Each language model of the ensemble and its version (added in version 3).")
    entities: str | None


class Enrichment(_Strict):
    pipeline_version: str
    models: Models
    processed_at: datetime
    ner_truncated_at: int | None = Field(
        default=None, description="Set when NER read only the first N characters of a long text."
    )


class Story(_Strict):
    """The story an article belongs to: the articles that are copies of one another or tell the
    same story (added in version 4)."""

    id: str = Field(description="Stable: derived from the id of the story's first article.")
    first_article_id: str
    first_seen_at: datetime = Field(description="When the first article of the story was received.")
    size: int = Field(ge=1, description="Articles in the story when this one joined it, this one included "
                                        "(a redelivery or a revision of an article is not counted again).")
    similarity: float | None = Field(
        default=None, ge=0, le=1,
        description="Estimated Jaccard similarity (MinHash of word 5-grams of the body) to the closest earlier "
                    "article; null when no earlier article shared a band with it.")
    closest_article_id: str | None = Field(default=None, description="That closest earlier article.")
    duplicate_of: str | None = Field(
        default=None, description="The earlier article this one is a near-identical copy of (new id, title, byline "
                                  "or credit, a trimmed tail, a few words changed); null for an original.")


class _ArticleFields(_Strict):
    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None
    received_at: datetime
    metadata: dict[str, Any] = Field(default_factory=dict)
    text: str = Field(description="Normalised text: Unicode NFC, whitespace tidied.")


class IngestedArticle(_ArticleFields):
    """Internal, on `wirestream.ingested`: a validated, normalised article, keyed by id, with what
    the enrich stage needs of the publisher's message and nothing more."""

    schema_version: Literal[3] = INGESTED_SCHEMA_VERSION

    language_hint: str | None = Field(default=None, description="The publisher's `language`, if any.")
    reprocess: bool = Field(default=False, description="The publisher's `reprocess` flag.")
    story: Story | None = Field(default=None, description=(
        "The story the stories stage found (added in version 3); null where none ran and in version 2 records."))

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("schema_version") == 2:
            return {**data, "schema_version": INGESTED_SCHEMA_VERSION}
        # Version 1 (ArticleInProgress) also carried the stages' results, always empty on this topic.
        if isinstance(data, dict) and data.get("schema_version") == 1:
            data = {k: v for k, v in data.items() if k not in ("language", "dateline", "dateline_done")}
            data["schema_version"] = INGESTED_SCHEMA_VERSION
        return data


class EnrichedArticle(_ArticleFields):
    """An enriched article on `articles.enriched`, keyed by `id`."""

    schema_version: Literal[5] = ENRICHED_SCHEMA_VERSION

    body_start: int = Field(ge=0, description="Where the body begins in `text`: after the dateline and the "
                                              "space behind it (0 without a dateline).")
    revision: int = Field(default=1, ge=1, description="1 for the first text seen under this id; each changed "
                                                       "text under the same id is the next revision.")
    content_hash: str = Field(description="BLAKE2b-128 (hex) of `text`: what tells revisions apart.")
    previous_content_hash: str | None = Field(
        default=None, description="`content_hash` of the revision before this one; null for revision 1.")
    language: Language
    dateline: Dateline | None
    entities: list[Entity]
    places: list[ArticlePlace] = Field(default_factory=list, description="Every place of the article on the map: "
                                                                          "the dateline's and those the text names.")
    entities_status: EntitiesStatus = Field(description=(
        "`ok` (NER read the article), `places_only` (no NER model covers its language: the entities are the "
        "places the gazetteer finds in the text, added in version 5), `unsupported_language` (no model and no "
        "place found), `empty` (no letters after the dateline)."))
    enrichment: Enrichment
    story: Story | None = Field(default=None, description=(
        "The story of the article (added in version 4), set by the worker's stories stage and by "
        "`wirestream enrich`; null with WIRESTREAM_STORIES=false and in records of earlier versions."))

    @property
    def body(self) -> str:
        """`text` without the dateline."""
        return self.text[self.body_start :]

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        # Version 4 is version 5 without `places_only`; version 3 had no story: it reads as null.
        if isinstance(data, dict) and data.get("schema_version") in (3, 4):
            return {**data, "schema_version": ENRICHED_SCHEMA_VERSION}
        # Version 2 named entities with each model's own labels (GPE, PER, LOC, ...); no salience.
        if isinstance(data, dict) and data.get("schema_version") == 2:
            return {**data, "schema_version": ENRICHED_SCHEMA_VERSION, "entities": _upgrade_entities(data)}
        # Version 1 carried the body as a second copy of the text; it is always a tail of `text`.
        if isinstance(data, dict) and data.get("schema_version") == 1:
            data = dict(data)
            text, body = data.get("text"), data.pop("body", None)
            if isinstance(text, str) and isinstance(body, str) and text.endswith(body):
                data["body_start"] = len(text) - len(body)
            if isinstance(text, str):
                data.setdefault("content_hash", content_hash(text))
            dateline = data.get("dateline")
            if isinstance(dateline, dict) and "as_written" not in dateline:
                data["dateline"] = {**dateline, "as_written": dateline.get("city")}
            data["entities"] = _upgrade_entities(data)
            data["schema_version"] = ENRICHED_SCHEMA_VERSION
        return data


# What version 2 labels meant: the English models' OntoNotes labels, the French model's PER/LOC/ORG/MISC.
_V2_PLACES: Final = {"GPE", "LOC", "FAC"}
_V2_COARSE: Final = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "MISC": "MISC"}


def _upgrade_entities(data: dict[str, Any]) -> Any:
    entities = data.get("entities")
    if not isinstance(entities, list):
        return entities
    models = (data.get("enrichment") or {}).get("models") or {}
    french = str(models.get("entities") or "").startswith("fr_")  # its LOC is any place
    upgraded = []
    for entity in entities:
        if isinstance(entity, dict) and "type" not in entity and isinstance(entity.get("label"), str):
            old = entity["label"]
            if old in _V2_PLACES:
                label, kind = "PLACE", None if french else old
            else:
                label, kind = _V2_COARSE.get(old, "MISC"), None if old in _V2_COARSE else old
            entity = {**entity, "label": label, "type": kind}
        upgraded.append(entity)
    return upgraded


class SeenId(_Strict):
    """Internal: a value of the table of enriched ids, keyed by article id (its changelog is a Faust
    topic). Version 2 carries its own times: the id is forgotten `WIRESTREAM_DEDUPE_RETENTION` after
    `enriched_at`. Version 1 (keyed by id and window, no times) is read as an id already forgotten."""

    schema_version: Literal[2] = SEEN_ID_SCHEMA_VERSION
    content_hash: str = Field(description="`content_hash` of the latest revision enriched under the id.")
    revision: int = Field(ge=1, description="Its revision number.")
    previous_content_hash: str | None = Field(default=None, description="The revision before it, if any.")
    seen: list[str] = Field(default_factory=list, description="Content hashes of the revisions remembered under "
                                                              "the id (at most 32, the latest last): a late resend "
                                                              "of any of them is a duplicate.")
    enriched_at: datetime = Field(description="When the latest revision was enriched (the worker's clock): the id "
                                              "is remembered until `WIRESTREAM_DEDUPE_RETENTION` after it.")
    first_enriched_at: datetime = Field(description="When revision 1 of this window was enriched.")
    partition: int = Field(ge=0, description="The changelog partition the record lives in (that of the "
                                             "`wirestream.ingested` partition the article came from).")


class StoryArticleState(_Strict):
    """Internal: what the stories table keeps of an article in the window (key `a:<article id>`)."""

    fingerprint: str = Field(description="Base64 of the MinHash values: 128 little-endian uint32.")
    key_terms: list[int] = Field(description="CRC-32s of the body's numbers and names.")
    content_hash: str = Field(description="`content_hash` of the text the fingerprint was made of.")
    story_id: str
    seen_at: datetime = Field(description="When the article was received: it is forgotten a window later.")
    first_article_id: str
    first_seen_at: datetime
    size: int = Field(ge=1, description="The story's size when the article joined it.")
    similarity: float | None = None
    closest_article_id: str | None = None
    duplicate_of: str | None = None


class StoryState(_Strict):
    """Internal: what the stories table keeps of a story (key `s:<story id>`)."""

    first_article_id: str
    first_seen_at: datetime
    size: int = Field(ge=1, description="Articles that joined the story (redeliveries and revisions not again).")


class StoryRecord(RootModel[StoryArticleState | StoryState]):
    """Internal: a value of the stories table (its changelog is a Faust topic); a tombstone forgets it."""
