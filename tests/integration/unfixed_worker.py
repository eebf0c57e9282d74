"""A real worker with one Faust fix left out: `python -m tests.integration.unfixed_worker FIX`.

FIX is a name of `wirestream.faust_fixes.FIXES` (a module of that package). The tests that run it
show, on a real broker, the defect the fix is there for: when Faust or aiokafka mend it upstream,
they fail, and the fix can go. `failing_worker` leaves out the fixes named in LEAVE_OUT_FIXES.
"""

from __future__ import annotations

import os
import sys

from wirestream.faust_fixes import FIXES
from wirestream.settings import Settings
from wirestream.worker.run import run_worker


def fixes_without(names: list[str]) -> frozenset[str]:
    unknown = set(names) - FIXES
    if unknown:
        raise SystemExit(f"no such fix {', '.join(sorted(unknown))}; known: {', '.join(sorted(FIXES))}")
    return FIXES - set(names)


def fixes_from_env() -> frozenset[str]:
    """Every fix but those LEAVE_OUT_FIXES names (comma-separated)."""
    return fixes_without([name for name in os.environ.get("LEAVE_OUT_FIXES", "").split(",") if name])


if __name__ == "__main__":
    run_worker(Settings(), fixes=fixes_without(sys.argv[1:2]))
