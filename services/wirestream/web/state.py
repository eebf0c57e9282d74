"""What the newsroom page holds and shows, kept from the enriched stream: pure, no Kafka, no server.

Consumes `EnrichedArticle`s and `Rejection`s as they arrive (from the start or live, in any order
across partitions); produces what the page asks for:

- one entry per article id, its latest revision (earlier ones listed), newest first by the time
  wirestream received it, whatever order the records came in;
- near-identical copies folded under their original (a count on its card, listed in its detail),
  unless the original is not held;
- a page of cards at a time for any filter (language, country, entity, story, place, free text
  over title and text) with the true count of what matches;
- one article's whole record for the detail view, with the other articles of its story;
- the places of the matching articles for the map (each place once per article), and the last
  hour's entities and stories of the matching articles;
- the latest rejections with their reason and time.

The newest `keep` articles and `keep_rejections` rejections are held; older ones are let go, so
the server's memory is bounded, and the browser only ever holds the page it shows.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from wirestream.client.display import dateline_summary
from wirestream.client.filters import countries_of, entity_matches
from wirestream.contracts import EnrichedArticle, Rejection

KEEP = 5_000  # articles held (their latest revision each)
KEEP_REJECTIONS = 500
PAGE = 50  # cards per page
TOP_ENTITIES = 5  # per card
TOP_LISTS = 10  # entities and stories of the last hour
SNIPPET = 240  # characters of the body on a card
HOUR = timedelta(hours=1)


def folded(text: str) -> str:
    """Text as search compares it: no case, no accents ("Sao Paulo" finds "São Paulo")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Query:
    """What the page filters on; every field left empty lets every article through."""

    lang: str = ""
    country: str = ""  # ISO 3166 alpha-2: the dateline's or a place named
    entity: str = ""  # a name or a run of whole words of it
    story: str = ""  # "new": first of each story; "originals": no copies; else a story id
    place: int | None = None  # a GeoNames id: the articles that name it or are datelined there
    text: str = ""  # free text: every word in the title or the text, any case or accent
    copies: bool = False  # list copies on their own instead of folding them under their original

    @classmethod
    def of(cls, params: dict[str, str]) -> Query:
        place = params.get("place", "")
        return cls(lang=params.get("lang", "").strip().lower(), country=params.get("country", "").strip().upper(),
                   entity=params.get("entity", "").strip(), story=params.get("story", "").strip(),
                   place=int(place) if place.isdigit() else None, text=params.get("q", "").strip(),
                   copies=params.get("copies", "") in ("1", "true", "on"))

    def matches(self, held: Held) -> bool:
        article = held.article
        if self.lang and article.language.code != self.lang:
            return False
        if self.country and self.country not in countries_of(article):
            return False
        if self.entity and not any(entity_matches(e, self.entity) for e in article.entities):
            return False
        story = article.story
        if self.story == "new" and story is not None and story.first_article_id != article.id:
            return False
        if self.story == "originals" and story is not None and story.duplicate_of is not None:
            return False
        if self.story not in ("", "new", "originals") and (story is None or story.id != self.story):
            return False
        if self.place is not None and self.place not in held.place_ids:
            return False
        if self.text and not all(word in held.searchable for word in folded(self.text).split()):
            return False
        return True


@dataclass
class Held:
    """One article id: its latest revision and what the page shows of the others."""

    article: EnrichedArticle
    earlier: list[dict[str, Any]] = field(default_factory=list)  # earlier revisions, the latest last
    searchable: str = ""
    place_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, article: EnrichedArticle) -> Held:
        return cls(article, searchable=folded(f"{article.title or ''}\n{article.text}"),
                   place_ids=frozenset(p.geonames_id for p in article.places))

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return self.article.received_at, self.article.id


def _revision(article: EnrichedArticle) -> dict[str, Any]:
    return {"revision": article.revision, "received_at": article.received_at.isoformat(),
            "title": article.title, "content_hash": article.content_hash, "text": article.text}


