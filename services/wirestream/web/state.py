"""What the newsroom page shows, kept from the enriched stream: pure, no Kafka, no web server.

Each article becomes a compact card (title, language, dateline, top entities, story, points on
the map); the page keeps the latest cards, and the last hour's entities and stories are counted
per minute so that older minutes fall away as the hour moves on.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wirestream.client.display import dateline_summary
from wirestream.client.filters import countries_of
from wirestream.contracts import EnrichedArticle, Rejection

RECENT = 300  # cards kept for a page that opens now
TOP_ENTITIES = 5  # per card
TOP_LISTS = 10  # entities and stories of the last hour
HOUR = timedelta(hours=1)


def card(article: EnrichedArticle) -> dict[str, Any]:
    """What the page needs of one article; every string is shown as text, never as markup."""
    points = [{"name": place.name, "lat": place.latitude, "lon": place.longitude} for place in article.places]
    dateline = article.dateline
    if dateline is not None and dateline.latitude is not None and dateline.longitude is not None:
        points.insert(0, {"name": dateline.city or "", "lat": dateline.latitude, "lon": dateline.longitude})
    story = article.story
    return {
        "id": article.id,
        "title": article.title or _lead(article.body),
        "language": article.language.code,
        "dateline": dateline_summary(article),
        "countries": sorted(countries_of(article)),
        "entities": [{"name": e.name, "label": e.label} for e in article.entities[:TOP_ENTITIES]],
        "story": None if story is None else {"id": story.id, "size": story.size, "duplicate_of": story.duplicate_of,
                                             "first_article_id": story.first_article_id},
        "points": points,
        "received_at": article.received_at.isoformat(),
    }


def _lead(body: str, limit: int = 120) -> str:
    """An untitled article's start, cut at a word."""
    line = body.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


@dataclass
class _Minute:
    entities: Counter[tuple[str, str]] = field(default_factory=Counter)  # (name, label) -> articles
    stories: Counter[str] = field(default_factory=Counter)  # story id -> articles


@dataclass
class Newsroom:
    recent: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=RECENT))
    rejected: int = 0
    enriched: int = 0
    _minutes: dict[datetime, _Minute] = field(default_factory=dict)
    _story_titles: dict[str, str] = field(default_factory=dict)

    def add(self, record: EnrichedArticle | Rejection, at: datetime) -> dict[str, Any] | None:
        """Take one record in; returns the article's card (None for a rejection)."""
        if isinstance(record, Rejection):
            self.rejected += 1
            return None
        self.enriched += 1
        shown = card(record)
        self.recent.append(shown)
        minute = self._minutes.setdefault(at.replace(second=0, microsecond=0), _Minute())
        for entity in record.entities:
            minute.entities[(entity.name, entity.label)] += 1
        if record.story is not None:
            minute.stories[record.story.id] += 1
            self._story_titles.setdefault(record.story.id, shown["title"])
        self._forget(at)
        return shown

    def _forget(self, at: datetime) -> None:
        for start in [start for start in self._minutes if start <= at - HOUR]:
            del self._minutes[start]

    def top(self, at: datetime) -> dict[str, Any]:
        """The last hour's most named entities and largest stories."""
        self._forget(at)
        entities: Counter[tuple[str, str]] = Counter()
        stories: Counter[str] = Counter()
        for minute in self._minutes.values():
            entities.update(minute.entities)
            stories.update(minute.stories)
        live = set(stories)
        self._story_titles = {story_id: title for story_id, title in self._story_titles.items() if story_id in live}
        return {
            "entities": [{"name": name, "label": label, "articles": count}
                         for (name, label), count in entities.most_common(TOP_LISTS)],
            "stories": [{"id": story_id, "title": self._story_titles.get(story_id, ""), "articles": count}
                        for story_id, count in stories.most_common(TOP_LISTS)],
        }

    def snapshot(self, at: datetime) -> dict[str, Any]:
        return {"articles": list(self.recent), "top": self.top(at),
                "counts": {"enriched": self.enriched, "rejected": self.rejected}}
