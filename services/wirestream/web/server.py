"""The newsroom page's server (aiohttp): the page, its assets, the state, a live event stream.

Read-only: GET only; it publishes nothing. Every response carries a Content-Security-Policy that
allows nothing but this server's own scripts, styles and images, and the page writes article
text with `textContent` only: article text is untrusted.
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
from wirestream.kafka.admin import prepare_cluster
from wirestream.kafka.status import Status, collect_status
from wirestream.serialization import dumps
from wirestream.settings import Settings
from wirestream.web.state import Newsroom

log = logging.getLogger("wirestream.web")

STATIC = Path(__file__).parent / "static"
ASSETS = {"app.js": "text/javascript", "style.css": "text/css", "land.svg": "image/svg+xml"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
QUEUE = 1_000  # events a slow page may fall behind by before it is cut off (it reconnects)
HEALTH_EVERY = 5.0  # seconds between two looks at the cluster
TOP_EVERY = 1.0  # seconds between two counts of the last hour's entities and stories, at most


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
    """Throughput and lag per stage, and the rejection rate, from a look at the cluster."""
    rates = {topic.name: topic.rate for topic in status.topics}
    return {
        "topics": [{"name": t.name, "records": t.records, "rate": t.rate} for t in status.topics],
        "stages": [{"group": g.group, "stage": g.stage, "lag": g.total_lag} for g in status.groups],
        "rate": {"raw": rates.get(settings.topic_raw, 0.0), "enriched": rates.get(settings.topic_enriched, 0.0),
                 "rejected": rates.get(settings.topic_rejected, 0.0)},
    }


@web.middleware
async def _secured(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                   ) -> web.StreamResponse:
    response = await handler(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def make_app(settings: Settings, *, from_beginning: bool = False) -> web.Application:
    newsroom, broadcast = Newsroom(), Broadcast()
    app = web.Application(middlewares=[_secured])
    app["health"] = {}

    async def page(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Content-Type": "text/html; charset=utf-8",
                                                                 "Cache-Control": "no-store"})

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC / name, headers={"Content-Type": ASSETS[name]})

    async def state(request: web.Request) -> web.StreamResponse:
        return web.Response(body=dumps({**newsroom.snapshot(now()), "health": app["health"]}),
                            content_type="application/json")

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
        async def read() -> None:
            beginning = from_beginning
            while True:
                try:
                    async with Subscriber(settings, from_beginning=beginning, rejections=True) as subscriber:
                        last_top = 0.0
                        async for record in subscriber.records():
                            shown = newsroom.add(record, now())
                            if shown is not None:
                                broadcast.send("article", shown)
                            broadcast.send("counts", {"enriched": newsroom.enriched, "rejected": newsroom.rejected})
                            if time.monotonic() - last_top >= TOP_EVERY:
                                broadcast.send("top", newsroom.top(now()))
                                last_top = time.monotonic()
                except Exception as exc:  # noqa: BLE001 - the broker went away: say so, and follow again
                    log.warning("lost the enriched stream (%s: %s); following again in %.0fs",
                                type(exc).__name__, exc, HEALTH_EVERY)
                    await asyncio.sleep(HEALTH_EVERY)
                    beginning = False  # what was shown stays shown: go on from the latest

        async def watch() -> None:
            while True:
                try:
                    # The topics first, with their partition counts: a look at a topic that does not
                    # exist yet would have the embedded broker create it with 4.
                    await prepare_cluster(settings)
                    app["health"] = health_of(await collect_status(settings, interval=HEALTH_EVERY), settings)
                except Exception as exc:  # noqa: BLE001 - the page shows the cluster as unknown, and goes on
                    app["health"] = {"error": f"{type(exc).__name__}: {exc}"}
                    await asyncio.sleep(HEALTH_EVERY)
                broadcast.send("health", app["health"])
                broadcast.send("top", newsroom.top(now()))

        tasks = [asyncio.create_task(read()), asyncio.create_task(watch())]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task

    app.router.add_get("/", page)
    app.router.add_get("/static/{name}", asset)
    app.router.add_get("/api/state", state)
    app.router.add_get("/events", events)

    async def end_streams(app: web.Application) -> None:
        broadcast.close()

    app.on_shutdown.append(end_streams)
    app.cleanup_ctx.append(follow)
    return app
