"""Administering the Kafka cluster outside Faust: waiting for it, creating topics, describing groups."""

from __future__ import annotations

import asyncio
import logging
import ssl
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.conn import create_conn
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from aiokafka.errors import (
    AuthenticationFailedError,
    AuthenticationMethodNotSupported,
    ClusterAuthorizationFailedError,
    CoordinatorLoadInProgressError,
    GroupCoordinatorNotAvailableError,
    IllegalSaslStateError,
    KafkaConnectionError,
    KafkaError,
    NotCoordinatorError,
    SaslAuthenticationFailed,
    TopicAlreadyExistsError,
    TopicAuthorizationFailedError,
    UnsupportedSaslMechanismError,
    for_code,
)

from wirestream.errors import BrokerUnavailable, ConfigError
from wirestream.kafka.clients import client_options, connection_errors_reported_by_us
from wirestream.kafka.security import aiokafka_security
from wirestream.kafka.topics import TopicSpec, topic_catalogue
from wirestream.settings import BrokerKind, Settings

log = logging.getLogger(__name__)


async def wait_for_broker(settings: Settings, timeout: float | None = None) -> BrokerKind:
    """Return once the cluster answers a metadata request, with the kind of broker it is
    (`settings.broker_kind`, or asked of the cluster when that is auto); back off between tries.

    `timeout` None waits `settings.connect_timeout`; 0 waits forever (a worker under a supervisor).
    """
    limit = settings.connect_timeout if timeout is None else timeout
    deadline = time.monotonic() + limit if limit > 0 else float("inf")
    with connection_errors_reported_by_us():  # the one line below says it, not aiokafka's every retry
        return await _wait(settings, limit, deadline)


async def _broker_kind(settings: Settings, admin: AIOKafkaAdminClient) -> BrokerKind:
    if settings.broker_kind != "auto":
        return settings.broker_kind
    described = await admin.describe_cluster()
    return "tansu" if str(described.get("cluster_id") or "").startswith("tansu") else "kafka"


