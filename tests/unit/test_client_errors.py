"""The client's errors say what happened and what to do, with no broker needed to see them."""

from __future__ import annotations

import pytest
from wirestream.client import BrokerUnavailable, InvalidArticle, Publisher
from wirestream.errors import RetryLater
from wirestream.settings import Settings


@pytest.mark.parametrize("article", [None, 42, ["a", "list"]], ids=["None", "a number", "a list"])
def test_something_that_is_not_an_article_is_named_with_the_forms_that_are(article: object) -> None:
    publisher = Publisher(Settings())
    with pytest.raises(InvalidArticle) as raised:
        publisher.check(article, "article 3")  # type: ignore[arg-type]
    assert str(raised.value).startswith(f"article 3: {type(article).__name__} is not an article: pass a RawArticle")
    assert raised.value.reason == "invalid_article"


async def test_publishing_none_raises_the_clear_error_before_anything_is_sent() -> None:
    publisher = Publisher(Settings())  # not started: the check comes first
    with pytest.raises(InvalidArticle, match="NoneType is not an article"):
        await publisher.publish(None)  # type: ignore[arg-type]


def test_broker_unavailable_is_its_own_type_and_still_a_retry_later() -> None:
    error = BrokerUnavailable("no Kafka broker answers at 127.0.0.1:1")
    assert repr(error).startswith("BrokerUnavailable(") and error.code == "broker_unavailable"
    assert isinstance(error, RetryLater)  # code catching the old name goes on working
