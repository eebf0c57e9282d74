"""Test doubles for what the code takes as arguments: NER, topics, the table of enriched ids."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Sequence

from wirestream.enrich.entities import Span
from wirestream.enrich.revisions import Revision


class FakeRecognizer:
    """NER that returns the spans it is told to; raises for texts containing `poison`, like a model bug."""

    model_name = "fake-ner-1"

    def __init__(self, spans_for: Callable[[str], list[Span]], poison: str | None = None) -> None:
        self._spans_for = spans_for
        self._poison = poison
        self.calls: list[str] = []
        self.batch_texts: list[str] = []
        self.batches: list[int] = []

    def spans(self, text: str) -> list[Span]:
        self.calls.append(text)
        if self._poison and self._poison in text:
            raise RuntimeError(f"fake NER broke on {self._poison}")
        return self._spans_for(text)

    def spans_batch(self, texts: Sequence[str]) -> list[list[Span]]:
        self.batches.append(len(texts))
        self.batch_texts.extend(texts)
        if self._poison and any(self._poison in text for text in texts):
            raise RuntimeError(f"fake NER broke on {self._poison} in a batch of {len(texts)}")
        return [self._spans_for(text) for text in texts]


class FakeRecognizers:
    def __init__(self, by_language: dict[str, Any]) -> None:
        self._by_language = by_language

    def for_language(self, language: str) -> Any:
        return self._by_language.get(language)


class FakeTopic:
    """A topic that acknowledges what it is sent, or fails chosen values with chosen errors."""

    def __init__(self, failures: dict[bytes, list[BaseException]] | None = None, *, fail_at_send: bool = False) -> None:
        self.failures = {k: list(v) for k, v in (failures or {}).items()}
        self.fail_at_send = fail_at_send
        self.acked: list[bytes] = []
        self.keys: list[bytes | None] = []
        self.attempts: dict[bytes, int] = {}

    def get_topic_name(self) -> str:
        return "fake"

    async def send(self, *, key: bytes | None, value: bytes) -> Any:
        self.attempts[value] = self.attempts.get(value, 0) + 1
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        pending = self.failures.get(value)
        if pending:
            error = pending.pop(0)
            if self.fail_at_send:
                raise error
            future.set_exception(error)
        else:
            self.acked.append(value)
            self.keys.append(key)
            future.set_result(None)
        return future


class FakeSeenIds:
    """The table of enriched ids as a dict: id -> latest revision."""

    def __init__(self) -> None:
        self.latest_by_id: dict[str, Revision] = {}

    def latest(self, event: Any, article_id: str) -> Revision | None:
        return self.latest_by_id.get(article_id)

    def remember(self, event: Any, article_id: str, revision: Revision) -> None:
        self.latest_by_id[article_id] = revision

    def sweep(self, events: Sequence[Any]) -> int:
        return 0

    def __len__(self) -> int:
        return len(self.latest_by_id)
