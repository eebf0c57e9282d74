"""`wirestream enrich`: the same enrichment code as the worker, offline, over files or stdin."""

from __future__ import annotations

import argparse
import sys

from wirestream.bootstrap import make_enrichers, make_story_index
from wirestream.cli.inputs import read_inputs
from wirestream.clock import now
from wirestream.enrich.ner_memory import NerMemory
from wirestream.enrich.outputs import make_rejection
from wirestream.enrich.pipeline import Memory, enrich
from wirestream.errors import RejectMessage
from wirestream.serialization import encode_model
from wirestream.settings import Settings


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    records = read_inputs(args.paths or ["-"])
    # One story index for the whole input: a file of articles is clustered as the stream would be,
    # and a near-identical copy reuses what NER found in its original.
    enrichers = make_enrichers(settings, preload=False)
    memory = Memory(stories=make_story_index(settings), spans=NerMemory())
    failed = 0
    out = sys.stdout.buffer
    for record in records:
        if record.error is not None:
            failed += 1
            print(f"error: {record.error}", file=sys.stderr)
            continue
        received_at = now()
        try:
            result = encode_model(enrich(record.value, enrichers, received_at, memory))
        except RejectMessage as exc:
            key = record.key.encode() if record.key else None
            result = encode_model(make_rejection(exc, record.value, key, received_at,
                                                 limits=settings.limits))
        out.write(result + b"\n")
    out.flush()
    return 1 if failed else 0
