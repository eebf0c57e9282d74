"""The newsroom page's server (aiohttp): the page, its assets, a JSON API over what it holds, and a
live event stream.

Read-only: GET only; it publishes nothing. Every response carries a Content-Security-Policy that
allows nothing but this server's own scripts, styles and images, and the page writes article
text with `textContent` only: article text is untrusted. The server holds the articles
(`state.Newsroom`, bounded); the browser asks for one page of cards, one article, the map or the
side panels at a time, for the filters it shows, so its memory stays small whatever the stream.

API (all GET, JSON; filters `lang`, `country`, `entity`, `story`, `place`, `q`, `copies`):
`/api/articles?page=N` a page of cards, newest first, with the true count; `/api/article/{id}`
one article whole; `/api/places` the map; `/api/top` the last hour's entities and stories;
`/api/rejections?page=N`; `/api/state` counts, languages and the pipeline's health;
`/events` Server-Sent Events: `changed` (counts, throttled) and `health`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from wirestream.client.subscriber import Subscriber
from wirestream.clock import now
from wirestream.kafka.admin import meet_cluster
from wirestream.kafka.status import Look, Status, look, status_between
from wirestream.serialization import dumps
from wirestream.settings import Settings
from wirestream.web.state import PAGE, Newsroom, Query

log = logging.getLogger("wirestream.web")

STATIC = Path(__file__).parent / "static"
ASSETS = {"app.js": "text/javascript", "style.css": "text/css", "land.svg": "image/svg+xml"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
QUEUE = 1_000  # events a slow page may fall behind by before it is cut off (it reconnects)
HEALTH_EVERY = 5.0  # seconds between two looks at the cluster
CHANGED_EVERY = 0.5  # seconds between two `changed` events at most: a burst is one redraw


class Broadcast:
    """Every open page's queue of events; a page too slow to keep up is dropped, not waited for."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[bytes | None]] = set()

    def send(self, kind: str, data: Any) -> None:
        event = b"event: " + kind.encode() + b"\ndata: " + dumps(data) + b"\n\n"
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # it ends this page's stream; the browser reconnects
                self._queues.discard(queue)
                while not queue.empty():
                    queue.get_nowait()
                queue.put_nowait(None)

    def close(self) -> None:
        """End every page's stream (the server is stopping): their handlers return at once, instead of
        the server waiting for them up to its shutdown timeout."""
        for queue in list(self._queues):
            self._queues.discard(queue)
            while not queue.empty():
                queue.get_nowait()
            queue.put_nowait(None)

    @contextlib.contextmanager
    def listener(self) -> Any:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)


def health_of(status: Status, settings: Settings) -> dict[str, Any]:
    """Throughput and lag per stage, and the rejection rate, as `wirestream status` reports them."""
    rates = {topic.name: topic.rate for topic in status.topics}
    return {
        "interval": status.interval,
        "topics": [{"name": t.name, "records": t.records, "rate": t.rate} for t in status.topics],
        "stages": [{"group": g.group, "stage": g.stage, "topic": g.topic, "lag": g.total_lag} for g in status.groups],
        "rate": {"raw": rates.get(settings.topic_raw, 0.0), "enriched": rates.get(settings.topic_enriched, 0.0),
                 "rejected": rates.get(settings.topic_rejected, 0.0)},
        "lag": sum(g.total_lag for g in status.groups),
    }


@web.middleware
async def _secured(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                   ) -> web.StreamResponse:
    response = await handler(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=dumps(data), content_type="application/json", status=status,
                        headers={"Cache-Control": "no-store"})


def _number(request: web.Request, name: str, default: int, most: int) -> int:
    text = request.query.get(name, "")
    return min(max(1, int(text)), most) if text.isdigit() else default


