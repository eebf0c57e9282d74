"""Every size limit, derived from one setting: the largest article wirestream accepts.

Consumes `WIRESTREAM_MAX_ARTICLE_BYTES`; produces the record size every topic must carry
(`max.message.bytes`), the producer's request size, the consumers' fetch sizes and how much of
an oversized original a rejection keeps. Deriving them together is what guarantees that an
article the service accepts can always be written out again, enriched.

Why the record is three articles and a little more: an enriched record holds the article's
text, which JSON escaping can at most double (quotes, backslashes and line breaks become two
bytes; orjson writes other characters as UTF-8), and its entities, whose mentions are capped
per entity (`WIRESTREAM_MAX_MENTIONS_PER_ENTITY`) and in practice stay well under the text's
size. A record that still does not fit is rejected as `output_too_large`, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

# Room for the fields around the text: ids, timestamps, language, dateline, enrichment.
ENVELOPE_BYTES = 64 * 1024
# A record batch and its record header add at most this much on the wire around one value.
BATCH_OVERHEAD_BYTES = 16 * 1024
# A rejection of an original over the article limit keeps this much of it (plus size and SHA-256).
REJECTION_PREFIX_BYTES = 64 * 1024


@dataclass(frozen=True)
class SizeLimits:
    article_bytes: int  # the largest raw article value accepted; larger ones are rejected `too_large`
    record_bytes: int  # the largest record any wirestream topic carries: `max.message.bytes`
    request_bytes: int  # producers' `max_request_size`: one record and its batch overhead
    fetch_bytes: int  # consumers' `max_partition_fetch_bytes`: a whole record always fits
    rejection_prefix_bytes: int  # what a rejection keeps of an original over `article_bytes`


def size_limits(max_article_bytes: int) -> SizeLimits:
    record = 3 * max_article_bytes + ENVELOPE_BYTES
    request = record + BATCH_OVERHEAD_BYTES
    return SizeLimits(
        article_bytes=max_article_bytes,
        record_bytes=record,
        request_bytes=request,
        fetch_bytes=request,
        rejection_prefix_bytes=min(REJECTION_PREFIX_BYTES, max_article_bytes),
    )
