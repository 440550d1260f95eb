"""The shard rule (which shard a Discord server is on), the shards a process runs, and reading them from
DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.core.publishing import Publishers
from bot.core.shards import Shards, shard_of
from tests.helpers import RecordingPublisher


def snowflake(timestamp: int, low_bits: int = 0) -> int:
    """A Discord id: milliseconds since Discord's epoch above 22 bits of worker, process and increment."""
    return timestamp << 22 | low_bits


@pytest.mark.parametrize("low_bits", [0, 1, 0x3FFFFF])
def test_a_server_s_shard_is_its_id_s_timestamp_modulo_the_count(low_bits):
    assert [shard_of(snowflake(t, low_bits), 4) for t in range(100, 106)] == [0, 1, 2, 3, 0, 1]
    assert shard_of(snowflake(12345, low_bits), 1) == 0  # one shard holds every server


def test_a_real_sized_server_id_is_split_by_its_timestamp_alone():
    guild_id = 1_187_456_789_012_345_678  # 19 digits, as today's server ids are
    assert [shard_of(guild_id, count) for count in (1, 2, 16)] == [0, 0, 12]  # 283,111,760,380 ms since 2015
    assert shard_of(guild_id + 0x3FFFFF - (guild_id & 0x3FFFFF), 16) == 12  # the low 22 bits do not count


def test_shards_own_only_the_servers_on_them():
    some = Shards(4, frozenset({0, 1}))
    assert [some.owns(snowflake(t)) for t in range(4)] == [True, True, False, False]
    assert not some.all and Shards(2, frozenset({0, 1})).all


@pytest.mark.parametrize(("count", "ids"), [(0, {0}), (4, set()), (4, {4}), (2, {-1})])
def test_impossible_shards_are_refused(count, ids):
    with pytest.raises(ValueError):
        Shards(count, frozenset(ids))


def test_publishers_name_only_the_platforms_that_run_some_shards():
    class Sharded(RecordingPublisher):
        def __init__(self, shards: Shards | None) -> None:
            super().__init__()
            self.shards = shards

    some = Shards(4, frozenset({2, 3}))
    publishers = Publishers({"discord": Sharded(some), "slack": RecordingPublisher(), "console": Sharded(None)})
    assert publishers.shards() == {"discord": some}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env from the working copy
    for name in ("DISCORD_SHARD_COUNT", "DISCORD_SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_shards_unset_leave_the_count_to_discord(environment):
    settings = Settings()
    assert settings.discord_shard_count is None and settings.discord_shard_ids == []
    environment.setenv("DISCORD_SHARD_COUNT", " ")
    environment.setenv("DISCORD_SHARD_IDS", "")
    assert Settings().discord_shard_count is None  # blank, as a template's empty line leaves it


@pytest.mark.parametrize(("ids", "expected"), [("2,3", [2, 3]), ("0 1", [0, 1]), ("3", [3]), ("", [])])
def test_shard_ids_are_read_as_a_list_of_some_of_the_count(environment, ids, expected):
    environment.setenv("DISCORD_SHARD_COUNT", "4")
    environment.setenv("DISCORD_SHARD_IDS", ids)
    settings = Settings()
    assert settings.discord_shard_count == 4 and settings.discord_shard_ids == expected


@pytest.mark.parametrize(
    ("count", "ids", "named"),
    [
        (None, "0,1", "DISCORD_SHARD_IDS"),  # which shards, of how many?
        ("4", "2,4", "DISCORD_SHARD_IDS"),  # shard 4 of 0-3
        ("4", "1,1", "DISCORD_SHARD_IDS"),
        ("4", "one", "DISCORD_SHARD_IDS"),
        ("4", "-1", "DISCORD_SHARD_IDS"),
        ("0", "0", "DISCORD_SHARD_COUNT"),
        ("four", "0", "DISCORD_SHARD_COUNT"),
    ],
)
def test_bad_shard_settings_name_the_variable_and_the_form_it_takes(environment, count, ids, named):
    if count is not None:
        environment.setenv("DISCORD_SHARD_COUNT", count)
    environment.setenv("DISCORD_SHARD_IDS", ids)
    with pytest.raises(ValidationError) as raised:
        Settings()
    said = describe_error(raised.value)
    assert said.startswith(f"{named} should be ") and said.count("\n") == 0, said
