"""Property and fuzz tests: whatever comes in, the result is an enriched article or a rejection with
a known reason, never a crash; and `wirestream enrich` answers every input line."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from wirestream.clock import now
from wirestream.contracts import EnrichedArticle, Rejection
from wirestream.enrich.outputs import make_rejection
from wirestream.enrich.pipeline import Enrichers, enrich
from wirestream.errors import RejectMessage
from wirestream.serialization import decode_model, dumps, encode_model, loads

from tests.payloads import payloads, seeded_payloads

pytestmark = [pytest.mark.slow, pytest.mark.long]  # thousands of generated inputs, and a subprocess

REASONS = {"not_utf8", "too_large", "invalid_json", "not_an_object", "invalid_article", "empty_text", "stage_failed"}
EXAMPLES = 1_500


def check_outcome(payload: bytes, enrichers: Enrichers) -> str:
    try:
        article = enrich(payload, enrichers)
    except RejectMessage as error:
        assert error.code in REASONS
        rejection = decode_model(Rejection, encode_model(make_rejection(error, payload, None, now())))
        assert rejection.original_size == len(payload)
        assert rejection.original_sha256 == hashlib.sha256(payload).hexdigest()
        if rejection.truncated:  # over the article limit: a prefix, never the whole
            assert error.code == "too_large" and payload.startswith(rejection.original_bytes())
        else:
            assert rejection.original_bytes() == payload
        return error.code
    again = decode_model(EnrichedArticle, encode_model(article))
    assert again.text and again.id
    if again.dateline is not None:
        assert again.text[again.dateline.start : again.dateline.end] == again.dateline.text
    for entity in again.entities:
        for mention in entity.mentions:
            assert again.text[mention.start : mention.end] == mention.text
    return "enriched"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(payload=payloads)
def test_any_payload_is_enriched_or_rejected_with_a_known_reason(payload: bytes, enrichers: Enrichers) -> None:
    check_outcome(payload, enrichers)


def test_five_megabyte_article_over_a_one_megabyte_limit_is_rejected(enrichers: Enrichers) -> None:
    assert enrichers.max_article_bytes == 1_000_000
    assert check_outcome(dumps({"text": "word " * 1_000_000}), enrichers) == "too_large"


def test_200000_word_article_under_the_limit_is_enriched_with_ner_truncated(enrichers: Enrichers) -> None:
    # 200,000 short words (~960 KB): under the 1 MB limit, far over what NER is allowed to read.
    text = "LONDON (Reuters) - " + "The minister said that he and I are in a car at the door. " * 15_385
    payload = dumps({"text": text})
    assert len(payload) < enrichers.max_article_bytes
    article = enrich(payload, enrichers)
    assert article.enrichment.ner_truncated_at == article.dateline.end + enrichers.ner_max_chars  # type: ignore[union-attr]
    assert len(article.text.split()) >= 200_000
    assert article.language.code == "en" and article.entities_status == "ok"
    assert all(m.end <= article.enrichment.ner_truncated_at for e in article.entities for m in e.mentions)  # type: ignore[operator]


def test_wirestream_enrich_answers_every_generated_line_in_order() -> None:
    # A third of the generated payloads: the enrichment of each kind is covered in process above;
    # here the command's order, line framing and exact rejected bytes.
    values = seeded_payloads(seed=2026, count=EXAMPLES // 3)
    # stdin carries JSON lines: each payload travels as a JSON string when it is not a JSON object itself.
    lines = []
    for value in values:
        lines.append(value if value.startswith(b"{") and b"\n" not in value else dumps(value.decode("utf-8", "replace")))
    result = subprocess.run([sys.executable, "-m", "wirestream", "enrich", "-"], input=b"\n".join(lines) + b"\n",
                            capture_output=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    outputs = result.stdout.splitlines()
    assert len(outputs) == len(lines)
    kinds = {"enriched": 0, "rejected": 0}
    for line, output in zip(lines, outputs):
        record = loads(output)
        if "reason" in record:
            rejection = decode_model(Rejection, output)
            assert rejection.reason in REASONS
            assert rejection.original_bytes() == line  # the exact input line, whatever its bytes
            kinds["rejected"] += 1
        else:
            kinds["enriched"] += 1
    assert kinds["enriched"] > len(lines) // 10 and kinds["rejected"] > len(lines) // 10
