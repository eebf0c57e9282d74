"""The enrichment core: pure functions and their data, knowing nothing of Kafka or Faust.

`ingest` validates and normalises a message value; `pipeline` runs language ID, the dateline
and NER over ingested articles (in batches); `outputs` turns the result into the record to
write or the rejection that says why not. The models they use are built in `wirestream.bootstrap`
and passed in as `Enrichers`.
"""
