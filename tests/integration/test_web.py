"""The newsroom page in a real browser (headless Chromium), on the embedded broker with a real
worker: articles appear as they are enriched, untrusted text stays text, filters and the map work."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from wirestream.client import Publisher
from wirestream.kafka.broker import free_port

from tests.browser import Browser, chromium
from tests.integration.conftest import Cluster, Collector, stop_process
from tests.integration.fleet import report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOSTILE = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


async def _serving(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, f"wirestream web exited: {log.read_text()[-2000:]}"
        try:
            if (await asyncio.to_thread(_get, url))[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"wirestream web did not answer: {log.read_text()[-2000:]}"
        await asyncio.sleep(0.2)


async def test_the_page_shows_articles_live_escapes_them_filters_and_maps(
        cluster: Cluster, collector: Collector, unique: str, tmp_path: Path) -> None:
    chromium()  # installs it where it can, skips (saying why) where it cannot
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "web.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "wirestream", "web", "--from-beginning"],
                                   env={**cluster.env, "WIRESTREAM_UI_PORT": str(port)}, stdout=output, stderr=output)
    try:
        await _serving(url, process, log)
        status, headers, _ = await asyncio.to_thread(_get, url)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert (await asyncio.to_thread(_get, url + "api/state", "POST"))[0] == 405  # read-only

        async with Browser() as browser:
            page = await browser.new_page()
            await page.goto(url)
            await page.wait_for("document.getElementById('counts').textContent.includes('enriched')")
            articles = {
                f"{unique}-hostile": {"title": HOSTILE, "text": f"TEHRAN (IP) - Abbas Araghchi met Badr Albusaidi "
                                                                f"in Muscat on Monday, {unique}."},
                f"{unique}-fr": {"title": f"Macron reçoit Scholz {unique}",
                                 "text": f"PARIS, 24 nov (AFP) - Emmanuel Macron a reçu Olaf Scholz à l'Élysée "
                                         f"lundi pour parler de l'Ukraine, {unique}."},
                f"{unique}-en": {"title": f"Starmer in Brussels {unique}",
                                 "text": f"BRUSSELS (Reuters) - Keir Starmer met Ursula von der Leyen in Brussels "
                                         f"on Tuesday, {unique}."},
            }
            async with Publisher(cluster.settings) as publisher:
                await publisher.publish_many([{"id": key, **fields} for key, fields in articles.items()])
            await collector.wait_for(ids=set(articles))
            enriched_at = time.monotonic()
            shown = " && ".join(f"!!document.querySelector('#articles li[data-id=\"{key}\"]')" for key in articles)
            try:
                await page.wait_for(shown, timeout=30)
            except AssertionError:
                state = (await asyncio.to_thread(_get, url + "api/state"))[2][:100]
                state += (await page.evaluate("document.getElementById('counts').textContent + ' / ' + "
                                              "document.querySelectorAll('#articles li').length + ' / ' + "
                                              "document.getElementById('shown').textContent")).encode()
                raise AssertionError(f"the page did not show them; its errors: {page.errors}; its server holds: "
                                     f"{state!r}; log {log}") from None
            delay = time.monotonic() - enriched_at

            # Untrusted text is text: the title reads as written, nothing in it ran or became an element.
            title = await page.evaluate(f"document.querySelector('#articles li[data-id=\"{unique}-hostile\"] .title')"
                                        ".textContent")
            assert title == HOSTILE
            assert await page.evaluate("document.querySelectorAll('#articles script, #articles img').length") == 0
            assert await page.evaluate("window.__pwned === undefined")

            # The map has points for the datelines (sized by count), and a filter narrows the list.
            assert await page.evaluate("document.querySelectorAll('#points circle').length") >= 3
            languages = await page.evaluate(
                "(() => { const s = document.getElementById('f-lang'); s.value = 'fr';"
                " s.dispatchEvent(new Event('change'));"
                " return [...document.querySelectorAll('#articles li .lang')].map(n => n.textContent); })()")
            assert languages and set(languages) == {"fr"}
            ids = await page.evaluate("[...document.querySelectorAll('#articles li')].map(li => li.dataset.id)")
            assert f"{unique}-fr" in ids and f"{unique}-en" not in ids
            points = await page.evaluate("document.querySelectorAll('#points circle').length")
            assert points >= 1
            await page.evaluate("document.getElementById('f-clear').click()")
            await page.wait_for("document.getElementById('health').textContent.includes('enriched/s')", timeout=30)
            if os.environ.get("WIRESTREAM_SCREENSHOT"):
                await page.screenshot(Path(os.environ["WIRESTREAM_SCREENSHOT"]))
            report("newsroom page", seconds_from_enriched_record_to_shown=round(delay, 2))
    finally:
        stop_process(process)  # type: ignore[arg-type]
