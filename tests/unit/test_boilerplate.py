"""Wire boilerplate: site labels and trailers found, in time linear in the text."""

from __future__ import annotations

import time

import pytest
from wirestream.enrich.boilerplate import boilerplate_ranges


@pytest.mark.parametrize(("text", "label"), [
    ("Iran PressIran news: Tehran(IP)- The talks went on.", "Iran PressIran news:"),
    ("IRNAnews: Tehran - Talks.", "IRNAnews:"),
    ("ABC DEF GHI JKL news: four words, then news.", "ABC DEF GHI JKL news:"),
    ("First line.\nTehran Times news: on a later line.", "Tehran Times news:"),
])
def test_a_site_label_is_found(text: str, label: str) -> None:
    (start, end), = boilerplate_ranges(text)
    assert text[start:end] == label


@pytest.mark.parametrize("text", [
    "ABC DEF GHI JKL MNO news: five words are a sentence, not a label.",
    "hello Iran news: a lower-case opening.",
])
def test_a_sentence_is_not_a_site_label(text: str) -> None:
    assert boilerplate_ranges(text) == []


def test_a_line_of_capitals_is_read_at_once() -> None:
    """The old pattern cut a run of capitals into words every possible way: 300 capitals took 44 s
    with the whole worker frozen (its Kafka session expired, the batch was read again, and froze it
    again). 20,000 capitals would take years that way; linear, they take microseconds."""
    started = time.process_time()
    assert boilerplate_ranges("A" * 20_000 + "\n" + "Aa " * 5_000 + "news") == []
    assert time.process_time() - started < 2.0


def test_a_trailer_in_the_last_two_thirds_is_boilerplate() -> None:
    text = "Body of the story. " * 10 + "\nRead more:\nAnother story"
    (start, end), = boilerplate_ranges(text)
    assert text[start:end].startswith("Read more:") and end == len(text)
