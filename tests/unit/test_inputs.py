"""Reading articles from files and stdin for publish and enrich."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from wirestream.cli.inputs import read_inputs
from wirestream.serialization import loads


def test_txt_file_name_is_the_id(tmp_path: Path) -> None:
    (tmp_path / "story-1.txt").write_text("LONDON (Reuters) - Text.", encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "story-1.txt")])
    assert record.key == "story-1"
    assert loads(record.value) == {"id": "story-1", "text": "LONDON (Reuters) - Text."}  # type: ignore[arg-type]


def test_txt_header_says_otherwise(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Id: real-id\nTitle: A title\n\nNEW DELHI, Nov 24 (PTI): Text.", encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "x.txt")])
    assert loads(record.value) == {"id": "real-id", "title": "A title", "text": "NEW DELHI, Nov 24 (PTI): Text."}  # type: ignore[arg-type]


def test_a_colon_dateline_is_not_a_header(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("NEW DELHI, Nov 24 (PTI): Text.\n\nMore.", encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "x.txt")])
    assert loads(record.value)["text"].startswith("NEW DELHI")  # type: ignore[arg-type]


def test_directory_expands_to_its_article_files_sorted(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.json").write_text('{"text": "a"}', encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    assert [Path(r.where).name for r in read_inputs([str(tmp_path)])] == ["b.txt", "a.json"]


def test_jsonl_lines_are_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text('{"id": "one", "text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")
    records = list(read_inputs([str(tmp_path / "feed.jsonl")]))
    assert [(Path(r.where).name, r.key) for r in records] == [("feed.jsonl:1", "one"), ("feed.jsonl:3", None)]


def test_stdin_is_json_lines() -> None:
    records = list(read_inputs(["-"], stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [r.where for r in records] == ["<stdin>:1", "<stdin>:2"]


def test_unreadable_inputs_name_the_file_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "doc.pdf").write_bytes(b"%PDF")
    records = list(read_inputs([str(tmp_path / "latin1.txt"), str(tmp_path / "doc.pdf"), str(tmp_path / "missing.txt")]))
    errors = [r.error for r in records]
    assert all(r.value is None for r in records)
    assert "latin1.txt" in errors[0] and "save it as UTF-8" in errors[0]  # type: ignore[operator]
    assert "doc.pdf" in errors[1] and ".txt, .json or .jsonl" in errors[1]  # type: ignore[operator]
    assert "missing.txt" in errors[2] and "no such file or directory" in errors[2]  # type: ignore[operator]


def test_unknown_header_fields_are_kept_in_metadata(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Title: A title\nAuthor: Jane Doe\nDesk: World news\n\nPARIS (AFP) - Text.",
                                    encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "x.txt")])
    assert loads(record.value) == {"id": "x", "title": "A title", "text": "PARIS (AFP) - Text.",  # type: ignore[arg-type]
                                   "metadata": {"author": "Jane Doe", "desk": "World news"}}


def test_a_first_line_that_names_no_article_field_is_text(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("WASHINGTON: The Senate voted.\n\nMore.", encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "x.txt")])
    assert loads(record.value)["text"] == "WASHINGTON: The Senate voted.\n\nMore."  # type: ignore[arg-type]


@pytest.mark.parametrize(("content", "line", "message"), [
    ("Id: a\nTitle: b\nThe text without a blank line.", 3, "must end with a blank line"),
    ("Id: a\nTitle:\n\nText.", 2, "'title' has no value"),
    ("Id: a\nId: b\n\nText.", 2, "'id' is given twice"),
], ids=["no blank line after the header", "an empty value", "a field given twice"])
def test_a_malformed_header_names_the_file_and_line(tmp_path: Path, content: str, line: int, message: str) -> None:
    (tmp_path / "x.txt").write_text(content, encoding="utf-8")
    [record] = read_inputs([str(tmp_path / "x.txt")])
    assert record.value is None
    assert record.error is not None and record.error.startswith(f"{tmp_path / 'x.txt'}:{line}: ") and message in record.error
