"""One readable line per enriched article, for `subscribe` and `run`."""

from __future__ import annotations

import math
import re

from wirestream.contracts import EnrichedArticle, Entity, Rejection

TOP_ENTITIES = 5
_WORD = re.compile(r"\w+")


def dateline_summary(article: EnrichedArticle) -> str:
    dateline = article.dateline
    if dateline is None:
        return "no dateline"
    if dateline.city is None:  # a credit alone, or a source and a date
        where = "no place"
    else:
        place = dateline.city.title() if dateline.city.isupper() else dateline.city
        where = f"{place}, {dateline.country_code}" if dateline.country_code else f"{place}, ??"
    if dateline.agency is not None:
        where += f" ({dateline.agency.code})"
    if dateline.date is not None and dateline.date.iso:
        where += f" {dateline.date.iso}"
    return where


def summarize(article: EnrichedArticle) -> str:
    language = f"{article.language.code} {article.language.confidence:.2f}"
    if article.entities_status == "ok":
        shown = "; ".join(f"{e.label} {e.name} x{e.count}" for e in article.entities[:TOP_ENTITIES])
        entities = shown or "no entities"
    else:
        entities = f"entities: {article.entities_status}"
    return f"{article.id:<24} {language:<8} {dateline_summary(article):<32} | {entities}"


def summarize_rejection(rejection: Rejection) -> str:
    return f"REJECTED {rejection.article_id or '-':<15} {rejection.stage}/{rejection.reason}: {rejection.error}"


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