def _lead(body: str, limit: int = 120) -> str:
    """An untitled article's start, cut at a word."""
    line = body.strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def _snippet(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= SNIPPET else flat[:SNIPPET].rsplit(" ", 1)[0] + "…"


def card(held: Held, copies: int = 0) -> dict[str, Any]:
    """What a card shows; every string is shown as text, never as markup."""
    article = held.article
    story = article.story
    byline = article.dateline.byline if article.dateline is not None else None
    return {
        "id": article.id,
        "title": article.title or _lead(article.body),
        "snippet": _snippet(article.body),
        "language": article.language.code,
        "dateline": dateline_summary(article),
        "byline": byline.name if byline is not None else None,
        "source": article.source,
        "url": article.url,
        "received_at": article.received_at.isoformat(),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "entities": [{"name": e.name, "label": e.label} for e in article.entities[:TOP_ENTITIES]],
        "places": [p.name for p in article.places],
        "story": None if story is None else {"id": story.id, "size": story.size, "duplicate_of": story.duplicate_of,
                                             "first_article_id": story.first_article_id},
        "revision": article.revision,
        "revisions": len(held.earlier) + 1,
        "copies": copies,
    }


class Newsroom:
    """The held articles and rejections, and the answers the page asks for."""

    def __init__(self, keep: int = KEEP, keep_rejections: int = KEEP_REJECTIONS) -> None:
        self._keep = keep
        self._held: dict[str, Held] = {}
        self._order: list[tuple[datetime, str]] = []  # (received_at, id) of every held article, oldest first
        self._rejections: deque[dict[str, Any]] = deque(maxlen=keep_rejections)
        self._copies: dict[str, list[str]] = {}  # original id -> ids of its near-identical copies, in arrival order
        self.records = 0  # enriched records read (revisions and redeliveries included)
        self.rejected = 0

    def __len__(self) -> int:
        return len(self._held)

    # -- taking records in -------------------------------------------------------------------

    def add(self, record: EnrichedArticle | Rejection) -> str | None:
        """Take one record in; returns the id of the article it changed (None for a rejection)."""
        if isinstance(record, Rejection):
            self.rejected += 1
            self._rejections.appendleft({
                "reason": record.reason, "stage": record.stage, "error": record.error,
                "received_at": record.received_at.isoformat(), "article_id": record.article_id, "key": record.key})
            return None
        self.records += 1
        held = self._held.get(record.id)
        if held is not None:
            if record.revision < held.article.revision or record.content_hash == held.article.content_hash:
                return None  # an earlier revision read late, or a redelivery: nothing new to show
            self._unorder(held)
            replaced = Held.of(record)
            replaced.earlier = [*held.earlier, _revision(held.article)][-10:]
            held = replaced
        else:
            held = Held.of(record)
        self._held[record.id] = held
        bisect.insort(self._order, held.sort_key)
        original = record.story.duplicate_of if record.story is not None else None
        if original is not None and record.id not in self._copies.setdefault(original, []):
            self._copies[original].append(record.id)  # the original may come later, or never
        while len(self._held) > self._keep:
            self._forget(self._order[0][1])
        return record.id

    def _unorder(self, held: Held) -> None:
        index = bisect.bisect_left(self._order, held.sort_key)
        if index < len(self._order) and self._order[index] == held.sort_key:
            del self._order[index]

    def _forget(self, article_id: str) -> None:
        held = self._held.pop(article_id)
        self._unorder(held)
        self._copies.pop(article_id, None)

    def _copies_held(self, article_id: str) -> list[str]:
        return [i for i in self._copies.get(article_id, ()) if i in self._held]

    def _card(self, held: Held) -> dict[str, Any]:
        return card(held, len(self._copies_held(held.article.id)))

    # -- answers -----------------------------------------------------------------------------

    def _listed(self, query: Query) -> Iterable[Held]:
        """The held articles `query` matches, newest first; copies folded under a held original."""
        for _, article_id in reversed(self._order):
            held = self._held[article_id]
            story = held.article.story
            if not query.copies and story is not None and story.duplicate_of in self._held:
                continue
            if query.matches(held):
                yield held

    def page(self, query: Query, number: int = 1, size: int = PAGE) -> dict[str, Any]:
        """One page of cards, newest first, and how many match in all."""
        matching = list(self._listed(query))
        pages = max(1, -(-len(matching) // size))
        number = min(max(1, number), pages)
        start = (number - 1) * size
        folded_copies = 0 if query.copies else sum(
            1 for held in self._held.values()
            if held.article.story is not None and held.article.story.duplicate_of in self._held)
        return {"total": len(matching), "held": len(self._held), "folded": folded_copies,
                "filtered": query != Query() and query != Query(copies=True), "page": number, "pages": pages,
                "size": size, "cards": [self._card(held) for held in matching[start:start + size]]}

    def detail(self, article_id: str) -> dict[str, Any] | None:
        """Everything of one article, for the detail view."""
        held = self._held.get(article_id)
        if held is None:
            return None
        article = held.article
        story = article.story
        siblings = []
        if story is not None:
            siblings = [self._card(other) for other in self._held.values()
                        if other.article.story is not None and other.article.story.id == story.id
                        and other.article.id != article.id]
            siblings.sort(key=lambda c: c["received_at"])
        return {
            "card": self._card(held),
            "article": article.model_dump(mode="json"),
            "revisions": held.earlier,
            "copies": [self._card(self._held[i]) for i in self._copies_held(article_id)],
            "story": siblings,
        }

    def places(self, query: Query) -> list[dict[str, Any]]:
        """The map: each place the matching articles name or are datelined at, with the number of
        articles (an article counts once for a place, however often it names it)."""
        counted: Counter[int] = Counter()
        where: dict[int, dict[str, Any]] = {}
        for held in self._listed(query):
            for place in held.article.places:
                counted[place.geonames_id] += 1
                where.setdefault(place.geonames_id, {"id": place.geonames_id, "name": place.name,
                                                     "lat": place.latitude, "lon": place.longitude,
                                                     "kind": place.kind})
        return [{**where[i], "articles": n} for i, n in counted.most_common()]

    def top(self, query: Query, at: datetime) -> dict[str, Any]:
        """The last hour's most named entities and largest stories, among the matching articles."""
        entities: Counter[tuple[str, str]] = Counter()
        stories: Counter[str] = Counter()
        titles: dict[str, str] = {}
        since = at - HOUR
        for held in self._listed(Query(**{**query.__dict__, "copies": True})):
            article = held.article
            if article.received_at < since:
                continue
            for entity in article.entities:
                entities[(entity.name, entity.label)] += 1
            if article.story is not None:
                stories[article.story.id] += 1
                if article.id == article.story.first_article_id or article.story.id not in titles:
                    titles[article.story.id] = article.title or _lead(article.body)  # its first article's
        return {
            "entities": [{"name": name, "label": label, "articles": count}
                         for (name, label), count in entities.most_common(TOP_LISTS)],
            "stories": [{"id": story_id, "title": titles.get(story_id, ""), "articles": count}
                        for story_id, count in stories.most_common(TOP_LISTS)],
        }

    def languages(self) -> list[str]:
        return sorted({held.article.language.code for held in self._held.values()})

    def rejections(self, number: int = 1, size: int = PAGE) -> dict[str, Any]:
        listed = list(self._rejections)
        pages = max(1, -(-len(listed) // size))
        number = min(max(1, number), pages)
        start = (number - 1) * size
        return {"total": self.rejected, "held": len(listed), "page": number, "pages": pages,
                "rejections": listed[start:start + size]}

    def counts(self) -> dict[str, int]:
        return {"articles": len(self._held), "records": self.records, "rejected": self.rejected}
