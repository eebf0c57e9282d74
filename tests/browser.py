"""Headless Chromium for the page tests, driven over the DevTools protocol with aiohttp (already
installed with Faust): no browser download, no extra driver.

`chromium()` finds the system browser, or installs Debian's `chromium` package once where it can
(as root, with apt, like any other system package the tests need); where it cannot, the tests
skip and say why.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import aiohttp
import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
# closed network refuses; --no-sandbox because the tests may run as root.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000", "--remote-debugging-port=0")


def chromium() -> str:
    """The browser's path; installs it with apt as root where it is missing; skips where it cannot."""
    found = next((path for name in NAMES if (path := shutil.which(name))), None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("headless Chromium is not installed and cannot be here (needs root and apt-get): "
                    "install Debian's 'chromium' package to run the page tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
        if result.returncode != 0:
            pytest.skip(f"could not install Chromium with {' '.join(command)}: {result.stderr.strip()[-300:]}")
    found = next((path for name in NAMES if (path := shutil.which(name))), None)
    if not found:
        pytest.skip("apt-get installed the chromium package, but no chromium binary is on PATH")
    return found


class Page:
    """One tab: navigate, evaluate JavaScript, take a screenshot."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self.errors: list[str] = []  # uncaught exceptions and console errors of the page


    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        await self._socket.send_json({"id": number, "method": method, "params": params})
        while True:
            message = await self._socket.receive_json(timeout=30)
            if message.get("method") == "Runtime.exceptionThrown":
                self.errors.append(str(message["params"]["exceptionDetails"].get("exception", {}).get("description")))
            elif message.get("method") == "Runtime.consoleAPICalled" and message["params"].get("type") == "error":
                self.errors.append(" ".join(str(a.get("value", a.get("description"))) for a in message["params"]["args"]))
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    async def goto(self, url: str) -> None:
        await self.send("Page.enable")
        await self.send("Runtime.enable")
        await self.send("Page.navigate", url=url)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} raised: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 30) -> Any:
        """Until `expression` is truthy in the page; returns its value."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                value = await self.evaluate(expression)
            except RuntimeError:  # the page is not there yet (navigating, loading)
                value = None
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not true within {timeout:.0f}s in the page: {expression}")
            await asyncio.sleep(0.05)

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


class Browser:
    """`async with Browser() as browser: page = await browser.new_page()`."""

    def __init__(self) -> None:
        self._binary = chromium()
        self._profile = tempfile.mkdtemp(prefix="wirestream-chromium-")
        self._process: subprocess.Popen[str] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._endpoint = ""

    async def __aenter__(self) -> Browser:
        self._process = subprocess.Popen([self._binary, *FLAGS, f"--user-data-dir={self._profile}",
                                          "about:blank"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         text=True, start_new_session=True)
        assert self._process.stderr is not None
        lines = []
        while True:
            line = await asyncio.to_thread(self._process.stderr.readline)
            lines.append(line)
            if not line or (found := re.search(r"DevTools listening on ws://([^/]+)/", line)):
                break
        if not line:
            raise RuntimeError("Chromium did not start: " + "".join(lines[-10:]))
        self._endpoint = f"http://{found.group(1)}"
        self._session = aiohttp.ClientSession()
        return self

    async def new_page(self) -> Page:
        assert self._session is not None
        async with self._session.put(f"{self._endpoint}/json/new?about:blank") as response:
            target = await response.json(content_type=None)
        socket = await self._session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        return Page(socket)

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
            # Its helpers (renderer, GPU, crash handler) may outlive it and still write into the
            # profile: stop the whole session before the profile is removed.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
        for _ in range(20):  # a helper killed a moment ago may leave a last file behind
            try:
                shutil.rmtree(self._profile)
                break
            except FileNotFoundError:
                break
            except OSError:
                await asyncio.sleep(0.1)
