"""Records as one readable line each: for `subscribe`, `run` and the newsroom page."""

from __future__ import annotations

from wirestream.contracts import EnrichedArticle, Rejection

TOP_ENTITIES = 5


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
    if article.entities_status in ("ok", "places_only"):
        shown = "; ".join(f"{e.label} {e.name} x{e.count}" for e in article.entities[:TOP_ENTITIES])
        entities = shown or "no entities"
    else:
        entities = f"entities: {article.entities_status}"
    return f"{article.id:<24} {language:<8} {dateline_summary(article):<32} | {entities}"


def summarize_rejection(rejection: Rejection) -> str:
    return f"REJECTED {rejection.article_id or '-':<15} {rejection.stage}/{rejection.reason}: {rejection.error}"
