"""wirestream: streaming enrichment of news articles (language, dateline, named entities) over Kafka."""

__version__ = "0.1.0"
PIPELINE_VERSION = __version__
