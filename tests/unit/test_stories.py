"""Near-duplicates and stories, the pure code: fingerprints, the in-process index, its window."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from wirestream.enrich.fingerprints import PERMUTATIONS, fingerprint
from wirestream.enrich.stories import StoryIndex, comparable_body, story_id_for

T0 = datetime(2026, 11, 26, 12, tzinfo=UTC)

STORY = (
    "The European Central Bank left its main interest rate at 2.15 percent on Thursday, as Christine "
    "Lagarde said inflation in the euro area was slowing more quickly than expected in Frankfurt.\n\n"
    "Economists polled by Reuters had expected the decision. The bank's governing council will meet "
    "again on January 22, when new staff projections for growth and prices will be published.\n\n"
    "Markets reacted calmly: the euro was little changed at 1.08 dollars and German bond yields fell by "
    "two basis points after the statement was released in the afternoon.\n\n"
    "Lagarde told reporters that the council was not pre-committing to any particular rate path."
)
OTHER = (
    "Heavy rain flooded parts of Valencia overnight, forcing the closure of 14 schools and the main "
    "railway station, regional officials said on Wednesday morning.\n\n"
    "Emergency services rescued more than 60 people from cars and homes in the districts of Paiporta "
    "and Catarroja, where up to 180 litres of rain per square metre fell in six hours."
)


def weather(city: str, low: int, high: int, rain: int) -> str:
    return (f"Forecasters expect heavy rain in {city} on Monday, with temperatures between {low} and {high} "
            f"degrees Celsius.\n\nUp to {rain} millimetres of rain could fall in the north of the region, and "
            f"winds of 60 kilometres per hour are likely along the coast.\n\nThe national weather service issued "
            f"an orange warning and advised drivers to take care.")


def test_a_fingerprint_is_the_same_in_every_process_and_estimates_similarity() -> None:
    first, again = fingerprint(STORY), fingerprint(STORY)
    assert first == again and len(first.values) == 4 * PERMUTATIONS
    # Fixed hashing, never Python's salted hash(): a known value guards against a change.
    assert first.values[:8].hex() == "78d5ec0239ed3c00"
    assert first.similarity(again) == 1.0
    assert first.similarity(fingerprint(OTHER)) < 0.1
    trimmed = STORY.rsplit("\n\n", 1)[0]
    assert 0.6 < first.similarity(fingerprint(trimmed)) < 1.0


def test_the_values_do_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    script = ("from wirestream.enrich.fingerprints import fingerprint; import sys; "
              "print(fingerprint(sys.stdin.read()).values.hex())")
    runs = {subprocess.run([sys.executable, "-c", script], input=STORY, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("1", "2")}
    assert runs == {fingerprint(STORY).values.hex() + "\n"}


def test_key_terms_are_numbers_and_names_not_sentence_starts() -> None:
    base = fingerprint(weather("Berlin", -3, 4, 20))
    assert base.key_term_agreement(fingerprint(weather("Berlin", -3, 4, 20))) == 1.0
    assert base.key_term_agreement(fingerprint(weather("Vienna", 5, 12, 35))) < 0.5


def test_copies_join_the_story_and_are_marked_duplicates_of_the_original() -> None:
    index = StoryIndex()
    first = index.assign("a", "h-a", fingerprint(STORY), T0)
    assert (first.story_id, first.first_article_id, first.size, first.duplicate_of) == (story_id_for("a"), "a", 1, None)
    assert first.similarity is None and first.closest_article_id is None

    retitled = index.assign("b", "h-b", fingerprint(comparable_body("(AFP) - " + STORY, 0)),
                            T0 + timedelta(minutes=5))
    assert (retitled.story_id, retitled.size, retitled.duplicate_of) == (first.story_id, 2, "a")
    assert retitled.first_seen_at == T0 and retitled.similarity == 1.0

    trimmed = index.assign("c", "h-c", fingerprint(STORY.rsplit("\n\n", 1)[0].replace("calmly", "quietly")),
                           T0 + timedelta(minutes=9))
    assert (trimmed.story_id, trimmed.size, trimmed.duplicate_of) == (first.story_id, 3, "a")

    other = index.assign("d", "h-d", fingerprint(OTHER), T0 + timedelta(minutes=10))
    assert (other.story_id, other.size, other.duplicate_of) == (story_id_for("d"), 1, None)


def test_template_siblings_are_different_stories() -> None:
    index = StoryIndex()
    berlin = index.assign("w1", "h1", fingerprint(weather("Berlin", -3, 4, 20)), T0)
    vienna = index.assign("w2", "h2", fingerprint(weather("Vienna", 5, 12, 35)), T0 + timedelta(hours=1))
    assert vienna.story_id != berlin.story_id and vienna.duplicate_of is None
    assert vienna.similarity is not None and vienna.similarity > STORY_SHARE  # they do share most words


STORY_SHARE = 0.3


def test_a_redelivery_is_not_counted_again_and_a_revision_stays_in_its_story() -> None:
    index = StoryIndex()
    index.assign("a", "h1", fingerprint(STORY), T0)
    index.assign("b", "h2", fingerprint("(Reuters) - " + STORY), T0)
    again = index.assign("b", "h2", fingerprint("(Reuters) - " + STORY), T0 + timedelta(minutes=1))
    assert again.size == 2
    revised = index.assign("a", "h3", fingerprint(STORY + "\n\nThe decision was unanimous."), T0 + timedelta(minutes=2))
    assert (revised.story_id, revised.size) == (story_id_for("a"), 2)
    late = index.assign("c", "h4", fingerprint(STORY + "\n\nThe decision was unanimous."), T0 + timedelta(minutes=3))
    assert (late.story_id, late.size, late.duplicate_of) == (story_id_for("a"), 3, "a")


def test_articles_leave_the_window_and_their_stories_with_them() -> None:
    index = StoryIndex(window=timedelta(hours=72))
    index.assign("a", "h1", fingerprint(STORY), T0)
    index.assign("d", "h2", fingerprint(OTHER), T0 + timedelta(hours=71))
    assert len(index) == 2
    late = index.assign("b", "h3", fingerprint(STORY), T0 + timedelta(hours=73))
    assert len(index) == 2  # a is gone, d is not
    assert (late.story_id, late.first_article_id, late.size, late.duplicate_of) == (story_id_for("b"), "b", 1, None)
    assert index.assign("e", "h4", fingerprint(OTHER), T0 + timedelta(hours=74)).first_article_id == "d"


@pytest.mark.parametrize(("text", "body"), [
    ("By Anna Berg\n\n(AFP) - The bank left rates unchanged.", "The bank left rates unchanged."),
    ("(dpa) - (AFP) - The bank left rates unchanged.", "The bank left rates unchanged."),
    ("By the end of the year the bank had left rates unchanged.", "By the end of the year the bank had left rates unchanged."),
])
def test_a_byline_or_credit_before_the_text_is_not_compared(dateline_parser, text: str, body: str) -> None:  # type: ignore[no-untyped-def]
    dateline = dateline_parser.parse(text, T0)
    assert comparable_body(text, dateline.end if dateline else 0).strip() == body


# -- a near-identical copy reuses what NER found in its original --------------------------------

def test_the_memory_maps_spans_only_where_the_mapping_is_exact() -> None:
    from wirestream.enrich.ner_memory import NerMemory

    memory = NerMemory(capacity=2)
    original = "Olaf Scholz met Emmanuel Macron in Paris. Later he flew to Berlin."
    spans = [(0, 11, "PERSON"), (16, 31, "PERSON"), (35, 40, "PLACE"), (59, 65, "PLACE")]
    memory.remember("a", original, spans)
    assert memory.reuse("a", original).spans == spans  # type: ignore[union-attr]
    trimmed = memory.reuse("a", "Olaf Scholz met Emmanuel Macron in Paris.")
    assert trimmed is not None and trimmed.spans == spans[:3] and trimmed.unread == ()
    credited = memory.reuse("a", "(AFP) - " + original)
    assert credited is not None and credited.unread == ((0, 8),) and credited.spans[0] == (8, 19, "PERSON")
    assert memory.reuse("a", "\n\n" + original).unread == ()  # type: ignore[union-attr]
    both = memory.reuse("a", "By Anna Berg\n\nOlaf Scholz met Emmanuel Macron in Paris.")  # a byline, the tail cut
    assert both is not None and both.unread == ((0, 14),) and both.spans == [(14, 25, "PERSON"), (30, 45, "PERSON"),
                                                                      (49, 54, "PLACE")]
    # Otherwise sentence by sentence: NER reads each sentence that changed, the others keep their spans.
    def read_and_kept(copy: str) -> tuple[list[str], list[str]]:
        reuse = memory.reuse("a", copy)
        assert reuse is not None
        return [copy[s:e] for s, e in reuse.unread], [copy[s:e] for s, e, _ in reuse.spans]

    assert read_and_kept("Mr" + original) == (["MrOlaf Scholz met Emmanuel Macron in Paris."], ["Berlin"])  # inside a word
    assert read_and_kept("By Anna Berg\n\n" + original + " He said more.") == (  # something added after
        ["By Anna Berg", "He said more."], ["Olaf Scholz", "Emmanuel Macron", "Paris", "Berlin"])
    assert read_and_kept(original.replace("met", "saw")) == (["Olaf Scholz saw Emmanuel Macron in Paris."], ["Berlin"])
    assert memory.reuse("a", "Olaf Scholz met Emmanuel Mac") is None  # cut inside a word
    assert memory.reuse("b", original) is None
    memory.remember("b", "x", [])
    memory.remember("c", "y", [])
    assert memory.reuse("a", original) is None  # the oldest was let go


def test_a_copy_with_words_changed_keeps_the_spans_of_its_unchanged_lines() -> None:
    from wirestream.enrich.ner_memory import NerMemory

    memory = NerMemory()
    original = "Olaf Scholz met Emmanuel Macron.\n\nThey spoke in Paris.\n\nLater he flew to Berlin."
    spans = [(0, 11, "PERSON"), (16, 31, "PERSON"), (48, 53, "PLACE"), (73, 79, "PLACE")]
    memory.remember("a", original, spans)
    # The second paragraph changed and one added after the last: NER reads those two, each alone.
    copy = "Olaf Scholz met Emmanuel Macron.\n\nThey also spoke in Paris.\n\nLater he flew to Berlin.\n\nBy AFP."
    reuse = memory.reuse("a", copy)
    assert reuse is not None
    assert [copy[start:end] for start, end in reuse.unread] == ["They also spoke in Paris.", "By AFP."]
    assert [(copy[s:e], label) for s, e, label in reuse.spans] == [
        ("Olaf Scholz", "PERSON"), ("Emmanuel Macron", "PERSON"), ("Berlin", "PLACE")]
    # Two changed paragraphs in a row are one part for NER, read together.
    both = "Olaf Scholz met Emmanuel Macron.\n\nThey also spoke.\n\nLater he flew home."
    assert [both[s:e] for s, e in memory.reuse("a", both).unread] == [  # type: ignore[union-attr]
        "They also spoke.\n\nLater he flew home."]
    assert memory.reuse("a", "Nothing of it is the same.\n\nAt all.") is None


def test_a_copy_with_a_word_changed_in_one_sentence_keeps_the_spans_of_the_others_in_that_line() -> None:
    from wirestream.enrich.ner_memory import NerMemory

    memory = NerMemory()
    original = "Olaf Scholz met Emmanuel Macron. They spoke in Paris. Mr. Smith flew to Berlin."
    names = [("Olaf Scholz", "PERSON"), ("Emmanuel Macron", "PERSON"), ("Paris", "PLACE"), ("Mr. Smith", "PERSON"),
             ("Berlin", "PLACE")]
    spans = [(original.index(name), original.index(name) + len(name), label) for name, label in names]
    memory.remember("a", original, spans)
    copy = original.replace("spoke", "also spoke")
    reuse = memory.reuse("a", copy)
    assert reuse is not None
    # NER reads the changed sentence alone; 'Mr. Smith', a name across a full stop, is one sentence with its own.
    assert [copy[start:end] for start, end in reuse.unread] == ["They also spoke in Paris."]
    assert [(copy[s:e], label) for s, e, label in reuse.spans] == [
        ("Olaf Scholz", "PERSON"), ("Emmanuel Macron", "PERSON"), ("Mr. Smith", "PERSON"), ("Berlin", "PLACE")]
    # No sentence boundary is drawn through a name NER found ('Yahoo! Inc' is one): NER reads it
    # again rather than the name being lost between two sentences.
    memory.remember("y", "Shares of Yahoo! Inc rose. Markets were calm.", [(10, 20, "ORG")])
    oil = "Shares of Yahoo! Inc rose. Markets were calm. Oil fell."
    assert [oil[s:e] for s, e in memory.reuse("y", oil).unread] == [  # type: ignore[union-attr]
        "Shares of Yahoo! Inc rose.", "Oil fell."]
    # A change to the sentence holding the name: that sentence is read again, the name with it.
    renamed = original.replace("flew", "drove")
    assert [renamed[s:e] for s, e in memory.reuse("a", renamed).unread] == [  # type: ignore[union-attr]
        "Mr. Smith drove to Berlin."]


def test_a_copy_reuses_its_originals_entities_and_ner_reads_only_what_is_new(
        language_detector, dateline_parser) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.ingest import ingest
    from wirestream.enrich.ner_memory import NerMemory
    from wirestream.enrich.pipeline import BatchReport, Enrichers, Memory, enrich_batch
    from wirestream.serialization import dumps

    from tests.fakes import FakeRecognizer, FakeRecognizers

    names = ("Christine Lagarde", "Frankfurt", "Reuters", "AFP")

    def spans_for(text: str) -> list[tuple[int, int, str]]:
        return [(text.index(n), text.index(n) + len(n), "PERSON") for n in names if n in text]

    recognizer = FakeRecognizer(spans_for)
    enrichers = Enrichers(language=language_detector, dateline=dateline_parser,
                          entities=FakeRecognizers({"en": recognizer}))
    memory = Memory(stories=StoryIndex(), spans=NerMemory())
    articles = [("ecb-1", STORY), ("ecb-2", "By Anna Berg\n\n" + STORY), ("ecb-3", STORY.rsplit("\n\n", 1)[0]),
                ("ecb-4", "(AFP) - " + STORY), ("ecb-5", STORY.replace("calmly", "quietly"))]
    results, report = [], BatchReport()
    for number, (article_id, text) in enumerate(articles):
        item = ingest(dumps({"id": article_id, "text": text}), T0 + timedelta(minutes=number))
        results += enrich_batch([item], enrichers, memory, report=report)
    read = recognizer.calls + recognizer.batch_texts
    # Each article is timed in the entities stage, also a copy NER did not need to read.
    assert len(report.stage_seconds["entities"]) == 5 and report.reused == 4
    assert [r.story.duplicate_of for r in results] == [None, "ecb-1", "ecb-1", "ecb-1", "ecb-1"]  # type: ignore[union-attr]
    # NER read the original, the credit put before one copy, and of the copy with a word changed
    # only the sentence that changed; the byline (the dateline parser's) and the trimmed copy cost
    # nothing.
    changed = "Markets reacted quietly: the euro was little changed at 1.08 dollars and German bond yields fell by "\
        "two basis points after the statement was released in the afternoon."
    assert sum(STORY[:60] in t for t in read) == 1 and "(AFP) - " in read and changed in read and len(read) == 3
    for result in results:
        names_found = {e.name: e.count for e in result.entities}  # type: ignore[union-attr]
        assert names_found["Christine Lagarde"] == 1 and "Frankfurt" in names_found
        for entity in result.entities:  # type: ignore[union-attr]
            for mention in entity.mentions:
                assert result.text[mention.start:mention.end] == mention.text  # type: ignore[union-attr]


def test_copies_in_the_same_batch_as_their_original_reuse_its_entities(
        language_detector, dateline_parser) -> None:  # type: ignore[no-untyped-def]
    from wirestream.enrich.ingest import ingest
    from wirestream.enrich.ner_memory import NerMemory
    from wirestream.enrich.pipeline import BatchReport, Enrichers, Memory, enrich_batch
    from wirestream.serialization import dumps

    from tests.fakes import FakeRecognizer, FakeRecognizers

    def spans_for(text: str) -> list[tuple[int, int, str]]:
        return [(text.index(n), text.index(n) + len(n), "PERSON") for n in ("Christine Lagarde", "AFP") if n in text]

    recognizer = FakeRecognizer(spans_for)
    enrichers = Enrichers(language=language_detector, dateline=dateline_parser,
                          entities=FakeRecognizers({"en": recognizer}))
    memory, report = Memory(stories=StoryIndex(), spans=NerMemory()), BatchReport()
    articles = [("ecb-1", STORY), ("other", OTHER), ("ecb-2", "(AFP) - " + STORY), ("ecb-3", STORY)]
    items = [ingest(dumps({"id": article_id, "text": text}), T0 + timedelta(minutes=number))
             for number, (article_id, text) in enumerate(articles)]
    results = enrich_batch(items, enrichers, memory, report=report)
    # One batch, as the worker takes them: NER reads the original and the other article together,
    # then only the credit put before one copy; the exact copy costs nothing.
    assert [r.id for r in results] == ["ecb-1", "other", "ecb-2", "ecb-3"]  # type: ignore[union-attr]
    assert report.reused == 2 and report.ner_batches == [2, 1]
    assert recognizer.batch_texts[2:] == ["(AFP) - "]
    for result in (results[0], results[2], results[3]):
        assert {e.name for e in result.entities} >= {"Christine Lagarde"}  # type: ignore[union-attr]


def test_an_index_restored_from_its_changes_answers_as_the_original_would() -> None:
    kept_articles: dict[str, dict] = {}
    kept_stories: dict[str, dict] = {}

    def keep(index: StoryIndex) -> None:
        articles, stories = index.changes()
        for kept, changed in ((kept_articles, articles), (kept_stories, stories)):
            for key, record in changed.items():
                if record is None:
                    kept.pop(key, None)
                else:
                    kept[key] = record

    index = StoryIndex(window=timedelta(hours=1), track_changes=True)
    original = index.assign("a", "h-a", fingerprint(STORY), T0)
    index.assign("b", "h-b", fingerprint(OTHER), T0 + timedelta(minutes=1))
    index.assign("a-copy", "h-c", fingerprint(STORY.rsplit("\n\n", 1)[0]), T0 + timedelta(minutes=2))
    keep(index)
    assert set(kept_articles) == {"a", "b", "a-copy"} and len(kept_stories) == 2

    restored = StoryIndex(window=timedelta(hours=1), track_changes=True)
    restored.restore(kept_articles.items(), kept_stories.items())
    assert len(restored) == 3 and restored.knows("a-copy")
    # A redelivery gets its first answer (with the story's size now); the next copy joins the story.
    redelivered = restored.assign("a", "h-a", fingerprint(STORY), T0 + timedelta(minutes=3))
    assert redelivered == replace(original, size=2)
    again = restored.assign("a-copy-2", "h-d", fingerprint(STORY), T0 + timedelta(minutes=4))
    assert (again.story_id, again.size, again.duplicate_of) == (original.story_id, 3, "a")
    keep(restored)

    # An hour later the first three are forgotten, and their records go with them.
    restored.assign("c", "h-e", fingerprint(weather("Oslo", 1, 5, 9)), T0 + timedelta(minutes=63))
    keep(restored)
    assert set(kept_articles) == {"a-copy-2", "c"}
    assert set(kept_stories) == {original.story_id, story_id_for("c")}
    late = StoryIndex(window=timedelta(hours=1))
    late.restore(kept_articles.items(), kept_stories.items())
    assert late.assign("a-copy-3", "h-f", fingerprint(STORY), T0 + timedelta(minutes=64)).size == 4


def test_a_story_whose_record_was_lost_is_rebuilt_from_its_articles() -> None:
    index = StoryIndex(track_changes=True)
    first = index.assign("a", "h-a", fingerprint(STORY), T0)
    index.assign("a-copy", "h-c", fingerprint(STORY), T0 + timedelta(minutes=1))
    articles, _ = index.changes()
    restored = StoryIndex()
    restored.restore(articles.items(), [])
    assert restored.assign("a-copy-2", "h-d", fingerprint(STORY), T0 + timedelta(minutes=2)).story_id == first.story_id


def test_the_closest_candidate_is_the_same_whatever_order_the_index_met_them_in() -> None:
    # Two earlier copies equally close: the first id wins, wherever it was inserted.
    copies = {"b-copy": STORY, "a-copy": STORY}
    for order in (["b-copy", "a-copy"], ["a-copy", "b-copy"]):
        index = StoryIndex()
        for n, article_id in enumerate(order):
            index.assign(article_id, article_id, fingerprint(copies[article_id]), T0 + timedelta(minutes=n))
        found = index.assign("new", "new", fingerprint(STORY), T0 + timedelta(minutes=5))
        assert found.closest_article_id == "a-copy" and found.similarity == 1.0
