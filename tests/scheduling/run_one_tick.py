"""A separate bot process for the exactly-once test: open the service, wait for the go signal, tick once.

Usage: python -m tests.scheduling.run_one_tick DATABASE_URL CONTENT_DIR GO_FILE OUT_FILE
Each post it sends is appended to OUT_FILE as one line: the channel id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

from bot.bootstrap import open_service
from bot.core.publishing import Publishers
from bot.core.replies import DailyPost
from bot.scheduler import Scheduler

NOW = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)


class FilePublisher:
    def __init__(self, out: Path) -> None:
        self.out = out

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        with self.out.open("a") as sent:
            sent.write(channel_id + "\n")
        return channel_id


async def main(url: str, content: Path, go: Path, out: Path) -> None:
    async with open_service(url, content, clock=lambda: NOW) as service:
        scheduler = Scheduler(service.posts, Publishers({"console": FilePublisher(out)}))
        deadline = time.monotonic() + 30
        while not go.exists() and time.monotonic() < deadline:  # start both processes' ticks together
            await asyncio.sleep(0.005)
        await scheduler.tick()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])))
