"""`python -m eval` (`make eval`): accuracy figures, printed, never asserted."""

from __future__ import annotations

import sys
import time


def datelines() -> None:
    from wirestream.bootstrap import make_dateline_parser
    from wirestream.settings import Settings

    from eval.dateline_leads import leads
    from eval.datelines import render, score

    parser = make_dateline_parser(Settings())
    cases = leads()
    started = time.perf_counter()
    table = score(parser, cases)
    per_lead = (time.perf_counter() - started) / len(cases) * 1000
    print(f"## Datelines: {len(cases)} written leads, {len({c.language for c in cases})} languages")
    print(render(table))
    print(f"dateline parsing: {per_lead:.3f} ms per lead")


def main(argv: list[str]) -> int:
    wanted = argv or ["datelines"]
    for name in wanted:
        {"datelines": datelines}[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
