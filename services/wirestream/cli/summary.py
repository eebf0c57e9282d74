"""One readable line per enriched article, for `subscribe` and `run`."""

from __future__ import annotations

import re

from wirestream.contracts import EnrichedArticle, Entity, Rejection

TOP_ENTITIES = 5
_WORD = re.compile(r"\w+")


def dateline_summary(article: EnrichedArticle) -> str:
    dateline = article.dateline
    if dateline is None:
        return "no dateline"
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


def matches(article: EnrichedArticle, lang: str | None, country: str | None, entity: str | None) -> bool:
    if lang and article.language.code != lang.lower():
        return False
    if country and (article.dateline is None or (article.dateline.country_code or "").upper() != country.upper()):
        return False
    if entity and not any(entity_matches(e, entity) for e in article.entities):
        return False
    return True
