"""Dateline accuracy on the written leads, per style: is the city right (canonical name), is the
span exact, does a lead without a dateline get one. `python -m eval datelines`."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from wirestream.enrich.geo.gazetteer import fold
from wirestream.enrich.normalize import normalize_text

from eval.dateline_leads import Lead, leads

REFERENCE = datetime(2026, 11, 25, 12, tzinfo=UTC)


def score(parser: Any, cases: list[Lead] | None = None) -> dict[str, dict[str, float]]:
    """Per style and overall: leads, city right (of leads with a place), span exact (of leads with a
    dateline), false datelines (of leads without one)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for lead in cases or leads():
        found = parser.parse(normalize_text(lead.text), REFERENCE)
        for key in (lead.style, "all"):
            row = counts[key]
            row["leads"] += 1
            if lead.dateline is None:
                row["without"] += 1
                row["false"] += found is not None and (found.city is not None or found.agency is not None)
                continue
            row["with"] += 1
            row["span"] += found is not None and found.text == lead.dateline
            if lead.city is not None:
                row["places"] += 1
                row["city"] += found is not None and fold(found.city or "") == fold(lead.city)
    table: dict[str, dict[str, float]] = {}
    for key, row in counts.items():
        table[key] = {
            "leads": row["leads"],
            "city right": row["city"] / row["places"] if row["places"] else float("nan"),
            "span exact": row["span"] / row["with"] if row["with"] else float("nan"),
            "false datelines": row["false"] / row["without"] if row["without"] else float("nan"),
        }
    return table


def render(table: dict[str, dict[str, float]]) -> str:
    def pct(value: float) -> str:
        return "-" if value != value else f"{100 * value:.1f}%"

    lines = ["| style | leads | city right | span exact | false datelines |", "|---|---:|---:|---:|---:|"]
    for key in sorted(table, key=lambda k: (k == "all", k)):
        row = table[key]
        lines.append(f"| {key} | {row['leads']:.0f} | {pct(row['city right'])} | {pct(row['span exact'])} | "
                     f"{pct(row['false datelines'])} |")
    return "\n".join(lines)
