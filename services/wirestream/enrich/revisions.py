"""Duplicates and revisions: the same id with the same text is a duplicate, with a new text a revision.

Consumes what the table of enriched ids remembers for an id (its latest revision) and the
content hash of the article that came in; produces the revision the article is, or None for a
duplicate. Wires re-send stories under the same id with corrected or longer texts: those are
enriched again and numbered 1, 2, ...; a redelivery of the same text is not.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, TypeVar

from wirestream.contracts import EnrichedArticle

T = TypeVar("T")


# Content hashes remembered per id: enough for every write-through of a story; the oldest go first.
KEPT_HASHES = 32


@dataclass(frozen=True)
class Revision:
    number: int
    content_hash: str
    previous_content_hash: str | None = None
    seen: tuple[str, ...] = ()  # content hashes of every revision remembered under the id, this one's last

    def stamp(self, article: EnrichedArticle) -> EnrichedArticle:
        return article.model_copy(update={"revision": self.number, "previous_content_hash": self.previous_content_hash})


def next_revision(latest: Revision | None, digest: str, *, reprocess: bool = False) -> Revision | None:
    """The revision an article with content hash `digest` is, given the latest one; None: a duplicate.

    A text seen under the id before (the latest revision or an earlier one, resent late) is a
    duplicate; `reprocess` enriches it again, as the latest revision.
    """
    if latest is None:
        return Revision(1, digest, None, (digest,))
    if digest in latest.seen:
        if not reprocess:
            return None
        return latest if latest.content_hash == digest else Revision(latest.number, digest,
                                                                     latest.previous_content_hash, latest.seen)
    seen = (*latest.seen, digest)[-KEPT_HASHES:]
    return Revision(latest.number + 1, digest, latest.content_hash, seen)


@dataclass(frozen=True)
class Remembered:
    """What the table of enriched ids keeps of an id: its latest revision and when it was enriched
    (seconds since the epoch, by the clock of the worker that enriched it)."""

    revision: Revision
    enriched_at: float  # the latest revision's: the id is forgotten `retention` seconds after it
    first_enriched_at: float  # revision 1's, for the record

    def current(self, now: float, retention: float) -> bool:
        """Still inside the window. A re-send does not extend it; a new revision starts it again."""
        return now - self.enriched_at < retention

    def after(self, revision: Revision, now: float, retention: float) -> Remembered:
        """What to keep once `revision` has been enriched at `now`."""
        first = self.first_enriched_at if self.current(now, retention) else now
        return Remembered(revision, now, first)


class ExpiryQueue:
    """The ids of each partition in the order their windows end, so that a sweep finds the expired
    ones without reading the rest. An id lives in one partition: remembering it elsewhere moves it."""

    def __init__(self) -> None:
        self._by_partition: dict[int, OrderedDict[str, float]] = {}
        self._partition_of: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._partition_of)

    def add(self, partition: int, article_id: str, expires_at: float) -> None:
        previous = self._partition_of.get(article_id)
        if previous is not None:
            self._by_partition[previous].pop(article_id, None)
        queue = self._by_partition.setdefault(partition, OrderedDict())
        last = next(reversed(queue.values()), None)
        queue[article_id] = expires_at
        self._partition_of[article_id] = partition
        if last is not None and expires_at < last:  # only when the clock stepped back: rare, so re-sorted
            self._by_partition[partition] = OrderedDict(sorted(queue.items(), key=lambda item: item[1]))

    def rebuild(self, entries: Iterable[tuple[int, str, float]]) -> None:
        """Start again from (partition, id, expires at) triples in any order (after a recovery)."""
        self.clear()
        for partition, article_id, expires_at in sorted(entries, key=lambda entry: entry[2]):
            self.add(partition, article_id, expires_at)

    def due(self, partition: int, now: float) -> list[str]:
        """Take out the ids of `partition` whose window has ended by `now`, oldest first."""
        queue = self._by_partition.get(partition)
        taken: list[str] = []
        while queue:
            article_id, expires_at = next(iter(queue.items()))
            if expires_at > now:
                break
            queue.popitem(last=False)
            del self._partition_of[article_id]
            taken.append(article_id)
        return taken

    def clear(self) -> None:
        self._by_partition.clear()
        self._partition_of.clear()


def unique_id_runs(items: Iterable[T], key: Callable[[T], Hashable]) -> list[list[T]]:
    """Consecutive runs of `items` in which no key repeats, in order: a second version of an id
    starts a new run, so it is compared with the first once that has been recorded."""
    runs: list[list[T]] = []
    seen: set[Hashable] = set()
    for item in items:
        k = key(item)
        if not runs or k in seen:
            runs.append([])
            seen = set()
        runs[-1].append(item)
        seen.add(k)
    return runs


__all__ = ["ExpiryQueue", "Remembered", "Revision", "next_revision", "unique_id_runs"]
