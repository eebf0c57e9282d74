"""`python -m bench.web_page`: how fast the newsroom page shows enriched articles, in Chromium.

A fresh embedded broker and `wirestream web`; enriched records (one real article under new ids)
are written straight to articles.enriched at a rising rate, and the page, open in headless
Chromium, is read until it has shown them all. Prints, per rate, how long after the last record
the page had it: the page keeps up while that stays under a second.
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
            await page.wait_for("document.getElementById('counts').textContent.includes('enriched')", timeout=30)
            for rate in RATES:
                count = rate * SECONDS
                started = time.monotonic()
                for index in range(count):
                    record = template.model_copy(update={"id": f"r{rate}-{index:05d}"})  # type: ignore[union-attr]
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


if __name__ == "__main__":
    asyncio.run(main())
