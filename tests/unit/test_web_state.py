"""The newsroom page's state, pure: cards, the last hour's top entities and stories, the map."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wirestream.contracts import EnrichedArticle
from wirestream.enrich.outputs import make_rejection
from wirestream.errors import EmptyText
from wirestream.settings import Settings
from wirestream.web.state import Held, Newsroom, Query, card
from wirestream.web.world_map import land_path

T0 = datetime(2026, 11, 26, 12, tzinfo=UTC)


PARIS = {"geonames_id": 2988507, "name": "Paris", "kind": "city", "country_code": "FR", "latitude": 48.85341,
         "longitude": 2.3488, "population": 2138551, "mentions": 1}


CAIRO = {"geonames_id": 360630, "name": "Cairo", "kind": "city", "country_code": "EG", "latitude": 30.06263,
         "longitude": 31.24967, "population": 9606916, "mentions": 2, "in_dateline": True}


def article(article_id: str, names: list[str], story: str | None = None, *, title: str | None = None,
            copy_of: str | None = None, minutes: float = 0, revision: int = 1, text: str = "Body of the story.",
            places: list[dict[str, object]] | None = None, language: str = "en") -> EnrichedArticle:
    entities = [{"name": name, "label": "PERSON", "count": 1, "mentions": []} for name in names]
    return EnrichedArticle.model_validate({
        "id": article_id, "title": title, "received_at": T0 + timedelta(minutes=minutes), "text": text,
        "body_start": 0, "content_hash": f"h{revision}-{text}", "revision": revision,
        "language": {"code": language, "confidence": 0.99}, "dateline": None,
        "entities": entities, "places": [PARIS] if places is None else places, "entities_status": "ok",
        "enrichment": {"pipeline_version": "0", "models": {"language": "l", "entities": None}, "processed_at": T0},
        "story": None if story is None else {"id": story, "first_article_id": copy_of or article_id,
                                             "first_seen_at": T0, "size": 2 if copy_of else 1, "duplicate_of": copy_of},
    })


def ids(page: dict[str, object]) -> list[str]:
    return [c["id"] for c in page["cards"]]  # type: ignore[index, union-attr]


def test_a_card_carries_what_the_page_shows_and_markup_stays_a_string() -> None:
    shown = card(Held.of(article("a1", ["Abbas Araghchi"], "s-1", title="<script>alert(1)</script>")))
    assert shown["title"] == "<script>alert(1)</script>"  # escaped by the page, which writes text only
    assert shown["entities"] == [{"name": "Abbas Araghchi", "label": "PERSON"}] and shown["places"] == ["Paris"]
    assert shown["story"]["id"] == "s-1" and shown["story"]["duplicate_of"] is None
    assert shown["snippet"] == "Body of the story." and shown["revision"] == 1
    assert card(Held.of(article("a2", [])))["title"] == "Body of the story."  # no title: the body's start


def test_the_newest_come_first_by_time_received_whatever_order_the_records_came_in() -> None:
    newsroom = Newsroom()
    for article_id, minutes in (("b", 5), ("c", 9), ("a", 1), ("d", 7)):  # partitions interleave
        newsroom.add(article(article_id, [], minutes=minutes))
    assert ids(newsroom.page(Query())) == ["c", "d", "b", "a"]


def test_one_card_per_id_shows_its_latest_revision_and_keeps_the_earlier_ones() -> None:
    newsroom = Newsroom()
    newsroom.add(article("p03", [], revision=1, text="First text.", minutes=1))
    newsroom.add(article("p03", [], revision=1, text="First text.", minutes=1))  # a redelivery
    newsroom.add(article("p03", [], revision=2, text="Corrected text.", minutes=5))
    newsroom.add(article("p03", [], revision=1, text="First text.", minutes=1))  # revision 1 read late
    page = newsroom.page(Query())
    assert page["total"] == 1 and page["cards"][0]["revision"] == 2 and page["cards"][0]["revisions"] == 2
    detail = newsroom.detail("p03")
    assert detail is not None and [r["revision"] for r in detail["revisions"]] == [1]
    assert detail["revisions"][0]["text"] == "First text." and detail["article"]["text"] == "Corrected text."


def test_copies_fold_under_their_original_whichever_comes_first() -> None:
    newsroom = Newsroom()
    newsroom.add(article("copy-1", [], "s-1", copy_of="orig", minutes=3))  # before its original
    newsroom.add(article("orig", [], "s-1", minutes=1))
    newsroom.add(article("copy-2", [], "s-1", copy_of="orig", minutes=4))
    newsroom.add(article("lonely", [], "s-2", copy_of="not-held", minutes=5))
    page = newsroom.page(Query())
    assert ids(page) == ["lonely", "orig"] and page["cards"][1]["copies"] == 2
    assert ids(newsroom.page(Query(copies=True))) == ["lonely", "copy-2", "copy-1", "orig"]
    detail = newsroom.detail("orig")
    assert detail is not None and {c["id"] for c in detail["copies"]} == {"copy-1", "copy-2"}
    assert {c["id"] for c in detail["story"]} == {"copy-1", "copy-2"}


def test_pages_count_everything_that_matches_and_reach_all_of_it() -> None:
    newsroom = Newsroom(keep=120)
    for index in range(130):
        newsroom.add(article(f"n{index:03d}", [], minutes=index))
    first, last = newsroom.page(Query(), 1, 50), newsroom.page(Query(), 3, 50)
    assert (first["total"], first["held"], first["pages"]) == (120, 120, 3)  # the oldest 10 were let go
    assert ids(first)[0] == "n129" and ids(last)[-1] == "n010" and len(ids(last)) == 20
    assert newsroom.page(Query(), 99, 50)["page"] == 3


def test_filters_free_text_and_a_place_narrow_the_list_the_map_and_the_panels() -> None:
    newsroom = Newsroom()
    newsroom.add(article("eg", ["Sisi"], "s-1", title="Talks in Cairo", places=[CAIRO], language="ar"))
    newsroom.add(article("fr", ["Macron"], "s-2", text="Macron spoke about bread prices.", minutes=1))
    assert ids(newsroom.page(Query(text="BREAD"))) == ["fr"]
    assert ids(newsroom.page(Query(text="cairo"))) == ["eg"]  # the title counts too
    assert ids(newsroom.page(Query(text="prices macron"))) == ["fr"]  # every word, in any order
    assert ids(newsroom.page(Query(text="bread cairo"))) == []
    assert ids(newsroom.page(Query(place=360630))) == ["eg"]
    assert ids(newsroom.page(Query(lang="ar"))) == ["eg"] and ids(newsroom.page(Query(entity="macron"))) == ["fr"]
    # The map counts each place once per article, whatever its mentions and dateline.
    assert newsroom.places(Query()) == [
        {"id": 2988507, "name": "Paris", "lat": 48.85341, "lon": 2.3488, "kind": "city", "articles": 1},
        {"id": 360630, "name": "Cairo", "lat": 30.06263, "lon": 31.24967, "kind": "city", "articles": 1}]
    assert [p["name"] for p in newsroom.places(Query(lang="ar"))] == ["Cairo"]
    top = newsroom.top(Query(lang="ar"), T0 + timedelta(minutes=30))
    assert top["entities"] == [{"name": "Sisi", "label": "PERSON", "articles": 1}]
    assert Query.of({"place": "360630", "q": " bread ", "copies": "1", "lang": "AR"}) == \
        Query(place=360630, text="bread", copies=True, lang="ar")
    newsroom.add(article("br", ["Lula"], "s-3", title="Chuva em São Paulo", minutes=2))
    assert ids(newsroom.page(Query(text="SAO PAULO"))) == ["br"]  # nor case, nor accents


def test_the_last_hour_counts_entities_and_stories_of_the_articles_received_in_it() -> None:
    newsroom = Newsroom()
    newsroom.add(article("a1", ["Macron", "Scholz"], "s-1", title="Summit"))
    newsroom.add(article("a2", ["Macron"], "s-1", copy_of="a1", minutes=10))
    newsroom.add(make_rejection(EmptyText("empty"), b" ", None, T0, None, Settings().limits))
    top = newsroom.top(Query(), T0 + timedelta(minutes=30))
    assert top["entities"][0] == {"name": "Macron", "label": "PERSON", "articles": 2}
    assert top["stories"] == [{"id": "s-1", "title": "Summit", "articles": 2}]
    assert newsroom.counts() == {"articles": 2, "records": 2, "rejected": 1}
    later = newsroom.top(Query(), T0 + timedelta(minutes=65))  # a1 was received over an hour before
    assert later["entities"] == [{"name": "Macron", "label": "PERSON", "articles": 1}]
    assert newsroom.top(Query(), T0 + timedelta(hours=2)) == {"entities": [], "stories": []}
    rejections = newsroom.rejections()
    assert rejections["total"] == 1 and rejections["rejections"][0]["reason"] == "empty_text"


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
