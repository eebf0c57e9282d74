"""`wirestream web`: serve the live newsroom page (read-only) on WIRESTREAM_UI_HOST:WIRESTREAM_UI_PORT."""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiohttp import web

from wirestream.kafka.admin import wait_for_broker
from wirestream.settings import Settings
from wirestream.web.server import make_app


def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    asyncio.run(wait_for_broker(settings))  # the one-line error now, not a page that never fills
    host, port = settings.ui_host, settings.ui_port
    print(f"newsroom page on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr, flush=True)
    try:
        web.run_app(make_app(settings, from_beginning=args.from_beginning), host=host, port=port,
                    print=None, handle_signals=True, access_log=None)
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port}: {exc.strerror or exc}; set WIRESTREAM_UI_PORT to a free "
              "port", file=sys.stderr)
        return 2
    return 0
