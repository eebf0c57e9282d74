"""The outbox: every record acknowledged before the batch counts as done; permanent failures
returned for a rejection, temporary ones retried, a stop never mistaken for success."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    ProducerClosed,
)
from wirestream.worker.outbox import Outbox, Outgoing, Stopping

from tests.fakes import FakeTopic


async def test_every_record_is_acknowledged_in_one_round() -> None:
    topic = FakeTopic()
    results = await Outbox(stopping=lambda: False).deliver([Outgoing(topic, b"k", v) for v in (b"a", b"b", b"c")])
    assert results == [None, None, None] and topic.acked == [b"a", b"b", b"c"]


@pytest.mark.parametrize("at_send", [False, True], ids=["failing acknowledgement", "failing send"])
async def test_a_temporary_failure_is_retried_until_acknowledged(at_send: bool) -> None:
    topic = FakeTopic({b"b": [KafkaTimeoutError(), KafkaConnectionError("away")]}, fail_at_send=at_send)
    results = await Outbox(stopping=lambda: False, first_delay=0.001).deliver(
        [Outgoing(topic, None, v) for v in (b"a", b"b")])
    assert results == [None, None]
    assert topic.attempts == {b"a": 1, b"b": 3}  # the acknowledged one is not written again


async def test_a_permanent_failure_is_returned_not_retried() -> None:
    too_large = MessageSizeTooLargeError("no")
    topic = FakeTopic({b"big": [too_large]}, fail_at_send=True)
    results = await Outbox(stopping=lambda: False).deliver([Outgoing(topic, None, b"big"), Outgoing(topic, None, b"ok")])
    assert results[0] is too_large and results[1] is None and topic.attempts[b"big"] == 1


async def test_stopping_while_a_record_waits_raises_so_its_input_is_not_acked() -> None:
    topic = FakeTopic({b"a": [KafkaTimeoutError()] * 100})
    stopping = False

    async def stop_soon() -> None:
        nonlocal stopping
        await asyncio.sleep(0.05)
        stopping = True

    asyncio.get_running_loop().create_task(stop_soon())
    with pytest.raises(Stopping):
        await Outbox(stopping=lambda: stopping, first_delay=0.01).deliver([Outgoing(topic, None, b"a")])


async def test_a_closed_producer_is_a_stop() -> None:
    topic = FakeTopic({b"a": [ProducerClosed()]}, fail_at_send=True)
    with pytest.raises(Stopping):
        await Outbox(stopping=lambda: False).deliver([Outgoing(topic, None, b"a")])
