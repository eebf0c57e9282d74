"""Duplicates and revisions: the same id and text is a duplicate; the same id with a new text is
the next revision, pointing at the previous one's content hash."""

from __future__ import annotations

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


def test_runs_never_hold_one_id_twice_and_keep_the_order() -> None:
    items = ["a1", "b1", "a2", "c1", "a3", "b2"]
    runs = unique_id_runs(items, key=lambda item: item[0])
    assert runs == [["a1", "b1"], ["a2", "c1"], ["a3", "b2"]]
    assert [i for run in runs for i in run] == items
