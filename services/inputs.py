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
# A .txt file may open with 'Id: ...', 'Title: ...' lines and a blank line: those say otherwise.
_HEADER_LINE = re.compile(r"^(id|title|url|source|published_at|published|language):[ \t]*(.*)$", re.IGNORECASE)
_HEADER_FIELDS = {"published": "published_at"}


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


def read_text_article(path: Path, text: str) -> tuple[bytes, str]:
    """A .txt article as a RawArticle JSON object: the file name is the id unless a header names one."""
    fields: dict[str, str] = {"id": path.stem}
    lines = text.split("\n")
    header: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _HEADER_LINE.match(line.strip("\r"))
        if match and match.group(2).strip():
            name = match.group(1).lower()
            header[_HEADER_FIELDS.get(name, name)] = match.group(2).strip()
            continue
        if header and not line.strip():
            fields.update(header)
            text = "\n".join(lines[index + 1 :])
        break
    fields["text"] = text
    return dumps(fields), fields["id"]


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
        if path.suffix.lower() not in SUFFIXES:
            yield InputRecord(where, None, f"{where}: unsupported file type {path.suffix or '(none)'!r}; use .txt, .json or .jsonl")
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
            value, key = read_text_article(path, text)
            yield InputRecord(where, value, key=key)
