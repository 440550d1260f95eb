"""What creating the Discord client logs: no discord.py voice warnings for a bot that never joins voice (issue 19)."""

from __future__ import annotations

import logging

import discord
import pytest

from bot.adapters.discord import StudyBot

VOICE_WARNINGS = ("PyNaCl is not installed", "davey is not installed")


@pytest.fixture
def voice_libraries_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a host without PyNaCl and davey (discord.py warns once per process, so reset the flags)."""
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True, raising=False)  # discord.py 2.7 on only


def voice_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if any(w in r.getMessage() for w in VOICE_WARNINGS)]


async def test_a_plain_discord_client_warns_about_voice(voice_libraries_missing, caplog):
    """The control: what discord.py logs unless told otherwise, so the test below can see it."""
    with caplog.at_level(logging.WARNING):
        await discord.Client(intents=discord.Intents.none()).close()
    warned = voice_warnings(caplog)
    assert "PyNaCl is not installed, voice will NOT be supported" in warned
    if discord.version_info >= (2, 7):  # davey came with discord.py 2.7
        assert "davey is not installed, voice will NOT be supported" in warned


async def test_creating_the_bot_logs_no_voice_warning(voice_libraries_missing, service, caplog):
    with caplog.at_level(logging.DEBUG):
        bot = StudyBot(service)
        await bot.close()
        await StudyBot(service).close()  # nor the second time round (a restart in the same process)
    assert voice_warnings(caplog) == []
