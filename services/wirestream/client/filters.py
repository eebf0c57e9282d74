"""Which enriched articles a subscriber wants: language, country, entity, place, label, stories.

One definition for the client, the CLI's `subscribe` and the web page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from wirestream.contracts import EnrichedArticle, Entity

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Filters:
    """Every field left at its default lets every article through."""

    lang: str | None = None  # ISO 639-1 code
    country: str | None = None  # ISO 3166 alpha-2: of the dateline or of a place the article names
    entity: str | None = None  # a name, or a run of whole words of it
    near: tuple[float, float, float] | None = None  # (latitude, longitude, km)
    label: str | None = None  # PERSON, ORG, PLACE, MISC, or a finer type (GPE, NORP, ...)
    new_stories: bool = False  # only the first article of each story
    no_duplicates: bool = False  # leave out near-identical copies

    def matches(self, article: EnrichedArticle) -> bool:
        return matches(article, self.lang, self.country, self.entity, self.near, self.label,
                       new_stories=self.new_stories, no_duplicates=self.no_duplicates)


def _words(name: str) -> list[str]:
    return _WORD.findall(name.casefold())


def entity_matches(entity: Entity, query: str) -> bool:
    """True when `query` is the entity's name, one of its mentions, or a run of whole words of either,
    in any case: 'Macron' and 'emmanuel macron' find 'Emmanuel Macron'; 'Mac' does not."""
    wanted = _words(query)
    if not wanted:
        return False
    for candidate in (entity.name, *(mention.text for mention in entity.mentions)):
        words = _words(candidate)
        if any(words[i : i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)):
            return True
    return False


def countries_of(article: EnrichedArticle) -> set[str]:
    """The article's countries: its dateline's and those of the places it names."""
    found = {place.country_code for place in article.places}
    if article.dateline is not None and article.dateline.country_code:
        found.add(article.dateline.country_code)
    return found


def distance_km(latitude: float, longitude: float, other_latitude: float, other_longitude: float) -> float:
    """Great-circle distance (haversine, on a 6,371 km sphere)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    dphi, dlambda = phi2 - phi1, math.radians(other_longitude - longitude)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def is_near(article: EnrichedArticle, near: tuple[float, float, float]) -> bool:
    """True when the dateline or a place the article names lies within `near` = (lat, lon, km)."""
    latitude, longitude, km = near
    points = [(p.latitude, p.longitude) for p in article.places]
    dateline = article.dateline
    if dateline is not None and dateline.latitude is not None and dateline.longitude is not None:
        points.append((dateline.latitude, dateline.longitude))
    return any(distance_km(latitude, longitude, lat, lon) <= km for lat, lon in points)


def matches(article: EnrichedArticle, lang: str | None, country: str | None, entity: str | None,
            near: tuple[float, float, float] | None = None, label: str | None = None, *,
            new_stories: bool = False, no_duplicates: bool = False) -> bool:
    if lang and article.language.code != lang.lower():
        return False
    if country and country.upper() not in countries_of(article):
        return False
    wanted = label.upper() if label else None
    if (entity or wanted) and not any((not entity or entity_matches(e, entity))
                                      and (not wanted or wanted in (e.label, e.type)) for e in article.entities):
        return False
    if near is not None and not is_near(article, near):
        return False
    # An article without a story (no stories stage ran) is neither known to be a copy nor a follower.
    story = article.story
    if new_stories and story is not None and story.first_article_id != article.id:
        return False
    if no_duplicates and story is not None and story.duplicate_of is not None:
        return False
    return True
