"""Generated bad (and not so bad) input, for property and fuzz tests: hypothesis strategies for
in-process tests, and a seeded generator for payloads that cross a process or a broker."""

from __future__ import annotations

import random

from hypothesis import strategies as st
from wirestream.serialization import dumps

_NASTY_TEXT = [
    "", " ", "\n\t\r", "\x00", "\x00\x01\x02 \x7f", "\u200b\u200b", "\ufeff", "\u202eRTL override\u202c",
    "مرحبا بالعالم", "שלום עולם", "Привет мир", "日本語のテキスト", "🙂🙃🙂", "e\u0301\u0301\u0301",
    "LONDON (Reuters) -", "LONDON (Reuters) - ", "(Reuters) - no city", "Tehran(IP)-", "A" * 300,
    "The the the the", "'s 's 's", "Amir- Abdollahian- Amir-", "- - - -", "{", "[", "null", "1e999",
]

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**64 - 1), st.floats(allow_nan=False), st.text(max_size=50))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)
article_texts = st.one_of(st.sampled_from(_NASTY_TEXT), st.text(max_size=300),
                          st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
field_values = st.one_of(json_values, article_texts)
article_objects = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(article_texts, json_values),
        "id": st.one_of(st.text(max_size=20), json_values),
        "title": field_values,
        "published_at": st.one_of(st.datetimes().map(lambda d: d.isoformat()), field_values),
        "language": st.one_of(st.sampled_from(["en", "fr", "xx-YY", "english", ""]), field_values),
        "metadata": st.one_of(st.dictionaries(st.text(max_size=5), json_values, max_size=3), field_values),
        "reprocess": st.one_of(st.booleans(), field_values),
        "unknown": json_values,
    },
)
payloads = st.one_of(
    st.binary(max_size=300),
    article_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(dumps),
    article_objects.map(dumps),
    st.integers(min_value=1, max_value=3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(min_value=1, max_value=3000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
    st.binary(max_size=200).map(lambda b: b'{"text": "' + b + b'"}'),
)


def seeded_payloads(seed: int, count: int) -> list[bytes]:
    """The same `count` varied payloads for the same seed: bad bytes, bad JSON, odd articles, good ones."""
    rng = random.Random(seed)
    makers = [
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))),
        lambda: rng.choice(_NASTY_TEXT).encode("utf-8", "surrogatepass"),
        lambda: dumps(rng.choice([[1, 2], 42, "string", None, True, 1.5, [], {}])),
        lambda: b'{"text": "' + rng.choice(_NASTY_TEXT).encode() + (b'"}' if rng.random() < 0.5 else b""),
        lambda: dumps({"text": rng.choice(_NASTY_TEXT + ["Plain words here."]), "id": rng.choice(["", " ", "ok-id", 5, None])}),
        lambda: dumps({"text": rng.choice([42, ["a"], {"b": 1}, None, True])}),
        lambda: dumps({"title": "no text", "metadata": rng.choice([[], "x", {"k": 1}])}),
        lambda: dumps({"text": f"PARIS (AFP) - Emmanuel Macron spoke {rng.random()}.", "published_at": rng.choice(["yesterday", "2026-11-24T10:00:00", 7])}),
        lambda: b"[" * rng.randrange(1, 5000) + b"]",
        lambda: b'{"a":' * 2000 + b"1" + b"}" * 2000,
        lambda: f"Mixed العربية text עברית and English {rng.random()}".encode(),
        lambda: ("\ud800 lone surrogate " + str(rng.random())).encode("utf-8", "surrogatepass"),
    ]
    return [rng.choice(makers)() for _ in range(count)]
