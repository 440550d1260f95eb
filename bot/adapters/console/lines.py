"""Lines from standard input for the console, read by a daemon thread so a waiting `readline` never holds
the process open when it is asked to stop, and decoded leniently so one invalid byte does not end it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import TextIO


async def lines(stream: TextIO) -> AsyncIterator[str]:
    """Each line of `stream` as it arrives (invalid UTF-8 shown as \ufffd), until end of input."""
    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue[str | None] = asyncio.Queue()
    binary = getattr(stream, "buffer", None)

    def hand_over(line: str | None) -> None:
        try:
            loop.call_soon_threadsafe(arrived.put_nowait, line)
        except RuntimeError:  # the loop has closed: nobody is reading any more
            pass

    def read() -> None:
        try:
            while raw := (binary.readline() if binary is not None else stream.readline()):
                hand_over(raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw)
        except (OSError, ValueError):  # the stream was closed under us
            pass
        finally:
            hand_over(None)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    while (line := await arrived.get()) is not None:
        yield line
