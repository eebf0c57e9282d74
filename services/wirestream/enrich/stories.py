"""Stories: which earlier article a new one copies, and which story it belongs to.

An article's fingerprint (`fingerprints.py`) is cut into LSH bands; articles that share a band
are candidates, and the closest candidate by estimated similarity decides: at or above
`duplicate_threshold` the article is a near-identical copy (`duplicate_of`) and joins that
article's story; at or above `story_threshold` it joins the story; below, it opens a story of its
own. The same id with the same text (a redelivery) gets its first answer again and is not
counted twice; the same id with a changed text (a revision) stays in its story.

`StoryIndex` keeps everything in memory for `window` seconds after an article was seen: the
offline `wirestream enrich` uses it as it is. A stream processor keeps the same state in a
table: with `track_changes`, `changes()` hands over the records of the articles and stories that
changed (None for those forgotten), and `restore()` rebuilds the index from them; the LSH bands
are never stored, they follow from the fingerprints.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Iterator

from wirestream.defaults import (
    DUPLICATE_THRESHOLD,
    KEY_TERM_THRESHOLD,
    STORY_THRESHOLD,
    STORY_WINDOW_SECONDS,
)
from wirestream.enrich.boilerplate import boilerplate_ranges
from wirestream.enrich.fingerprints import Fingerprint, WordHashes, similarities_to
from wirestream.enrich.fingerprints import fingerprint as fingerprint_of

# The thresholds (wirestream.defaults) were chosen on eval/story_set.py's stream (seed 20261126)
# and checked on another seed (README, Stories): a template sibling can reach a similarity of
# 0.62, but it disagrees on numbers and names; copies agree on them.
BAND_ROWS = 3  # 42 bands of 3: a pair at similarity 0.45 is a candidate with p = 0.98, at 0.6 with 1.0

# '(AFP) - ' before the text (the dateline parser takes a credit only before a place).
_LEADING_CREDIT = re.compile(r"\s*\((?:[A-Z][\w.]{1,11}|dpa|ap)\)\s*[-–—]\s*")


@dataclass(frozen=True)
class StoryAssignment:
    """Where an article stands among the articles seen before it."""

    story_id: str
    first_article_id: str
    first_seen_at: datetime
    size: int  # articles in the story so far, this one included (revisions and redeliveries not again)
    similarity: float | None  # to the closest earlier article; None when none was a candidate
    closest_article_id: str | None
    duplicate_of: str | None  # the earlier article this one is a near-identical copy of


@dataclass
class _Article:
    fingerprint: Fingerprint
    content_hash: str
    story_id: str
    seen_at: datetime
    assignment: StoryAssignment


@dataclass
class _Story:
    first_article_id: str
    first_seen_at: datetime
    size: int = 0
    live: int = 0  # of its articles, those still in the window


@dataclass
class StoryIndex:
    window: timedelta = timedelta(seconds=STORY_WINDOW_SECONDS)
    duplicate_threshold: float = DUPLICATE_THRESHOLD
    story_threshold: float = STORY_THRESHOLD
    key_term_threshold: float = KEY_TERM_THRESHOLD
    band_rows: int = BAND_ROWS
    _articles: dict[str, _Article] = field(default_factory=dict)
    _stories: dict[str, _Story] = field(default_factory=dict)
    _bands: dict[int, str | list[str]] = field(default_factory=dict)
    _order: deque[tuple[datetime, str]] = field(default_factory=deque)
    track_changes: bool = False
    _changed_articles: set[str] = field(default_factory=set)
    _changed_stories: set[str] = field(default_factory=set)
    _word_hashes: WordHashes = field(default_factory=WordHashes)

    def __len__(self) -> int:
        return len(self._articles)

    def fingerprint(self, body: str) -> Fingerprint:
        """The fingerprint of a normalised body, with this index's memory of word hashes."""
        return fingerprint_of(body, self._word_hashes)

    def knows(self, article_id: str) -> bool:
        return article_id in self._articles

    def assign(self, article_id: str, content_hash: str, fingerprint: Fingerprint,
               seen_at: datetime) -> StoryAssignment:
        self._expire(seen_at)
        known = self._articles.get(article_id)
        if known is not None:
            if known.content_hash != content_hash:  # a revision: same story, found by its newer text
                known.content_hash = content_hash
                self._unindex(article_id)
                self._index(article_id, fingerprint)
                self._changed(article_id, None)
            story = self._stories[known.story_id]
            return replace(known.assignment, size=story.size)

        closest, similarity, agreement = self._closest(article_id, fingerprint)
        duplicate_of: str | None = None
        if closest is not None and similarity >= self.story_threshold and agreement >= self.key_term_threshold:
            story_id = self._articles[closest].story_id
            if similarity >= self.duplicate_threshold:
                duplicate_of = self._articles[closest].assignment.duplicate_of or closest
        else:
            story_id = story_id_for(article_id)
            self._stories[story_id] = _Story(article_id, seen_at)
        story = self._stories[story_id]
        story.size += 1
        story.live += 1
        assignment = StoryAssignment(story_id, story.first_article_id, story.first_seen_at, story.size,
                                     similarity if closest is not None else None, closest, duplicate_of)
        self._articles[article_id] = _Article(fingerprint, content_hash, story_id, seen_at, assignment)
        self._index(article_id, fingerprint)
        self._order.append((seen_at, article_id))
        self._changed(article_id, story_id)
        return assignment

    def _changed(self, article_id: str | None, story_id: str | None) -> None:
        if self.track_changes:
            if article_id is not None:
                self._changed_articles.add(article_id)
            if story_id is not None:
                self._changed_stories.add(story_id)

    def changes(self) -> tuple[dict[str, dict[str, Any] | None], dict[str, dict[str, Any] | None]]:
        """The records of the articles and stories changed since the last call (None: forgotten)."""
        articles = {article_id: _article_record(self._articles[article_id]) if article_id in self._articles else None
                    for article_id in sorted(self._changed_articles)}
        stories = {story_id: _story_record(self._stories[story_id]) if story_id in self._stories else None
                   for story_id in sorted(self._changed_stories)}
        self._changed_articles.clear()
        self._changed_stories.clear()
        return articles, stories

    def restore(self, articles: Iterable[tuple[str, dict[str, Any]]],
                stories: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Replace the index's state by `changes()` records (the bands follow from the fingerprints).
        A story whose record is missing is rebuilt from its articles; one left without articles goes."""
        for _ in self.restoring(articles, stories):
            pass

    def restoring(self, articles: Iterable[tuple[str, dict[str, Any]]],
                  stories: Iterable[tuple[str, dict[str, Any]]], every: int = 5_000) -> Iterator[int]:
        """`restore`, a step at a time: yields the articles done after every `every` of them, so
        that a caller on an event loop can let the rest of the process run between steps."""
        self._articles.clear()
        self._stories.clear()
        self._bands.clear()
        self._order.clear()
        self._changed_articles.clear()
        self._changed_stories.clear()
        loaded = {story_id: _story_from(record) for story_id, record in stories}
        parsed = []
        for article_id, record in articles:
            parsed.append((article_id, _article_from(record)))
            if len(parsed) % every == 0:
                yield 0
        parsed.sort(key=lambda pair: (pair[1].seen_at, pair[0]))
        for done, (article_id, article) in enumerate(parsed, 1):
            self._articles[article_id] = article
            self._index(article_id, article.fingerprint)
            self._order.append((article.seen_at, article_id))
            story = loaded.get(article.story_id)
            if story is None:
                first = article.assignment
                story = loaded[article.story_id] = _Story(first.first_article_id, first.first_seen_at, first.size)
            story.size = max(story.size, article.assignment.size)
            story.live += 1
            if done % every == 0:
                yield done
        self._stories.update((story_id, story) for story_id, story in loaded.items() if story.live)
        yield len(parsed)

    def _closest(self, article_id: str, fingerprint: Fingerprint) -> tuple[str | None, float, float]:
        """The earlier article most like this one: its id, the Jaccard estimate and the key-term
        agreement (None, 0, 0 when no band is shared)."""
        candidates: set[str] = set()
        for key in fingerprint.bands(self.band_rows):
            members = self._bands.get(key)
            if isinstance(members, str):
                candidates.add(members)
            elif members:
                candidates.update(members)
        candidates.discard(article_id)
        if not candidates:
            return None, 0.0, 0.0
        ordered = sorted(candidates)
        similarities = similarities_to(fingerprint, [self._articles[c].fingerprint for c in ordered])
        # The best by similarity × agreement, the first id among equals (the same in every run).
        # Agreement is at most 1, so a candidate less similar than the best product cannot win.
        best: tuple[float, str | None, float, float] = (-1.0, None, 0.0, 0.0)
        for similarity, candidate in sorted(zip(similarities, ordered), key=lambda pair: (-pair[0], pair[1])):
            if similarity < best[0]:
                break
            agreement = self._articles[candidate].fingerprint.key_term_agreement(fingerprint)
            score = similarity * agreement
            if score > best[0] or (score == best[0] and best[1] is not None and candidate < best[1]):
                best = (score, candidate, similarity, agreement)
        return best[1], best[2], best[3]

    def _unindex(self, article_id: str) -> None:
        for key in self._articles[article_id].fingerprint.bands(self.band_rows):
            members = self._bands.get(key)
            if members == article_id:
                del self._bands[key]
            elif isinstance(members, list) and article_id in members:
                members.remove(article_id)
                if len(members) == 1:
                    self._bands[key] = members[0]

    def _index(self, article_id: str, fingerprint: Fingerprint) -> None:
        self._articles[article_id].fingerprint = fingerprint
        for key in fingerprint.bands(self.band_rows):
            # Most bands hold one article: a bare id then, a list only when shared.
            members = self._bands.get(key)
            if members is None:
                self._bands[key] = article_id
            elif isinstance(members, str):
                if members != article_id:
                    self._bands[key] = [members, article_id]
            elif article_id not in members:
                members.append(article_id)

    def _expire(self, now: datetime) -> None:
        """Forget articles (and stories left empty of them) seen more than `window` before `now`."""
        while self._order and self._order[0][0] < now - self.window:
            _, article_id = self._order.popleft()
            if article_id not in self._articles:
                continue
            self._unindex(article_id)
            article = self._articles.pop(article_id)
            story = self._stories[article.story_id]
            story.live -= 1
            if story.live == 0:
                del self._stories[article.story_id]
            self._changed(article_id, article.story_id)


def _article_record(article: _Article) -> dict[str, Any]:
    found = article.assignment
    return {
        "fingerprint": base64.b64encode(article.fingerprint.values).decode(),
        "key_terms": sorted(article.fingerprint.key_terms),
        "content_hash": article.content_hash,
        "story_id": article.story_id,
        "seen_at": article.seen_at.isoformat(),
        "first_article_id": found.first_article_id,
        "first_seen_at": found.first_seen_at.isoformat(),
        "size": found.size,
        "similarity": found.similarity,
        "closest_article_id": found.closest_article_id,
        "duplicate_of": found.duplicate_of,
    }


def _article_from(record: dict[str, Any]) -> _Article:
    fingerprint = Fingerprint(base64.b64decode(record["fingerprint"]), frozenset(record["key_terms"]))
    assignment = StoryAssignment(record["story_id"], record["first_article_id"],
                                 datetime.fromisoformat(record["first_seen_at"]), record["size"],
                                 record["similarity"], record["closest_article_id"], record["duplicate_of"])
    return _Article(fingerprint, record["content_hash"], record["story_id"], datetime.fromisoformat(record["seen_at"]),
                    assignment)


def _story_record(story: _Story) -> dict[str, Any]:
    return {"first_article_id": story.first_article_id, "first_seen_at": story.first_seen_at.isoformat(),
            "size": story.size}


def _story_from(record: dict[str, Any]) -> _Story:
    return _Story(record["first_article_id"], datetime.fromisoformat(record["first_seen_at"]), record["size"])


def story_id_for(first_article_id: str) -> str:
    """A story's id: stable, derived from its first article's id."""
    return "s-" + hashlib.sha256(first_article_id.encode()).hexdigest()[:16]


def comparable_body(text: str, body_start: int) -> str:
    """What copies are compared by: the body after the dateline, credit and byline (which end at
    `body_start`; an agency credit the dateline parser left goes too), without site boilerplate."""
    body = text[body_start:]
    while (lead := _LEADING_CREDIT.match(body)) is not None:
        body = body[lead.end():]
    for start, end in reversed(boilerplate_ranges(body)):
        body = body[:start] + body[end:]
    return body
