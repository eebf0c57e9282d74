"""Duplicates and revisions: the same id and text is a duplicate; the same id with a new text is
the next revision, pointing at the previous one's content hash."""

from __future__ import annotations

import pytest
from wirestream.enrich.revisions import Revision, next_revision, unique_id_runs


def test_a_first_text_is_revision_1() -> None:
    assert next_revision(None, "h1") == Revision(1, "h1", None, ("h1",))


def test_the_same_text_again_is_a_duplicate_unless_reprocess_is_asked() -> None:
    latest = Revision(2, "h2", "h1", ("h1", "h2"))
    assert next_revision(latest, "h2") is None
    assert next_revision(latest, "h2", reprocess=True) == latest  # enriched again under the revision it has


def test_a_changed_text_is_the_next_revision_pointing_at_the_previous_hash() -> None:
    second = next_revision(next_revision(None, "h1"), "h2")
    assert second == Revision(2, "h2", "h1", ("h1", "h2"))
    assert next_revision(second, "h3") == Revision(3, "h3", "h2", ("h1", "h2", "h3"))


def test_an_earlier_revision_resent_late_is_a_duplicate_not_a_new_revision() -> None:
    second = Revision(2, "h2", "h1", ("h1", "h2"))
    assert next_revision(second, "h1") is None


@pytest.mark.parametrize(("value", "expected"), [
    ({}, None),
    (0, None),
    ({"content_hash": "h", "revision": 3, "previous_content_hash": "g", "seen": ["f", "g", "h"]},
     Revision(3, "h", "g", ("f", "g", "h"))),
    (1, Revision(1, "")),  # a count stored by the previous release: enriched, text unknown
], ids=["nothing remembered", "a zero count", "a revision", "a count from before revisions"])
def test_what_the_table_holds_is_read_back(value: object, expected: Revision | None) -> None:
    assert Revision.from_table(value) == expected
    if expected is not None and expected.content_hash:
        assert Revision.from_table(expected.to_table()) == expected


def test_an_id_remembered_before_revisions_counts_as_the_same_text() -> None:
    assert next_revision(Revision(1, ""), "anything") is None


def test_runs_never_hold_one_id_twice_and_keep_the_order() -> None:
    items = ["a1", "b1", "a2", "c1", "a3", "b2"]
    runs = unique_id_runs(items, key=lambda item: item[0])
    assert runs == [["a1", "b1"], ["a2", "c1"], ["a3", "b2"]]
    assert [i for run in runs for i in run] == items


def test_the_table_value_is_what_the_changelog_contract_says() -> None:
    from wirestream.contracts import SeenId

    revision = next_revision(next_revision(None, "h1"), "h2")
    assert revision is not None
    assert SeenId.model_validate(revision.to_table()).seen == ["h1", "h2"]
