"""MinHash fingerprints of article bodies, for finding republished copies.

A copy of a wire story keeps most of its word sequences whatever an outlet does to it: a new
title, byline or credit, a trimmed last paragraph, a few words changed. The fingerprint is the
MinHash of the body's word 5-grams (shingles), after the dateline, credit, byline and site
boilerplate are taken off and the words lower-cased: the share of equal values between two
fingerprints estimates the Jaccard similarity of their shingle sets. Numbers are kept: two
earnings reports from one template differ mostly in them.

Our own few lines rather than `datasketch`: the hashing is all we need of it (the index must live
in our own tables), and one numpy expression hashes every shingle by every permutation at once
(about 0.1 ms for a 500-word article, where datasketch's per-shingle `update` takes ~2 ms). The
values are deterministic across processes and machines (CRC-32 and a fixed seed, never
Python's salted `hash`), so fingerprints made by different workers compare.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

PERMUTATIONS = 128
SHINGLE_WORDS = 5
_SEED = 20261126
_PRIME = (1 << 31) - 1  # (a·x + b) stays below 2**63 for 32-bit x: no overflow in uint64
_rng = np.random.default_rng(_SEED)
_A = _rng.integers(1, _PRIME, size=(PERMUTATIONS, 1), dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=(PERMUTATIONS, 1), dtype=np.uint64)
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_SENTENCE_END = re.compile(r"[.!?:\"”»]\s*$")


@dataclass(frozen=True)
class Fingerprint:
    """The MinHash values of a body (`PERMUTATIONS` of them) and the CRC-32s of its key terms:
    numbers and names, what template siblings do not share."""

    values: bytes  # PERMUTATIONS little-endian uint32
    key_terms: frozenset[int]

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two bodies' shingle sets, in [0, 1]."""
        mine = np.frombuffer(self.values, dtype="<u4")
        theirs = np.frombuffer(other.values, dtype="<u4")
        return float(np.count_nonzero(mine == theirs)) / PERMUTATIONS

    def key_term_agreement(self, other: Fingerprint) -> float:
        """Share of the smaller set of key terms the other has too (1.0 when either has none)."""
        smaller = min(len(self.key_terms), len(other.key_terms))
        return len(self.key_terms & other.key_terms) / smaller if smaller else 1.0

    def bands(self, rows: int) -> list[int]:
        """The values cut into bands of `rows`, each as one number that also says which band it is:
        two bodies that share a band are LSH candidates."""
        width = 4 * rows
        return [int.from_bytes(self.values[start : start + width], "little") << 8 | band
                for band, start in enumerate(range(0, len(self.values) - width + 1, width))]


def words_of(body: str) -> list[str]:
    return _WORD.findall(body.casefold())


def key_terms(body: str) -> frozenset[int]:
    """Numbers, and capitalised words that do not begin a sentence (names, mostly)."""
    terms = {match.group() for match in _NUMBER.finditer(body)}
    for line in body.splitlines():
        for match in _WORD.finditer(line):
            word = match.group()
            if word[0].isupper() and match.start() > 0 and not _SENTENCE_END.search(line[: match.start()]):
                terms.add(word)
    return frozenset(zlib.crc32(term.encode()) for term in terms)


def shingles(words: list[str]) -> np.ndarray:
    """CRC-32 of each run of `SHINGLE_WORDS` words (one run of all of them for a shorter body)."""
    span = min(SHINGLE_WORDS, len(words))
    runs = {" ".join(words[i : i + span]) for i in range(len(words) - span + 1)} if words else {""}
    return np.fromiter((zlib.crc32(run.encode()) for run in runs), dtype=np.uint64, count=len(runs))


def fingerprint(body: str) -> Fingerprint:
    """The fingerprint of a normalised body (see `stories.comparable_body`)."""
    hashed = shingles(words_of(body))
    values = ((_A * hashed[np.newaxis, :] + _B) % _PRIME).min(axis=1).astype("<u4")
    return Fingerprint(values.tobytes(), key_terms(body))
