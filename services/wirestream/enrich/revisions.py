"""Duplicates and revisions: the same id with the same text is a duplicate, with a new text a revision.

Consumes what the table of enriched ids remembers for an id (its latest revision) and the
content hash of the article that came in; produces the revision the article is, or None for a
duplicate. Wires re-send stories under the same id with corrected or longer texts: those are
enriched again and numbered 1, 2, ...; a redelivery of the same text is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Iterable, TypeVar

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

    def to_table(self) -> dict[str, Any]:
        return {"content_hash": self.content_hash, "revision": self.number,
                "previous_content_hash": self.previous_content_hash, "seen": list(self.seen)}

    @classmethod
    def from_table(cls, value: Any) -> Revision | None:
        """What the table holds for an id; the previous release stored a count, with no hash."""
        if isinstance(value, dict) and value.get("content_hash"):
            digest = str(value["content_hash"])
            seen = tuple(str(h) for h in value.get("seen") or ()) or (digest,)
            return cls(int(value.get("revision") or 1), digest, value.get("previous_content_hash"), seen)
        if value:  # a count from before revisions: enriched once, text unknown
            return cls(1, "")
        return None


def next_revision(latest: Revision | None, digest: str, *, reprocess: bool = False) -> Revision | None:
    """The revision an article with content hash `digest` is, given the latest one; None: a duplicate.

    A text seen under the id before (the latest revision or an earlier one, resent late) is a
    duplicate; `reprocess` enriches it again, as the latest revision.
    """
    if latest is None:
        return Revision(1, digest, None, (digest,))
    if digest in latest.seen or latest.content_hash == "":  # "": remembered before revisions: the same
        if not reprocess:
            return None
        return latest if latest.content_hash in (digest, "") else Revision(latest.number, digest,
                                                                           latest.previous_content_hash, latest.seen)
    seen = (*latest.seen, digest)[-KEPT_HASHES:]
    return Revision(latest.number + 1, digest, latest.content_hash, seen)


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


__all__ = ["Revision", "next_revision", "unique_id_runs"]