async def _wait(settings: Settings, limit: float, deadline: float) -> BrokerKind:
    delay = 0.2
    while True:
        # One try never outlasts the whole wait: an interactive command gives up within its timeout.
        admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=int(min(5.0, limit or 5.0) * 1000))
        try:
            await admin.start()
            await admin.list_topics()
            return await _broker_kind(settings, admin)
        except Exception as failure:  # sorted below: credentials fail at once, the rest is retried
            exc = await _login_refusal(settings, failure) or failure
            if _refused_credentials(settings, exc):
                mechanism = f" {settings.sasl_mechanism}" if "SASL" in settings.security_protocol else ""
                raise ConfigError(
                    f"the Kafka cluster at {settings.kafka_bootstrap_servers} refused the connection "
                    f"({settings.security_protocol}{mechanism}, "
                    f"user {settings.sasl_username!r}): {type(exc).__name__}: {exc or 'authentication failed'}; "
                    "check WIRESTREAM_SASL_USERNAME, WIRESTREAM_SASL_PASSWORD(_FILE), WIRESTREAM_SSL_* and "
                    "WIRESTREAM_SECURITY_PROTOCOL"
                ) from None
            if not isinstance(exc, (KafkaError, OSError)):
                raise
            if time.monotonic() + delay > deadline:
                raise BrokerUnavailable(
                    f"no Kafka broker answers at {settings.kafka_bootstrap_servers} "
                    f"(set WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS, or start one with 'wirestream broker'): {exc}"
                ) from None
            log.info("waiting for the Kafka broker at %s (%s); next try in %.1fs",
                     settings.kafka_bootstrap_servers, type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
        finally:
            await admin.close()


_CREDENTIAL_ERRORS = (
    AuthenticationFailedError, AuthenticationMethodNotSupported, SaslAuthenticationFailed,
    UnsupportedSaslMechanismError, IllegalSaslStateError, ssl.SSLError,
)


_COORDINATOR_MOVING = (GroupCoordinatorNotAvailableError, CoordinatorLoadInProgressError, NotCoordinatorError)


async def _login_refusal(settings: Settings, exc: BaseException) -> BaseException | None:
    """Why a secured connection failed, when aiokafka hid it. Its bootstrap logs the refusal of a
    login (Apache Kafka answers a wrong SCRAM password with SaslAuthenticationFailed, then closes)
    and raises a bare 'Unable to bootstrap'; one connection made here, as the client makes it,
    tells a refusal from a broker that is not there."""
    if settings.security_protocol == "PLAINTEXT" or not isinstance(exc, KafkaConnectionError):
        return None
    host, _, port = settings.kafka_bootstrap_servers.split(",")[0].strip().rpartition(":")
    security = aiokafka_security(settings)
    try:
        connection = await create_conn(
            host, int(port), request_timeout_ms=5000, ssl_context=security.get("ssl_context"),
            security_protocol=settings.security_protocol, sasl_mechanism=security.get("sasl_mechanism"),
            sasl_plain_username=security.get("sasl_plain_username"),
            sasl_plain_password=security.get("sasl_plain_password"))
    except Exception as refusal:  # noqa: BLE001 - what it was is sorted by the caller
        return refusal if _refused_credentials(settings, refusal) else None
    connection.close()
    return None


def _refused_credentials(settings: Settings, exc: BaseException) -> bool:
    """A failure that waiting will not mend: wrong password, unknown user, untrusted certificate."""
    if isinstance(exc, _CREDENTIAL_ERRORS):
        return True
    # aiokafka's SCRAM client fails with a KeyError when the server ends the exchange without
    # its proof, which is how a broker answers an unknown user or a wrong password.
    return isinstance(exc, KeyError) and settings.security_protocol.startswith("SASL")


async def ensure_topics(settings: Settings, specs: Iterable[TopicSpec]) -> list[str]:
    """Create the topics that do not exist yet, with their partition counts; returns those created.

    Topics must exist before anything is produced: a broker that auto-creates them picks its own
    partition count (4 on the embedded broker).
    """
    specs = list(specs)
    admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        if missing:
            response = await admin.create_topics(
                [NewTopic(s.name, s.partitions, settings.replication_factor, topic_configs=s.config) for s in missing])
            _check_created(settings, response.topic_errors)
        await _grow_partitions(admin, [s for s in specs if s.name in existing])
        return [s.name for s in missing]
    finally:
        await admin.close()


def _check_created(settings: Settings, topic_errors: Iterable[tuple[Any, ...]]) -> None:
    """CreateTopics answers per topic, without raising: a topic another worker created first is
    fine, any other refusal is said in one line (a principal without Create rights, above all)."""
    for topic, code, *message in topic_errors:
        if code in (0, TopicAlreadyExistsError.errno):
            continue
        error = for_code(code)
        if error in (TopicAuthorizationFailedError, ClusterAuthorizationFailedError):
            who = f"user {settings.sasl_username!r}" if settings.sasl_username else "this client"
            raise ConfigError(f"the Kafka cluster does not allow {who} to create topic {topic} ({error.__name__}): "
                              "a worker creates the topics (its principal needs Create on them), or run "
                              "'wirestream topics' as a user allowed to")
        detail = message[0] if message and message[0] else error.__name__
        raise ConfigError(f"the Kafka cluster refused to create topic {topic}: {detail} "
                          f"(WIRESTREAM_PARTITIONS={settings.partitions}, "
                          f"WIRESTREAM_REPLICATION_FACTOR={settings.replication_factor})")


async def _grow_partitions(admin: AIOKafkaAdminClient, specs: list[TopicSpec]) -> None:
    if not specs:
        return
    described = await admin.describe_topics([s.name for s in specs])
    counts = {t["topic"]: len(t["partitions"]) for t in described}
    for spec in specs:
        have = counts.get(spec.name, spec.partitions)
        if have < spec.partitions:
            log.warning("topic %s has %d partitions, settings ask for %d: adding partitions",
                        spec.name, have, spec.partitions)
            try:
                await admin.create_partitions({spec.name: NewPartitions(spec.partitions)})
            except KafkaError as exc:
                log.warning("could not add partitions to %s: %s", spec.name, exc)


@dataclass(frozen=True)
class GroupState:
    """A consumer group as the coordinator describes it: 'Stable' once a rebalance has settled.

    `assignments` maps each member (client id and member id) to the partitions it holds, by topic.
    """

    state: str
    assignments: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    @property
    def members(self) -> int:
        return len(self.assignments)


async def describe_group(settings: Settings, group: str, timeout: float = 15.0) -> GroupState:
    """The group as its coordinator sees it. Apache Kafka answers 'coordinator not available' while
    the offsets topic is created or a coordinator moves (a new cluster, a broker lost), so those
    are asked again for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=10000)
    await admin.start()
    try:
        while True:
            try:
                response = await admin.describe_consumer_groups([group])
                break
            except _COORDINATOR_MOVING:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
    finally:
        await admin.close()
    groups = [g for r in response for g in r.groups]
    if not groups:
        return GroupState("Dead")
    _error, _name, state, _protocol_type, _protocol, members, *_ = groups[0]
    assignments: dict[str, dict[str, list[int]]] = {}
    for member_id, client_id, _host, _metadata, assignment, *_ in members:
        held: dict[str, list[int]] = {}
        if assignment:
            for topic, partitions in ConsumerProtocolMemberAssignment.decode(assignment).assignment:
                held[topic] = sorted(partitions)
        assignments[f"{client_id}/{member_id}"] = held
    return GroupState(state or "Dead", assignments)


async def prepare_cluster(settings: Settings, wait: float | None = None) -> Settings:
    """Wait for the broker (None = settings.connect_timeout, 0 = forever) and create every topic:
    what a worker and the admin commands (`topics`, `run`) do. Returns the settings tuned for the
    broker found (`Settings.tuning`)."""
    kind = await wait_for_broker(settings, timeout=wait)
    created = await ensure_topics(settings, topic_catalogue(settings).all())
    if created:
        log.info("created topics %s with %d partitions", ", ".join(created), settings.partitions)
    return settings.for_broker(kind)


async def meet_cluster(settings: Settings, wait: float | None = None) -> Settings:
    """Wait for the broker, as a client that only reads or publishes: it creates nothing on Apache
    Kafka, where its principal may hold no right to (the worker creates the topics). On Tansu alone
    it creates the missing topics first, since Tansu creates a topic that is read or written before
    it exists, with 4 partitions of its own choosing. Returns the settings tuned for the broker."""
    kind = await wait_for_broker(settings, timeout=wait)
    if kind == "tansu":
        await ensure_topics(settings, topic_catalogue(settings).all())
    return settings.for_broker(kind)


__all__ = ["GroupState", "describe_group", "ensure_topics", "meet_cluster", "prepare_cluster", "wait_for_broker"]
