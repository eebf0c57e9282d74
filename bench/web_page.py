"""`python -m bench.web_page`: the newsroom page in Chromium, live and full.

1. Live: a fresh embedded broker and `wirestream web`; enriched records (one real article under
   new ids) are written straight to articles.enriched at a rising rate, and the page is read until
   it shows the last one: how long after it was written, per rate.
2. Full: 5,000 articles of many languages and places held (`wirestream web --from-beginning`), the
   page opened cold: time to first contentful paint, to the first page of cards, to apply a
   search and a place filter (input to cards on screen), and the browser's JavaScript heap and
   DOM size (CDP `Performance.getMetrics`).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaProducer
from wirestream.bootstrap import make_enrichers
from wirestream.clock import now
from wirestream.enrich.ingest import ingest
from wirestream.enrich.pipeline import enrich_batch
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.broker import EmbeddedBroker, free_port
from wirestream.serialization import dumps, encode_model
from wirestream.settings import Settings

from tests.browser import Browser

RATES = (50, 200, 800, 1600, 3200)
SECONDS = 5
TEXT = ("TEHRAN (IP) - Iran's Foreign Minister Abbas Araghchi met Oman's Badr Albusaidi in Muscat on Monday "
        "to discuss the next round of talks with the United States, the ministry said.")


async def main() -> None:
    logs = Path(tempfile.mkdtemp(prefix="wirestream-web-bench-"))
    broker = EmbeddedBroker(port=free_port(), log_path=logs / "broker.log").start()
    settings = Settings(kafka_bootstrap_servers=broker.bootstrap_servers)
    await prepare_cluster(settings)
    [template] = enrich_batch([ingest(dumps({"id": "t", "text": TEXT}), now())], make_enrichers(settings))
    port = free_port()
    env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, "WIRESTREAM_UI_PORT": str(port)}
    with (logs / "web.log").open("wb") as output:
        web = subprocess.Popen([sys.executable, "-m", "wirestream", "web"], env=env, stdout=output, stderr=output)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, linger_ms=5)
    await producer.start()
    try:
        await asyncio.sleep(3)
        async with Browser() as browser:
            page = await browser.new_page()
            await page.goto(f"http://127.0.0.1:{port}/")
            await page.wait_for("window.__wirestream && window.__wirestream.ready", timeout=30)
            for rate in RATES:
                count = rate * SECONDS
                started = time.monotonic()
                for index in range(count):
                    record = template.model_copy(update={"id": f"r{rate}-{index:05d}",  # type: ignore[union-attr]
                                                         "received_at": now()})
                    await producer.send(settings.topic_enriched, encode_model(record), key=record.id.encode())
                    delay = started + (index + 1) / rate - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                await producer.flush()
                sent = time.monotonic()
                last = f"r{rate}-{count - 1:05d}"
                await page.wait_for(f"!!document.querySelector('#articles li[data-id=\"{last}\"]')", timeout=120)
                lag = time.monotonic() - sent
                achieved = count / (sent - started)
                print(f"{rate:>4} articles/s asked ({achieved:.0f} written) for {SECONDS} s: the page had the last one "
                      f"{lag:.2f} s after it was written ({'keeps up' if lag < 1 else 'falls behind'})", flush=True)
    finally:
        await producer.stop()
        web.terminate()
        web.wait(20)
        broker.stop()


HELD = 5_000
VARIANTS = [
    TEXT,
    "PARIS (AFP) - Emmanuel Macron a reçu Olaf Scholz à l'Élysée lundi pour parler de l'Ukraine et du budget.",
    "MADRID (EFE) - El presidente Pedro Sánchez anunció en Barcelona un plan de vivienda para jóvenes.",
    "BERLIN (dpa) - Bundeskanzler Friedrich Merz hat in Hamburg einen neuen Plan für die Bahn vorgestellt.",
    "القاهرة (رويترز) - قال وزير الخارجية المصري إن المحادثات في الدوحة مع قطر حول غزة ستستمر في باريس.",
    "МОСКВА, 24 ноября. /ТАСС/. Президент России провёл переговоры в Москве с главой Китая о Германии.",
    "新华社北京11月24日电 国家主席在北京会见了法国总统。双方讨论了上海和巴黎之间的合作。",
    "NAIROBI (AP) - Kenyan runners swept the podium at the city marathon in Nairobi, led by Faith Kipyegon.",
]


async def full() -> None:
    """5,000 articles held: first paint, filters, memory."""
    logs = Path(tempfile.mkdtemp(prefix="wirestream-web-full-"))
    broker = EmbeddedBroker(port=free_port(), log_path=logs / "broker.log").start()
    settings = Settings(kafka_bootstrap_servers=broker.bootstrap_servers)
    await prepare_cluster(settings)
    enrichers = make_enrichers(settings)
    templates = enrich_batch([ingest(dumps({"id": f"t{i}", "text": text}), now()) for i, text in enumerate(VARIANTS)],
                             enrichers)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap_servers, linger_ms=20)
    await producer.start()
    started = time.monotonic()
    for index in range(HELD):
        template = templates[index % len(templates)]
        record = template.model_copy(update={  # type: ignore[union-attr]
            "id": f"h{index:05d}", "title": f"Story {index}: {template.text[:60]}", "received_at": now()})  # type: ignore[union-attr]
        await producer.send(settings.topic_enriched, encode_model(record), key=record.id.encode())
    await producer.flush()
    await producer.stop()
    print(f"{HELD} enriched records written in {time.monotonic() - started:.1f} s", flush=True)
    port = free_port()
    env = {**os.environ, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers, "WIRESTREAM_UI_PORT": str(port)}
    with (logs / "web.log").open("wb") as output:
        web = subprocess.Popen([sys.executable, "-m", "wirestream", "web", "--from-beginning"], env=env, stdout=output,
                               stderr=output)
    try:
        import urllib.request

        from wirestream.serialization import loads

        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/state", timeout=2) as response:
                    if loads(response.read())["counts"]["articles"] >= HELD:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the page's server did not take the 5,000 articles in"
            await asyncio.sleep(0.5)
        async with Browser() as browser:
            page = await browser.new_page()
            await page.send("Performance.enable")
            opened = time.monotonic()
            await page.goto(f"http://127.0.0.1:{port}/")
            await page.wait_for("window.__wirestream && window.__wirestream.ready && "
                                "document.querySelectorAll('#articles li').length === 50", timeout=60)
            cards_shown = time.monotonic() - opened
            paint = await page.wait_for("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
            timings = {}
            for name, script, wanted in (
                ("search 'Nairobi'", "const q = document.getElementById('f-q'); q.value = 'Nairobi'; "
                                     "q.dispatchEvent(new Event('input'));", "q=Nairobi"),
                ("a place on the map", "document.getElementById('f-clear').click(); "
                                       "setTimeout(() => document.querySelector('#points circle[data-name=\"Cairo\"]')"
                                       ".dispatchEvent(new MouseEvent('click', {bubbles: true})), 300);", "place="),
            ):
                began = time.monotonic()
                await page.evaluate(f"(() => {{ {script} }})()")
                await page.wait_for(f"window.__wirestream.lastQuery.includes('{wanted}')", timeout=30)
                timings[name] = time.monotonic() - began - (0.3 if "place" in wanted else 0.15)  # less the page's own delay
            metrics = {m["name"]: m["value"] for m in (await page.send("Performance.getMetrics"))["metrics"]}
            print(f"page with {HELD} articles held: first contentful paint {paint:.0f} ms, first page of 50 cards "
                  f"{cards_shown:.2f} s after opening", flush=True)
            for name, seconds in timings.items():
                print(f"  filter by {name}: {seconds * 1000:.0f} ms from input to cards on screen", flush=True)
            print(f"  browser: JS heap {metrics['JSHeapUsedSize'] / 1e6:.1f} MB used of "
                  f"{metrics['JSHeapTotalSize'] / 1e6:.1f} MB, {metrics['Nodes']:.0f} DOM nodes", flush=True)
    finally:
        web.terminate()
        web.wait(20)
        broker.stop()


if __name__ == "__main__":
    asyncio.run(main() if "--full" not in sys.argv else full())
