"""The client is typed for its users: mypy, run as a user's project would run it on a script that
imports `wirestream.client` from the installed package, accepts it and sees the real types."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.slow

USER_SCRIPT = '''\
import asyncio

from wirestream.client import BrokerUnavailable, Filters, Publisher, Subscriber
from wirestream.contracts import EnrichedArticle


async def main() -> None:
    try:
        async with Publisher() as publisher:
            article_id: str = await publisher.publish({"id": "demo-1", "text": "PARIS (AFP) - Hello."})
    except BrokerUnavailable as error:
        print(error.code)
        return
    async with Subscriber(filters=Filters(country="FR")) as subscriber:
        async for article in subscriber:
            first: EnrichedArticle = article
            print(first.language.code, article_id)
            break


asyncio.run(main())
'''

WRONG = '''\
from wirestream.client import Publisher

count: int = Publisher().publish  # a method is not an int
'''


def _mypy(script: Path) -> subprocess.CompletedProcess[str]:
    # Run from the script's folder, away from the repository: wirestream is found where a user's
    # mypy finds it, in the environment's site-packages.
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", script.name],
                          cwd=script.parent, capture_output=True, text=True, timeout=300)


def test_the_package_ships_its_py_typed_marker() -> None:
    assert (PROJECT / "services" / "wirestream" / "py.typed").is_file()
    assert '"py.typed"' in (PROJECT / "pyproject.toml").read_text()


def test_a_users_mypy_accepts_a_script_using_the_client(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    result = _mypy(script)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing library stubs or py.typed marker" not in result.stdout


def test_a_users_mypy_sees_the_clients_real_types(tmp_path: Path) -> None:
    script = tmp_path / "wrong.py"
    script.write_text(WRONG, encoding="utf-8")
    result = _mypy(script)
    assert result.returncode == 1 and "Incompatible types in assignment" in result.stdout, result.stdout
