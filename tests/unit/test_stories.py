"""Near-duplicates and stories, the pure code: fingerprints, the in-process index, its window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from wirestream.enrich.fingerprints import PERMUTATIONS, fingerprint
from wirestream.enrich.stories import StoryIndex, comparable_body, story_id_for

T0 = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)

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
    assert first.values[:8].hex() == "62cadc00879e2a00"
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

    retitled = index.assign("b", "h-b", fingerprint(comparable_body("By Anna Berg\n\n(AFP) - " + STORY, 0)),
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
    ("By Anna Berg\n\nThe bank left rates unchanged.", "The bank left rates unchanged."),
    ("(AFP) - The bank left rates unchanged.", "The bank left rates unchanged."),
    ("By the end of the year the bank had left rates unchanged.", "By the end of the year the bank had left rates unchanged."),
])
def test_a_byline_or_credit_left_before_the_text_is_not_compared(text: str, body: str) -> None:
    assert comparable_body(text, 0) == body
