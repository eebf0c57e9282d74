"""Organisations NER misses that a wire desk knows by heart: the news agencies.

Consumes text; produces ORG spans for every wire service of the agency table named in it
('Reuters', 'Agence France-Presse', 'Xinhua', 'Anadolu'), by name, alias or code. Two-letter codes
('AP', 'AA') are left out: as words they are too often something else. NER's own spans win where
the two overlap.
"""

from __future__ import annotations

import re
from typing import Final

from wirestream.enrich.agencies import WIRE_SERVICES

Span = tuple[int, int, str]

_NAMES: Final = sorted({name for service in WIRE_SERVICES for name in (service.code, service.name, *service.aliases)
                        if len(name) >= 3}, key=len, reverse=True)
# Case-sensitive and on word boundaries: 'Reuters', not 'reuters.com'; 'AFP', not 'AFPs'.
_KNOWN: Final = re.compile(r"(?<![\w.@/])(?:" + "|".join(map(re.escape, _NAMES)) + r")(?![\w@]|\.\w)")


def known_organisation_spans(text: str) -> list[Span]:
    return [(match.start(), match.end(), "ORG") for match in _KNOWN.finditer(text)]


def add_known(spans: list[Span], known: list[Span]) -> list[Span]:
    """`spans` with every known span that overlaps none of them."""
    taken = sorted((start, end) for start, end, _ in spans)
    added = [span for span in known if all(span[1] <= start or span[0] >= end for start, end in taken)]
    return sorted(spans + added)
