"""What `subscribe` shows and filters: entity filters match names the way a reader means them."""

from __future__ import annotations

from datetime import UTC

import pytest
from wirestream.client.filters import entity_matches
from wirestream.contracts import EnrichedArticle, Entity, EntityMention

MACRON = Entity(name="Emmanuel Macron", label="PERSON", count=2,
                mentions=[EntityMention(start=0, end=15, text="Emmanuel Macron"), EntityMention(start=40, end=46, text="Macron")])
AMIR = Entity(name="Hossein Amir-Abdollahian", label="PERSON", count=1,
              mentions=[EntityMention(start=0, end=24, text="Hossein Amir-Abdollahian")])


@pytest.mark.parametrize(("entity", "query", "expected"), [
    (MACRON, "Emmanuel Macron", True),
    (MACRON, "macron", True),
    (MACRON, "MACRON", True),
    (MACRON, "Emmanuel", True),
    (MACRON, "Mac", False),
    (MACRON, "Macron Emmanuel", False),
    (AMIR, "Abdollahian", True),
    (AMIR, "amir-abdollahian", True),
    (AMIR, "Hossein Amir", True),
    (AMIR, "", False),
], ids=["the full name", "a surname in lower case", "a surname in capitals", "a first name", "part of a word",
        "words in another order", "part of a hyphenated name", "a hyphenated name", "leading words", "nothing"])
def test_an_entity_matches_its_name_or_any_run_of_whole_words_of_it(entity: Entity, query: str, expected: bool) -> None:
    assert entity_matches(entity, query) is expected


def _article(**fields: object) -> EnrichedArticle:
    from datetime import datetime

    from wirestream.contracts import Language

    base: dict[str, object] = dict(id="a", received_at=datetime(2026, 11, 26, tzinfo=UTC), text="x",
                                   body_start=0, content_hash="h", language=Language(code="en", confidence=1.0),
                                   dateline=None, entities=[], entities_status="ok",
                                   enrichment={"pipeline_version": "0", "models": {"language": "l", "entities": None},
                                               "processed_at": datetime(2026, 11, 26, tzinfo=UTC)})
    base.update(fields)
    return EnrichedArticle.model_validate(base)


PARIS = {"geonames_id": 2988507, "name": "Paris", "kind": "city", "country_code": "FR", "latitude": 48.85341,
         "longitude": 2.3488, "population": 2138551, "mentions": 2}


def test_country_and_near_filters_read_the_dateline_and_the_places_named() -> None:
    from wirestream.client.filters import matches

    article = _article(places=[PARIS])
    assert matches(article, None, "fr", None) and not matches(article, None, "DE", None)
    assert matches(article, None, None, None, near=(48.80, 2.30, 20))  # Paris is ~7 km away
    assert not matches(article, None, None, None, near=(52.52, 13.40, 500))  # Berlin is ~880 km away
    assert not matches(_article(), None, "FR", None, near=None)


def test_the_label_filter_reads_the_coarse_label_and_the_fine_type() -> None:
    from wirestream.client.filters import matches

    paris = Entity(name="Paris", label="PLACE", type="GPE", count=1, mentions=[EntityMention(start=0, end=5, text="Paris")])
    article = _article(entities=[MACRON, paris])
    assert matches(article, None, None, None, label="place") and matches(article, None, None, None, label="GPE")
    assert not matches(article, None, None, None, label="ORG")
    assert matches(article, None, None, "Macron", label="PERSON")
    assert not matches(article, None, None, "Macron", label="PLACE")  # the entity itself must have the label


def test_story_filters_keep_first_articles_and_leave_out_copies() -> None:
    from datetime import datetime

    from wirestream.client.filters import matches

    first_seen = datetime(2026, 11, 26, tzinfo=UTC)
    story = {"id": "s-1", "first_article_id": "a", "first_seen_at": first_seen, "size": 1}
    original = _article(story=story)
    follower = _article(id="b", story={**story, "size": 2, "similarity": 0.5, "closest_article_id": "a"})
    copy = _article(id="c", story={**story, "size": 3, "similarity": 0.9, "closest_article_id": "a",
                                   "duplicate_of": "a"})
    unknown = _article(id="d")  # no stories stage ran
    assert [a.id for a in (original, follower, copy, unknown) if matches(a, None, None, None, new_stories=True)] == \
        ["a", "d"]
    assert [a.id for a in (original, follower, copy, unknown) if matches(a, None, None, None, no_duplicates=True)] == \
        ["a", "b", "d"]
