"""Stories: which earlier article a new one copies, and which story it belongs to.

An article's fingerprint (`fingerprints.py`) is cut into LSH bands; articles that share a band
are candidates, and the closest candidate by estimated similarity decides: at or above
`duplicate_threshold` the article is a near-identical copy (`duplicate_of`) and joins that
article's story; at or above `story_threshold` it joins the story; below, it opens a story of its
own. The same id with the same text (a redelivery) gets its first answer again and is not
counted twice; the same id with a changed text (a revision) stays in its story.

`StoryIndex` keeps everything in memory for `window` seconds after an article was seen: the
offline `wirestream enrich` uses it as it is. What it stores per article and per band is small
and keyed, so a stream processor can keep the same state in its tables.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from wirestream.enrich.boilerplate import boilerplate_ranges
from wirestream.enrich.fingerprints import Fingerprint

# Chosen on eval/story_set.py's stream (seed 20261126) and checked on another seed (README,
# Stories): a template sibling can reach a similarity of 0.62, but it disagrees on numbers and
# names; copies agree on them.
DUPLICATE_THRESHOLD = 0.6
STORY_THRESHOLD = 0.45
KEY_TERM_THRESHOLD = 0.8
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
    window: timedelta = timedelta(hours=72)
    duplicate_threshold: float = DUPLICATE_THRESHOLD
    story_threshold: float = STORY_THRESHOLD
    key_term_threshold: float = KEY_TERM_THRESHOLD
    band_rows: int = BAND_ROWS
    _articles: dict[str, _Article] = field(default_factory=dict)
    _stories: dict[str, _Story] = field(default_factory=dict)
    _bands: dict[int, str | list[str]] = field(default_factory=dict)
    _order: deque[tuple[datetime, str]] = field(default_factory=deque)

    def __len__(self) -> int:
        return len(self._articles)

    def assign(self, article_id: str, content_hash: str, fingerprint: Fingerprint,
               seen_at: datetime) -> StoryAssignment:
        self._expire(seen_at)
        known = self._articles.get(article_id)
        if known is not None:
            if known.content_hash != content_hash:  # a revision: same story, found by its newer text
                known.content_hash = content_hash
                self._unindex(article_id)
                self._index(article_id, fingerprint)
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
        return assignment

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
        best: tuple[float, str | None, float, float] = (-1.0, None, 0.0, 0.0)
        for candidate in sorted(candidates):  # sorted: ties go the same way in every run
            other = self._articles[candidate].fingerprint
            similarity = other.similarity(fingerprint)
            agreement = other.key_term_agreement(fingerprint)
            if similarity * agreement > best[0]:
                best = (similarity * agreement, candidate, similarity, agreement)
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