def make_app(settings: Settings, *, from_beginning: bool = False, newsroom: Newsroom | None = None) -> web.Application:
    newsroom = newsroom if newsroom is not None else Newsroom()
    broadcast = Broadcast()
    app = web.Application(middlewares=[_secured])
    app["health"] = {}
    app["newsroom"] = newsroom

    async def page(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Content-Type": "text/html; charset=utf-8",
                                                                 "Cache-Control": "no-store"})

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC / name, headers={"Content-Type": ASSETS[name]})

    async def articles(request: web.Request) -> web.StreamResponse:
        query = Query.of(dict(request.query))
        return _json(newsroom.page(query, _number(request, "page", 1, 10**6), _number(request, "size", PAGE, 200)))

    async def article(request: web.Request) -> web.StreamResponse:
        found = newsroom.detail(request.match_info["id"])
        return _json(found) if found is not None else _json({"error": "not held"}, status=404)

    async def places(request: web.Request) -> web.StreamResponse:
        return _json({"places": newsroom.places(Query.of(dict(request.query)))})

    async def top(request: web.Request) -> web.StreamResponse:
        return _json(newsroom.top(Query.of(dict(request.query)), now()))

    async def rejections(request: web.Request) -> web.StreamResponse:
        return _json(newsroom.rejections(_number(request, "page", 1, 10**6)))

    async def state(request: web.Request) -> web.StreamResponse:
        return _json({"counts": newsroom.counts(), "languages": newsroom.languages(), "health": app["health"]})

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        with broadcast.listener() as queue:
            while True:
                event = await queue.get()
                if event is None:
                    break
                try:
                    await response.write(event)
                except ConnectionResetError:  # the page was closed: nothing to report
                    break
        return response

    async def follow(app: web.Application) -> AsyncIterator[None]:
        changed = asyncio.Event()

        async def read() -> None:
            beginning = from_beginning
            while True:
                try:
                    async with Subscriber(settings, from_beginning=beginning, rejections=True) as subscriber:
                        async for record in subscriber.records():
                            newsroom.add(record)
                            changed.set()
                except Exception as exc:  # noqa: BLE001 - the broker went away: say so, and follow again
                    log.warning("lost the enriched stream (%s: %s); following again in %.0fs",
                                type(exc).__name__, exc, HEALTH_EVERY)
                    await asyncio.sleep(HEALTH_EVERY)
                    beginning = False  # what was shown stays shown: go on from the latest

        async def announce() -> None:
            """At most one `changed` event per CHANGED_EVERY: the page redraws once for a burst."""
            while True:
                await changed.wait()
                changed.clear()
                broadcast.send("changed", {"counts": newsroom.counts(), "languages": newsroom.languages()})
                await asyncio.sleep(CHANGED_EVERY)

        async def watch() -> None:
            previous: Look | None = None
            while True:
                started = time.monotonic()
                try:
                    # The topics first, with their partition counts: a look at a topic that does not
                    # exist yet would have the embedded broker create it with 4.
                    await meet_cluster(settings)
                    current = await look(settings)
                    # Rates since the previous look: a burst between two looks is counted too.
                    app["health"] = health_of(status_between(settings, previous, current), settings)
                    previous = current
                except Exception as exc:  # noqa: BLE001 - the page shows the cluster as unknown, and goes on
                    app["health"] = {"error": f"{type(exc).__name__}: {exc}"}
                    previous = None
                broadcast.send("health", app["health"])
                await asyncio.sleep(max(0.0, HEALTH_EVERY - (time.monotonic() - started)))

        tasks = [asyncio.create_task(read()), asyncio.create_task(announce()), asyncio.create_task(watch())]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task

    async def end_streams(app: web.Application) -> None:
        broadcast.close()

    app.router.add_get("/", page)
    app.router.add_get("/static/{name}", asset)
    app.router.add_get("/api/articles", articles)
    app.router.add_get("/api/article/{id}", article)
    app.router.add_get("/api/places", places)
    app.router.add_get("/api/top", top)
    app.router.add_get("/api/rejections", rejections)
    app.router.add_get("/api/state", state)
    app.router.add_get("/events", events)
    app.on_shutdown.append(end_streams)
    app.cleanup_ctx.append(follow)
    return app
