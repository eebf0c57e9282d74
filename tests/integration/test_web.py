"""The newsroom page in a real browser (headless Chromium), on the embedded broker with a real
worker, used as an editor would: articles appear newest first, one card per id with its latest
revision, copies folded under their original; a click opens an article with its entities marked;
search and a click on the map narrow the list and the panels; rejections have their view; the
header's rates move with the stream; untrusted text stays text; right-to-left titles read right to
left; the places of articles in languages without NER are on the map.

Screenshots of each step are kept in `.artifacts/page/` (not in git); set WIRESTREAM_SCREENSHOT to
also write the README's picture."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from wirestream.client import Publisher
from wirestream.kafka.broker import free_port
from wirestream.serialization import loads

from tests.browser import Browser, Page, chromium
from tests.conftest import PROJECT
from tests.integration.conftest import Cluster, Collector, stop_process
from tests.integration.fleet import report

pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOSTILE = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'
ARTEFACTS = PROJECT / ".artifacts" / "page"


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


async def _api(url: str) -> Any:
    return loads((await asyncio.to_thread(_get, url))[2])


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


def _articles(unique: str) -> dict[str, dict[str, str]]:
    return {
        f"{unique}-hostile": {"title": HOSTILE, "text": f"TEHRAN (IP) - Abbas Araghchi met Badr Albusaidi in Muscat "
                                                        f"on Monday, {unique}."},
        f"{unique}-fr": {"title": f"Macron reçoit Scholz {unique}", "url": f"https://example.org/{unique}/fr",
                         "text": f"PARIS, 24 nov (AFP) - Emmanuel Macron a reçu Olaf Scholz à l'Élysée lundi pour "
                                 f"parler de l'Ukraine, {unique}."},
        f"{unique}-ar": {"title": f"محادثات في القاهرة حول غزة {unique}",
                         "text": "القاهرة (رويترز) - قال وزير الخارجية المصري إن المحادثات في الدوحة مع قطر حول غزة "
                                 f"ستستمر الأسبوع المقبل، وإن مصر تنسق مع الأردن. {unique}"},
        f"{unique}-zh": {"text": f"新华社北京11月24日电 国家主席在北京会见了法国总统。双方讨论了上海和巴黎之间的合作。{unique}"},
        f"{unique}-ru": {"text": "МОСКВА, 24 ноября. /ТАСС/. Президент России провёл переговоры в Москве с главой "
                                 f"Китая. {unique}"},
        f"{unique}-tr": {"text": "ANKARA (AA) - Cumhurbaşkanı Ankara'da Almanya Başbakanı ile görüştü ve İstanbul'daki "
                                 f"yatırımları değerlendirdi. {unique}"},
        f"{unique}-orig": {"title": f"Floods in Valencia {unique}",
                           "text": f"VALENCIA (AFP) - Heavy rain flooded parts of Valencia overnight, forcing the "
                                   f"closure of 14 schools, regional officials said on Wednesday, {unique}.\n\n"
                                   "Emergency services rescued more than 60 people from cars and homes in Paiporta "
                                   "and Catarroja, where up to 180 litres of rain fell in six hours."},
    }


async def _cards(page: Page) -> list[dict[str, Any]]:
    return list(await page.evaluate(
        "[...document.querySelectorAll('#articles li')].map(li => ({id: li.dataset.id, "
        "title: li.querySelector('.title').textContent, badges: [...li.querySelectorAll('.badge')]"
        ".map(b => b.textContent)}))"))


async def _shot(page: Page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    await page.screenshot(path)
    return path


async def test_the_page_as_an_editor_uses_it(cluster: Cluster, collector: Collector, unique: str,
                                             tmp_path: Path) -> None:
    chromium()  # installs it where it can, skips (saying why) where it cannot
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "web.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "wirestream", "web", "--from-beginning"],
                                   env={**cluster.env, "WIRESTREAM_UI_PORT": str(port)}, stdout=output, stderr=output)
    articles = _articles(unique)
    try:
        await _serving(url, process, log)
        _, headers, _ = await asyncio.to_thread(_get, url)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert (await asyncio.to_thread(_get, url + "api/articles", "POST"))[0] == 405  # read-only

        async with Browser() as browser:
            page = await browser.new_page()
            await page.send("Emulation.setDeviceMetricsOverride", width=1500, height=1100, deviceScaleFactor=1,
                            mobile=False)
            await page.goto(url)
            await page.wait_for("window.__wirestream && window.__wirestream.ready")

            # -- publish: new articles, a correction, a copy, a rejection ------------------------
            copy_id = f"{unique}-copy"
            async with Publisher(cluster.settings) as publisher:
                await publisher.publish_many([{"id": key, **fields} for key, fields in articles.items()])
                await collector.wait_for(ids=set(articles))
                await publisher.publish({"id": copy_id, "text": "By Anna Berg\n" + articles[f"{unique}-orig"]["text"]})
                await publisher.publish({"id": f"{unique}-fr", "title": articles[f"{unique}-fr"]["title"],
                                         "url": articles[f"{unique}-fr"]["url"],
                                         "text": articles[f"{unique}-fr"]["text"] + " Ils ont aussi parlé du budget."})
            bad_key = f"{unique}-bad"
            producer = cluster_producer = None
            from aiokafka import AIOKafkaProducer
            cluster_producer = AIOKafkaProducer(bootstrap_servers=cluster.settings.kafka_bootstrap_servers)
            await cluster_producer.start()
            try:
                await (await cluster_producer.send("articles.raw", b'["not", "an", "article"]', key=bad_key.encode()))
            finally:
                await cluster_producer.stop()
            del producer
            await collector.wait_for(ids={copy_id}, rejected_keys={bad_key})
            deadline = time.monotonic() + 60
            while len(collector.history.get(f"{unique}-fr", [])) < 2:
                assert time.monotonic() < deadline, "the correction was not enriched"
                await asyncio.sleep(0.2)
            enriched_at = time.monotonic()
            mine = " && ".join(f"!!document.querySelector('#articles li[data-id=\"{key}\"]')" for key in articles)
            await page.wait_for(mine, timeout=30)
            await page.wait_for(f"(document.querySelector('#articles li[data-id=\"{unique}-fr\"] .badge') || "
                                "{}).textContent === 'rev 2'", timeout=30)
            delay = time.monotonic() - enriched_at
            shots = [await _shot(page, "1-stream")]

            # -- the list: newest first, one card per id, copies folded, honest counts ------------
            cards = await _cards(page)
            held = {a.id: a for a in collector.enriched.values()}
            shown = [c["id"] for c in cards]
            received = [held[i].received_at for i in shown if i in held]
            assert received == sorted(received, reverse=True), "not newest first by time received"
            assert shown.count(f"{unique}-fr") == 1 and copy_id not in shown
            original = next(c for c in cards if c["id"] == f"{unique}-orig")
            assert "+1 copy" in original["badges"]
            listing = await _api(url + "api/articles")
            folded = listing["folded"]
            assert listing["total"] + folded == listing["held"] and folded >= 1  # every held article counted
            assert await page.evaluate("document.getElementById('shown').textContent") == \
                f"1–{min(50, listing['total'])} of {listing['total']} articles (+{folded} " \
                f"{'copy' if folded == 1 else 'copies'} folded)"

            # Untrusted text is text: the title reads as written, nothing in it ran or became an element.
            title = await page.evaluate(f"document.querySelector('#articles li[data-id=\"{unique}-hostile\"] .title')"
                                        ".firstChild.textContent")
            assert title == HOSTILE
            assert await page.evaluate("document.querySelectorAll('#articles script, #articles img').length") == 0
            assert await page.evaluate("window.__pwned === undefined")
            # A right-to-left title is laid out right to left (its ellipsis on the left).
            assert await page.evaluate(f"getComputedStyle(document.querySelector('#articles li[data-id=\"{unique}-ar\"]"
                                       " .title')).direction") == "rtl"

            # -- the map: the places of the languages without NER, named; one count per article --
            points = await page.evaluate("Object.fromEntries([...document.querySelectorAll('#points circle')]"
                                         ".map(c => [c.dataset.name, +c.dataset.count]))")
            for place in ("Cairo", "Beijing", "Moscow", "Ankara", "Doha", "Shanghai", "Istanbul"):
                assert place in points, (place, sorted(points))
            labels = await page.evaluate("[...document.querySelectorAll('#labels text')].map(t => t.textContent)")
            assert labels and all(" " in label for label in labels)  # a name and a count
            for key in (f"{unique}-ar", f"{unique}-zh", f"{unique}-ru", f"{unique}-tr"):
                article = held[key]
                assert article.entities_status == "places_only" and article.entities

            # -- a click opens the article: text with its entities marked, its place, the original --
            await page.evaluate(f"document.querySelector('#articles li[data-id=\"{unique}-fr\"]').click()")
            await page.wait_for(f"window.__wirestream.opened === '{unique}-fr'")
            detail = await page.evaluate(
                "({title: document.querySelector('#detail h3').textContent, "
                "marks: [...document.querySelectorAll('#detail mark')].map(m => [m.textContent, m.className]), "
                "link: (document.querySelector('#detail a[target]') || {}).href, "
                "text: document.querySelector('#detail .text').textContent, "
                "sections: [...document.querySelectorAll('#detail .section')].map(s => s.textContent)})")
            assert detail["title"] == articles[f"{unique}-fr"]["title"]
            assert ["Emmanuel Macron", "PERSON"] in detail["marks"]
            assert detail["link"] == articles[f"{unique}-fr"]["url"]
            assert detail["text"].endswith("Ils ont aussi parlé du budget.")
            assert "Earlier revisions: 1" in detail["sections"] and "Places" in detail["sections"]
            shots.append(await _shot(page, "2-detail"))

            # -- search over title and text ------------------------------------------------------
            started = time.monotonic()
            await page.evaluate(f"(() => {{ const q = document.getElementById('f-q'); q.value = '{unique}'; "
                                "q.dispatchEvent(new Event('input')); })()")
            await page.wait_for(f"window.__wirestream.lastQuery.includes('q={unique}')")
            filter_seconds = time.monotonic() - started
            found = {c["id"] for c in await _cards(page)}
            assert found == set(articles)  # every article that says it; the copy is folded
            await page.evaluate("(() => { const q = document.getElementById('f-q'); q.value = 'Albusaidi'; "
                                "q.dispatchEvent(new Event('input')); })()")
            await page.wait_for("window.__wirestream.lastQuery.includes('q=Albusaidi')")
            assert f"{unique}-hostile" in {c["id"] for c in await _cards(page)}
            assert all("Albusaidi" in (a.text + (a.title or "")) for a in
                       (held[c["id"]] for c in await _cards(page) if c["id"] in held))
            await page.evaluate("document.getElementById('f-clear').click()")
            await page.wait_for("window.__wirestream.lastQuery === 'page=1'")

            # -- a click on the map filters the list and the side panels to that place -----------
            # The map follows the cleared search once its own request is answered, after the list.
            await page.wait_for("!!document.querySelector('#points circle[data-name=\"Cairo\"]')")
            await page.evaluate("document.querySelector('#points circle[data-name=\"Cairo\"]')"
                                ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
            await page.wait_for("window.__wirestream.lastQuery.includes('place=')")
            chip = await page.evaluate("document.getElementById('f-place-name').textContent")
            assert chip == "Place: Cairo"
            in_cairo = [c["id"] for c in await _cards(page)]
            assert f"{unique}-ar" in in_cairo and f"{unique}-fr" not in in_cairo
            assert all(any(p.name == "Cairo" for p in held[i].places) for i in in_cairo if i in held)
            await page.wait_for("[...document.querySelectorAll('#points circle')].every(c => c.dataset.count >= 1)")
            top = await page.evaluate("[...document.querySelectorAll('#top-entities li a')].map(a => a.textContent)")
            assert "Emmanuel Macron" not in top  # the panels follow the filters
            shots.append(await _shot(page, "3-map-filter"))
            await page.evaluate("document.getElementById('f-place-clear').click()")

            # -- rejections, with their reason and time ------------------------------------------
            await page.evaluate("document.getElementById('tab-rejections').click()")
            await page.wait_for("document.querySelectorAll('#rejections tbody tr').length > 0")
            rows = await page.evaluate("[...document.querySelectorAll('#rejections tbody tr')]"
                                       ".map(r => [...r.cells].map(c => c.textContent))")
            assert any(row[1] == "not_an_object" and row[3] == bad_key for row in rows), rows
            shots.append(await _shot(page, "4-rejections"))
            await page.evaluate("document.getElementById('tab-articles').click()")

            # -- the header's rates move with the stream, as `wirestream status` counts them -----
            async def trickle() -> None:
                async with Publisher(cluster.settings) as publisher:
                    for index in range(30):
                        await publisher.publish({"id": f"{unique}-live-{index}",
                                                 "text": f"LONDON (Reuters) - Live article {index} of the test, {unique}."})
                        await asyncio.sleep(0.25)

            await trickle()
            health = await page.wait_for("(() => { const t = document.getElementById('health').textContent; "
                                         "return parseFloat(t) > 0 ? t : null; })()", timeout=20)
            assert "in/s" in health and "lag" in health
            status = subprocess.run([sys.executable, "-m", "wirestream", "status", "--json", "--interval", "1"],
                                    env=cluster.env, capture_output=True, text=True, timeout=60)
            assert status.returncode == 0, status.stderr
            from_cli = loads(status.stdout)
            state = await _api(url + "api/state")
            assert {t["name"] for t in state["health"]["topics"]} == {t["name"] for t in from_cli["topics"]}
            assert {(g["group"], g["stage"]) for g in state["health"]["stages"]} == \
                {(g["group"], g["stage"]) for g in from_cli["groups"]}
            shots.append(await _shot(page, "5-live"))
            if os.environ.get("WIRESTREAM_SCREENSHOT"):
                shutil.copy(shots[1], os.environ["WIRESTREAM_SCREENSHOT"])
            assert not page.errors, page.errors
            report("newsroom page", seconds_from_enriched_record_to_shown=round(delay, 2),
                   seconds_to_apply_a_search=round(filter_seconds, 2), screenshots=str(ARTEFACTS))
    finally:
        stop_process(process)  # type: ignore[arg-type]
