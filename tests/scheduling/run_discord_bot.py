"""The real bot process (`python -m bot discord`, signals and all) pointed at a fake Discord on 127.0.0.1.

Usage: python -m tests.scheduling.run_discord_bot REST_BASE GATEWAY_URL; the settings come from the
environment as for the bot itself (DISCORD_TOKEN, DATABASE_URL, STUDYBOT_POST_LEASE ...).
"""

from __future__ import annotations

import sys

import discord
import yarl

from bot.cli import main

if __name__ == "__main__":
    discord.http.Route.BASE = sys.argv[1]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
    sys.exit(main(["discord"]))
