"""What `subscribe` shows and filters: entity filters match names the way a reader means them."""

from __future__ import annotations

import pytest
from wirestream.cli.summary import entity_matches
from wirestream.contracts import Entity, EntityMention

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
