"""`wirestream enrich`: the same enrichment with no broker, files and stdin in, JSON lines out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from wirestream.serialization import loads

pytestmark = pytest.mark.slow  # each test runs the command as a process, models and all


def enrich(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "wirestream", "enrich", *args], input=stdin,
                          capture_output=True, timeout=120)


def test_txt_file_gives_one_enriched_article(tmp_path: Path) -> None:
    path = tmp_path / "story-7.txt"
    path.write_text("WASHINGTON (AP) — The Senate confirmed Maria Delgado on Tuesday.", encoding="utf-8")
    result = enrich(str(path))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    article = loads(line)
    assert article["id"] == "story-7"
    dateline = article["dateline"]
    assert dateline["city"] == "Washington" and dateline["as_written"] == "WASHINGTON" and dateline["agency"]["code"] == "AP"
    assert article["text"][article["body_start"]:] == "The Senate confirmed Maria Delgado on Tuesday."


def test_json_lines_on_stdin_keep_their_order_and_bad_lines_become_rejections() -> None:
    stdin = b'{"id": "a", "text": "PARIS (AFP) - Bonjour tout le monde."}\n[1, 2]\n{"id": "c", "text": "   "}\nplain text line\n'
    result = enrich(stdin=stdin)
    assert result.returncode == 0, result.stderr
    records = [loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4
    assert records[0]["id"] == "a" and records[0]["dateline"]["agency"]["code"] == "AFP"
    assert (records[1]["reason"], records[1]["original"]) == ("not_an_object", "[1, 2]")
    assert records[2]["reason"] == "empty_text"
    assert records[3]["text"] == "plain text line"


def test_a_stream_of_articles_is_clustered_into_stories() -> None:
    from wirestream.serialization import dumps

    story = ("The European Central Bank left its main interest rate at 2.15 percent on Thursday, as Christine "
             "Lagarde said inflation in the euro area was slowing more quickly than expected.\n\nEconomists polled "
             "by Reuters had expected the decision. The governing council meets again on January 22.")
    other = ("Heavy rain flooded parts of Valencia overnight, forcing the closure of 14 schools and the main railway "
             "station, regional officials said on Wednesday.")
    articles = [{"id": "ecb-1", "text": "FRANKFURT (Reuters) - " + story},
                {"id": "rain-1", "text": other},
                {"id": "ecb-2", "title": "ECB holds rates", "text": "By Anna Berg\n\n" + story},
                {"id": "ecb-1", "text": "FRANKFURT (Reuters) - " + story}]  # a redelivery
    result = enrich(stdin=b"".join(dumps(a) + b"\n" for a in articles))
    assert result.returncode == 0, result.stderr
    stories = [loads(line)["story"] for line in result.stdout.splitlines()]
    assert [(s["first_article_id"], s["size"], s["duplicate_of"]) for s in stories] == [
        ("ecb-1", 1, None), ("rain-1", 1, None), ("ecb-1", 2, "ecb-1"), ("ecb-1", 2, None)]
    assert stories[0]["id"] == stories[2]["id"] == stories[3]["id"] != stories[1]["id"]


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    # `wirestream enrich big.jsonl | head -1`: the pipe closes after the first line.
    lines = b"".join(b'{"id": "p%d", "text": "PARIS (AFP) - Line %d of many."}\n' % (i, i) for i in range(400))
    process = subprocess.Popen([sys.executable, "-m", "wirestream", "enrich", "-"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write(lines)
    process.stdin.close()
    assert loads(process.stdout.readline())["id"] == "p0"
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    stderr = process.stderr.read().decode()
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
