"""A typed Python client for wirestream: publish raw articles, follow the enriched stream.

    from wirestream.client import Filters, Publisher, Subscriber

    async with Publisher() as publisher:
        article_id = await publisher.publish({"id": "a1", "text": "PARIS (AFP) - ..."})
    async with Subscriber(filters=Filters(lang="fr"), from_beginning=True) as subscriber:
        async for article in subscriber:
            print(article.id, [entity.name for entity in article.entities])

Settings come from the environment (WIRESTREAM_*, see the README) or a `Settings` object.
"""

from wirestream.client.errors import (
    BrokerUnavailable,
    ConfigError,
    InvalidArticle,
    InvalidSettings,
    NotInAsyncContext,
    WirestreamError,
)
from wirestream.client.filters import Filters
from wirestream.client.publisher import Article, Publisher, SyncPublisher
from wirestream.client.subscriber import Subscriber
from wirestream.contracts import EnrichedArticle, RawArticle, Rejection
from wirestream.settings import Settings

__all__ = ["Article", "BrokerUnavailable", "ConfigError", "EnrichedArticle", "Filters", "InvalidArticle",
           "InvalidSettings", "NotInAsyncContext", "Publisher", "RawArticle", "Rejection", "Settings", "Subscriber",
           "SyncPublisher", "WirestreamError"]
