"""The newsroom page's state, pure: cards, the last hour's top entities and stories, the map."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from wirestream.contracts import EnrichedArticle
from wirestream.enrich.outputs import make_rejection
from wirestream.errors import EmptyText
from wirestream.settings import Settings
from wirestream.web.state import Newsroom, card
from wirestream.web.world_map import land_path

T0 = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


PARIS = {"geonames_id": 2988507, "name": "Paris", "kind": "city", "country_code": "FR", "latitude": 48.85341,
         "longitude": 2.3488, "population": 2138551, "mentions": 1}


def article(article_id: str, names: list[str], story: str | None = None, *, title: str | None = None,
            copy_of: str | None = None) -> EnrichedArticle:
    entities = [{"name": name, "label": "PERSON", "count": 1, "mentions": []} for name in names]
    return EnrichedArticle.model_validate({
        "id": article_id, "title": title, "received_at": T0, "text": "Body of the story.", "body_start": 0,
        "content_hash": "h", "language": {"code": "en", "confidence": 0.99}, "dateline": None,
        "entities": entities, "places": [PARIS], "entities_status": "ok",
        "enrichment": {"pipeline_version": "0", "models": {"language": "l", "entities": None}, "processed_at": T0},
        "story": None if story is None else {"id": story, "first_article_id": copy_of or article_id,
                                             "first_seen_at": T0, "size": 2 if copy_of else 1, "duplicate_of": copy_of},
    })


def test_a_card_carries_what_the_page_shows_and_markup_stays_a_string() -> None:
    shown = card(article("a1", ["Abbas Araghchi"], "s-1", title="<script>alert(1)</script>"))
    assert shown["title"] == "<script>alert(1)</script>"  # escaped by the page, which writes text only
    assert shown["countries"] == ["FR"] and shown["points"] == [{"name": "Paris", "lat": 48.85341, "lon": 2.3488}]
    assert shown["entities"] == [{"name": "Abbas Araghchi", "label": "PERSON"}]
    assert shown["story"]["id"] == "s-1" and shown["story"]["duplicate_of"] is None
    assert card(article("a2", []))["title"] == "Body of the story."  # no title: the body's start


def test_the_last_hour_counts_entities_and_stories_and_forgets_older_minutes() -> None:
    newsroom = Newsroom()
    newsroom.add(article("a1", ["Macron", "Scholz"], "s-1", title="Summit"), T0)
    newsroom.add(article("a2", ["Macron"], "s-1", copy_of="a1"), T0 + timedelta(minutes=10))
    newsroom.add(make_rejection(EmptyText("empty"), "ingest", b" ", None, T0, None, Settings().limits), T0)
    top = newsroom.top(T0 + timedelta(minutes=30))
    assert top["entities"][0] == {"name": "Macron", "label": "PERSON", "articles": 2}
    assert top["stories"] == [{"id": "s-1", "title": "Summit", "articles": 2}]
    snapshot = newsroom.snapshot(T0 + timedelta(minutes=30))
    assert [c["id"] for c in snapshot["articles"]] == ["a1", "a2"]
    assert snapshot["counts"] == {"enriched": 2, "rejected": 1}
    later = newsroom.top(T0 + timedelta(minutes=65))  # a1's minute is over an hour old
    assert later["entities"] == [{"name": "Macron", "label": "PERSON", "articles": 1}]
    assert newsroom.top(T0 + timedelta(hours=2)) == {"entities": [], "stories": []}


def test_the_map_is_drawn_from_topojson_and_does_not_cross_the_antimeridian() -> None:
    # Two arcs of one ring, the second walked backwards (~1), quantised and delta-encoded.
    topology = {"transform": {"scale": [1, 1], "translate": [-180, -90]},
                "arcs": [[[10, 100], [5, 0]], [[10, 100], [0, -10], [5, 0], [0, 10]]],
                "objects": {"land": {"type": "GeometryCollection",
                                     "geometries": [{"type": "Polygon", "arcs": [[0, ~1]]}]}}}
    assert land_path(topology) == "M10,80L15,80L15,90L10,90L10,80Z"
    across = {"transform": {"scale": [1, 1], "translate": [-180, 0]}, "arcs": [[[1, 10], [357, 0], [-357, 5]]],
              "objects": {"land": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]]}]}}}
    assert land_path(across) == "M1,80M358,80M1,75Z"
