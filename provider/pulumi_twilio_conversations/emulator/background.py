"""Serving a socket server from a thread of its own, and stopping it, for the emulator and the test receiver."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Callable


def serve_in_background(server: socketserver.BaseServer, name: str) -> threading.Thread:
    """Start `server.serve_forever` in a daemon thread (polling often, so `stop_serving` returns at once)."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True)
    thread.start()
    return thread


def stop_serving(
    server: socketserver.BaseServer, thread: threading.Thread | None, closed: Callable[[], None] | None = None
) -> None:
    """Stop the loop, close the listening socket, call `closed` (no new connection can come), wait for the thread."""
    server.shutdown()
    server.server_close()
    if closed is not None:
        closed()
    if thread is not None:
        thread.join()
