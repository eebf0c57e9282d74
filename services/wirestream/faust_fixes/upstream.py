"""The upstream code the fixes in this package were written against, and the tripwires that say so
loudly when it changes.

Every fix here reads or replaces private internals of faust-streaming, aiokafka and mode. They are
pinned to the exact versions below (pyproject.toml); `drift()` compares the installed versions and
the source of every upstream function a fix replaces or leans on with what they were written for
(`tests/unit/test_upstream_pins.py` fails on any difference, and a worker logs it at start-up), and
`require()` turns a missing private attribute into an error at start-up instead of a silent
fallback (a renamed attribute would otherwise leave /ready at 503 or a fix doing nothing).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from importlib import metadata
from typing import Any

from wirestream.errors import ConfigError

PINNED_VERSIONS = {"faust-streaming": "0.15.3", "aiokafka": "0.14.0", "mode-streaming": "0.7.1"}

# "module:Qualified.name" of the upstream function -> (the fix that replaces it or leans on it,
# SHA-256 of its source in the pinned version). When one changes, re-read the fix against the new
# code, then record the new digest (`python -m wirestream.faust_fixes.upstream` prints them all).
UPSTREAM_SOURCES: dict[str, tuple[str, str]] = {
    "faust.streams:Stream.take_events":
        ("batch_acks", "607d48aead118ba8ea868718a0df87de1c5fcecd10ec542c659b448796728e08"),
    "faust.streams:current_event":
        ("batch_table_context", "3b821f1a78d86a58234dfe781fbf539775b00e66fdac9489c1c398a2d81d7e9d"),
    "faust.tables.base:Collection.partition_for_key":
        ("batch_table_context", "3b2291811b8dd791cdd0e690b2b09d966a4e961e2a2861182241195696393bed"),
    "faust.tables.table:Table.on_key_set":
        ("batch_table_context", "a370e35ca55c2c7e36e93f0d4b485927c32d49199043cab2314572846184dd94"),
    "faust.tables.table:Table.on_key_del":
        ("batch_table_context", "4f2900b2f9d24a080d5cbc9eaa1f5566f1d11e56916e79b02f079c52f4751053"),
    "faust.transport.consumer:Consumer.on_partitions_revoked":
        ("revoke_commits", "d04b7ae72c6fc206924a2879d6c90dd383f3e8ba6f4b10a19ca99a921eb8f4db"),
    "faust.transport.consumer:Consumer.on_stop":
        ("revoke_commits", "45b1d2210ce2b526339856969472683f8bcc1b1d04c8dc1fb2315b4eb7fbd5e3"),
    "faust.transport.consumer:Consumer._new_offset":
        ("skipped_messages", "1d2c7ea89a7ad4f1a216c1d51936e569162cd66bd56f889e13fd29c910b58eb0"),
    "faust.transport.consumer:Consumer._add_gap":
        ("skipped_messages", "4df2573ded7c1c2cde04dc6bde6d4480cb5875ef565256e56966b585ae39b1c1"),
    "faust.transport.consumer:Consumer._drain_messages":
        ("skipped_messages", "44a2500309e83c630493f6828af50166ec8d96a0b3e4fb2bab735f704ae93417"),
    "faust.transport.consumer:Consumer.seek":
        ("skipped_messages", "b86a9fe05f956b30cf299c787b6787c6e0349cbf1ae556f2456a1e97b15dbb22"),
    "faust.transport.consumer:Consumer.__init__":
        ("skipped_messages", "302410d59e6972d144e35ce91483b28783e01fd039f02a51f0b06c6d3953a001"),
    "faust.tables.recovery:Recovery.on_recovery_completed":
        ("rebalance_window", "6ef567acf072e46da3fccbccc6d662371f634f622c3d510972d5df81f70ae3ac"),
    "faust.tables.recovery:Recovery._resume_streams":
        ("rebalance_window", "d986a6710c1aca98f08c4c723fb3eadc5bf24576ad4eb9da3dd3eecedda2f24e"),
    "mode.utils.queues:FlowControlEvent.resume":
        ("rebalance_window", "4dcdc1253fd0dcb40de18a3702503c01d21e9da7e5e55b122fb92615f27648d9"),
    "faust.transport.consumer:Consumer.perform_seek":
        ("rebalance_window", "0e8c130ff4b0afd82c0be9c5fd831316e10febc62c94032833911096e156d7c6"),
    "faust.transport.consumer:Consumer.resume_partitions":
        ("rebalance_window", "afe6b7c02a41d63cd46d47a03f09b547c85289c108de21d682970057d1015c3b"),
    "aiokafka.consumer.consumer:AIOKafkaConsumer.seek_to_committed":
        ("rebalance_window", "f6cd85c8b70a4ccf7e862de24f6c5d985038eed3e140990f000aa4b52eda8d72"),
    "faust.app.base:App.on_rebalance_end":
        ("rebalance_window", "b7ff69e1e3772f3094aad3c63e65dc8133cd1408701ed449c560947f8f3fc9a1"),
    "faust.transport.consumer:Consumer._wait_next_records":
        ("rebalance_window", "6218e1969a636b3ff504ad1b8e7ad58a113572e43d746cc96d684ed5153032c6"),
    "faust.transport.consumer:ThreadDelegateConsumer._getmany":
        ("rebalance_window", "f9d47aa9010b5ff2b874ba65f927871f3612718d8a9db00b58601554a35236c4"),
    "aiokafka.consumer.fetcher:Fetcher.fetched_records":
        ("rebalance_window", "be4348896b9b66afe048de954e2be91c546f4e96c94cb120d5764ec77ce8f19e"),
    "faust.transport.drivers.aiokafka:AIOKafkaConsumerThread._create_consumer":
        ("fetch_wait", "a4dc6ba0681a298c05d60994890984fe35edee17dea101f8071da9456700c238"),
    "faust.transport.drivers.aiokafka:AIOKafkaConsumerThread._create_worker_consumer":
        ("fetch_wait", "c2701bfc3e6f6cad95c2be36d6a255a86e2c57d18d36cc1082b5fb5c482d99d7"),
    "faust.transport.drivers.aiokafka:Consumer._new_consumer_thread":
        ("fetch_wait", "0870ec53dea75083995e3565c0f0a25a1c63ecceaeb238e92e2585e3623af5a9"),
    "aiokafka.consumer.consumer:AIOKafkaConsumer.__init__":
        ("fetch_wait, consumer_state", "01506f316191f7c99c785bec915756d1560029a6fad75cba6f4da71e343a8163"),
    "aiokafka.consumer.consumer:AIOKafkaConsumer.start":
        ("fetch_wait, consumer_state", "2f1ba70443327538800d348e61042cdedd5a5e6306f40ebe1a06dddba7494c45"),
    "aiokafka.consumer.group_coordinator:GroupCoordinator.coordinator_dead":
        ("consumer_state", "ba1eda0254af8dfe23c31109ea194d8117ce3b20771b5cff43e222508bed607c"),
    "faust.transport.drivers.aiokafka:AIOKafkaConsumerThread.start":
        ("consumer_state", "f11841038a033a05f2523901082d51dec9b4ef42b226ab2dd4b6223078a10680"),
    "faust.tables.recovery:Recovery._set_recovery_started":
        ("consumer_state", "bcfebf81ae13fc7551f3cdfee4335dc20600e084291fdcba0040b0defae84bec"),
    "faust.transport.drivers.aiokafka:Producer._settings_extra":
        ("idempotent_producer", "a4c7bc41b63822236e4c9be1c49437d091f58c1b3a983eecabb7362a819aa8bd"),
    "faust.transport.drivers.aiokafka:Producer._new_producer":
        ("idempotent_producer", "e72355c3430ed02f5202c83e2f5ef7daf484f33aa40e62f98fe3adec3e18aa17"),
    "faust.worker:Worker.__init__":
        ("worker_output", "25a4d782432f09682a2f31b1e64436f9c328ff17cb5b55d3fd7abeaa6396928b"),
    "faust.worker:Worker._setup_logging":
        ("worker_output", "5b69bd16b1eff67e9926101f52b1bf15be62ba385053317de817e935a3af668c"),
    "faust.app.base:App._new_transport":
        ("App", "42db531312dd776fc3937154a32f19eeb9ad7d4ebc2722a92d081a2d271baea1"),
    "faust.app.base:App._new_producer_transport":
        ("App", "eb3b4aa6a89612750b7e3159e5339850dd816fbf15a78948ef204bc2c0ec3a6b"),
}


class UpstreamChanged(ConfigError):
    """faust-streaming, aiokafka or mode is not what the fixes in wirestream.faust_fixes were written for."""

    code = "upstream_changed"


def resolve(target: str) -> Any:
    """The object `module:Qualified.name` names."""
    module_name, _, qualified = target.partition(":")
    found: Any = importlib.import_module(module_name)
    for part in qualified.split("."):
        found = getattr(found, part)
    return found


def source_digest(target: str) -> str:
    """SHA-256 of the source of `module:Qualified.name` (as installed)."""
    return hashlib.sha256(inspect.getsource(resolve(target)).encode()).hexdigest()


def installed_versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in PINNED_VERSIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def drift() -> list[str]:
    """What differs from what the fixes were written for: versions, then upstream sources."""
    found = [f"{name} {installed or 'not installed'} is installed; the fixes were written for {PINNED_VERSIONS[name]}"
             for name, installed in installed_versions().items() if installed != PINNED_VERSIONS[name]]
    for target, (fix, digest) in UPSTREAM_SOURCES.items():
        try:
            now = source_digest(target)
        except (ImportError, AttributeError, OSError, TypeError) as exc:
            found.append(f"{target} (used by {fix}) cannot be read: {type(exc).__name__}: {exc}")
            continue
        if now != digest:
            found.append(f"{target} (used by {fix}) has changed since the fix was written")
    return found


def require(obj: Any, *names: str, fix: str) -> None:
    """Fail now, naming the fix, if `obj` lacks a private attribute the fix reads or sets."""
    missing = [name for name in names if not hasattr(obj, name)]
    if missing:
        raise UpstreamChanged(
            f"{type(obj).__module__}.{type(obj).__qualname__} has no {', '.join(missing)}, which "
            f"wirestream.faust_fixes.{fix} relies on: install the versions pinned in pyproject.toml "
            f"({', '.join(f'{n}=={v}' for n, v in PINNED_VERSIONS.items())})")


if __name__ == "__main__":  # pragma: no cover - prints the table above, for a deliberate upgrade
    for target in UPSTREAM_SOURCES:
        print(f'    "{target}":\n        ("{UPSTREAM_SOURCES[target][0]}", "{source_digest(target)}"),')
