"""Child process for scenario 4: open the service like the bot does, import and build both chat
adapters (no network: nothing connects), do a little work, and print the process's resident memory
as one JSON line. Run by bot.bench.startup as `python -m bot.bench.footprint` with DATABASE_URL and
STUDYBOT_CONTENT_DIR set. Imports only what a running bot imports."""

from __future__ import annotations

import asyncio
import importlib
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any


def status_kb() -> dict[str, int]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0])
    return values


async def measure() -> dict[str, Any]:
    from bot.bootstrap import open_service
    from bot.core.actor import Actor, Platform

    result: dict[str, Any] = {"adapters": {}}
    async with open_service(os.environ["DATABASE_URL"], Path(os.environ["STUDYBOT_CONTENT_DIR"])) as service:
        result["after_service_kb"] = status_kb()
        settings = SimpleNamespace(
            discord_guild_ids=[],
            slack_bot_token="xoxb-bench-not-a-token",
            slack_app_token=None,
            slack_signing_secret="0" * 32,
            slack_api_url="https://slack.com/api/",
            port=3000,
        )
        built = []
        for name in ("bot.adapters.discord", "bot.adapters.slack"):
            try:
                module = importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - an adapter being written may not import yet
                result["adapters"][name] = f"not importable: {type(error).__name__}: {error}"
                continue
            try:
                if name.endswith("discord"):
                    built.append(module.create_bot(service, settings))
                else:
                    built.append(module.create_app(service, settings))
                result["adapters"][name] = "imported and built"
            except Exception as error:  # noqa: BLE001 - reported, not fatal
                result["adapters"][name] = f"imported, not built: {type(error).__name__}: {error}"
        # A little real work, as a running bot would have done.
        who = Actor(Platform.CONSOLE, "footprint", "student", "Student")
        card = await service.daily_question(who)
        await service.submit_answer(who, card.options[0].letter if card.options else "Bukharin", card.ref)
        for period in ("week", "month", "all"):
            await service.leaderboard(who, period)
        result["running_kb"] = status_kb()
        for bot in built:
            close = getattr(bot, "close", None)
            if close is not None and asyncio.iscoroutinefunction(close):
                await close()
    rss = result["running_kb"]
    result["rss_mb"] = round(rss["VmRSS"] / 1024, 1)
    result["peak_rss_mb"] = round(rss["VmHWM"] / 1024, 1)
    return result


def main() -> None:
    print(json.dumps(asyncio.run(measure())))


if __name__ == "__main__":
    main()
