"""Reading articles from files and stdin for `publish` and `enrich`.

Consumes paths (.txt, .json, .jsonl, directories of them) or '-' for JSON lines on stdin;
produces one `InputRecord` per article with where it came from, for error messages.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from wirestream.serialization import dumps

SUFFIXES = (".txt", ".json", ".jsonl")
# A .txt file may open with a header: 'Name: value' lines, then a blank line. It is a header when
# it names at least one article field; other names are kept in the article's metadata.
_HEADER_LINE = re.compile(r"^(?P<name>[A-Za-z][A-Za-z0-9_ -]{0,40}?)[ \t]*:[ \t]*(?P<value>.*)$")
ARTICLE_FIELDS = frozenset({"id", "title", "url", "source", "published_at", "language"})
_FIELD_ALIASES = {"published": "published_at", "date": "published_at", "lang": "language"}


class HeaderError(ValueError):
    """A .txt header that cannot be read; `line` is its 1-based line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class InputRecord:
    where: str  # 'samples/a.txt' or 'feed.jsonl:12' or '<stdin>:3'
    value: bytes | None  # the message value to publish or enrich
    error: str | None = None  # why it could not be read (value is None then)
    key: str | None = None  # the article id, when the input names one


def expand(paths: list[str]) -> Iterator[Path | None]:
    """Each path, directories replaced by the article files under them (sorted); None for '-'."""
    for name in paths:
        if name == "-":
            yield None
            continue
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def _field_name(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    return _FIELD_ALIASES.get(key, key)


def read_text_article(path: Path, text: str) -> tuple[bytes, str]:
    """A .txt article as a RawArticle JSON object: the file name is the id unless a header names one.

    Raises HeaderError for a header that names an article field but cannot be read.
    """
    fields: dict[str, object] = {"id": path.stem}
    lines = text.split("\n")
    run = []  # the leading 'Name: value' lines
    for line in lines:
        match = _HEADER_LINE.match(line.rstrip("\r"))
        if match is None:
            break
        run.append((_field_name(match["name"]), match["value"].strip()))
    if not any(name in ARTICLE_FIELDS for name, _ in run):
        fields["text"] = text  # no header: a first line like 'WASHINGTON: The Senate ...' is text
        return dumps(fields), str(fields["id"])
    end = len(run)
    if end >= len(lines) or lines[end].strip():
        raise HeaderError(end + 1, "the header must end with a blank line before the article text "
                                   "(or the line is not 'Name: value')")
    header: dict[str, str] = {}
    for number, (name, value) in enumerate(run, start=1):
        if not value:
            raise HeaderError(number, f"header field {name!r} has no value; give one or remove the line")
        if name in header:
            raise HeaderError(number, f"header field {name!r} is given twice; keep one")
        header[name] = value
    metadata = {name: value for name, value in header.items() if name not in ARTICLE_FIELDS}
    fields.update({name: value for name, value in header.items() if name in ARTICLE_FIELDS})
    if metadata:
        fields["metadata"] = metadata
    fields["text"] = "\n".join(lines[end + 1 :])
    return dumps(fields), str(fields["id"])


def _key_of(line: bytes) -> str | None:
    match = re.search(rb'"id"\s*:\s*"([^"\\]{1,256})"', line)
    return match.group(1).decode("utf-8", "replace") if match else None


def _json_lines(where: str, stream: BinaryIO) -> Iterator[InputRecord]:
    for number, line in enumerate(stream, start=1):
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield InputRecord(f"{where}:{number}", line, key=_key_of(line))


def read_inputs(paths: list[str], stdin: BinaryIO | None = None) -> Iterator[InputRecord]:
    for path in expand(paths):
        if path is None:
            yield from _json_lines("<stdin>", stdin or sys.stdin.buffer)
            continue
        where = str(path)
        if not path.exists():
            yield InputRecord(where, None, f"{where}: no such file or directory; check the path")
            continue
        if path.suffix.lower() not in SUFFIXES:
            kind = path.suffix or "(none)"
            yield InputRecord(where, None, f"{where}: unsupported file type {kind!r}; use .txt, .json or .jsonl")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield InputRecord(where, None, f"{where}: cannot read the file: {exc.strerror or exc}")
            continue
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from _json_lines(where, stream)
        elif suffix == ".json":
            yield InputRecord(where, data, key=_key_of(data))
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield InputRecord(where, None, f"{where}: not UTF-8 text at byte {exc.start}; save it as UTF-8")
                continue
            try:
                value, key = read_text_article(path, text)
            except HeaderError as exc:
                yield InputRecord(f"{where}:{exc.line}", None, f"{where}:{exc.line}: {exc}")
                continue
            yield InputRecord(where, value, key=key)
