"""Typed settings from the environment (and an optional .env file). Tokens are secrets."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

REPO_ROOT = Path(__file__).resolve().parent.parent


def shipped(name: str) -> Path:
    """`content` or `migrations`: inside the installed package when installed from a wheel, else at the
    top of the repository (a checkout, or an editable install)."""
    packaged = resources.files("bot").joinpath("_shipped", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return REPO_ROOT / name


SHIPPED_CONTENT = shipped("content")
SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///studybot.db"
    studybot_content_dir: Path = SHIPPED_CONTENT
    discord_token: SecretStr | None = None
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    # Discord's shards: how many the bot has, and the ones this process runs (0,1 here and 2,3 in another);
    # unset: discord.py asks Discord how many (one for a small bot) and runs them all.
    discord_shard_count: int | None = Field(default=None, gt=0)
    discord_shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    # "Add to Slack" for any workspace (OAuth v2, HTTP mode), instead of one workspace's SLACK_BOT_TOKEN.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL  # GovSlack: https://slack-gov.com/api/
    port: int = 3000
    sqlite_synchronous: Literal["FULL", "NORMAL", "EXTRA"] = "FULL"  # NORMAL: faster, may lose the last answers
    studybot_shutdown_grace: float = 20.0  # seconds a stopping bot lets posts and answers under way finish
    # How long a scheduled post's claim lasts without renewal before another process may take it over.
    studybot_post_lease: float = Field(default=120.0, gt=0)
    # FSRS's desired retention: the chance of recall at which a question comes back for review.
    review_retention: float = Field(default=0.9, ge=0.7, le=0.97)
    # How a new class shows its members on public boards until a teacher chooses (`privacy default ...`).
    board_default: Literal["named", "pseudonym", "hidden"] = "pseudonym"
    # Answers older than this many days are deleted each day (scores recomputed); unset: kept.
    data_retention_days: int | None = Field(default=None, gt=0)
    # Back-pressure: use cases run at once per process, and how many may wait their turn (then: "busy").
    max_in_flight: int = Field(default=256, gt=0)
    max_waiting: int = Field(default=2048, ge=0)
    log_level: str | None = None  # INFO for the chat front ends, WARNING in the console
    log_format: Literal["keyvalue", "json"] = "keyvalue"  # one line per event: key=value fields, or JSON
    metrics: bool = False  # METRICS=on serves /metrics (Prometheus) beside /healthz and /readyz on $PORT

    @field_validator("discord_guild_ids", "discord_shard_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if not all(part.isdigit() for part in parts):
                raise ValueError("comma-separated server ids (numbers)")
            return [int(part) for part in parts]
        return value

    @field_validator("discord_shard_ids")
    @classmethod
    def _of_the_count(cls, ids: list[int], info: ValidationInfo) -> list[int]:
        if not ids or "discord_shard_count" not in info.data:  # none named, or the count is bad (said already)
            return ids
        count = info.data["discord_shard_count"]
        if count is None or len(set(ids)) != len(ids) or max(ids) >= count:
            raise ValueError("different shard numbers below DISCORD_SHARD_COUNT, which must be set too")
        return ids

    @field_validator("slack_api_url")
    @classmethod
    def _joinable(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"  # slack-sdk joins method names with urljoin

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "slack_client_id",
        "slack_client_secret",
        "data_retention_days",
        "discord_shard_count",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def content_dir(self) -> Path:
        return self.studybot_content_dir

    def secret_values(self) -> list[str]:
        """The tokens, the signing secret and the database password: what no log line may show."""
        tokens = (
            self.discord_token,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_signing_secret,
            self.slack_client_secret,
        )
        values = [token.get_secret_value() for token in tokens if token is not None]
        try:
            password = urlsplit(self.database_url).password
        except ValueError:  # a malformed URL: reported when the database is opened
            password = None
        return [value for value in (*values, password) if value]

    @property
    def front_ends(self) -> list[str]:
        """The chat front ends whose tokens are set, in start order."""
        enabled = []
        if self.discord_token:
            enabled.append("discord")
        if self.slack_bot_token or (self.slack_client_id and self.slack_client_secret):
            enabled.append("slack")
        return enabled


# What each setting should look like, for a configuration error that names the variable.
EXPECTED = {
    "database_url": "a database URL such as sqlite:///studybot.db or postgresql://user:password@host/db",
    "studybot_content_dir": "a folder laid out like content/",
    "discord_guild_ids": "comma-separated Discord server ids (numbers)",
    "discord_shard_count": "the number of shards the bot runs as, such as 4",
    "discord_shard_ids": "the shards this process runs, such as 0,1: different numbers from 0 to "
    "DISCORD_SHARD_COUNT - 1, with DISCORD_SHARD_COUNT set",
    "port": "a port number such as 3000",
    "log_level": "DEBUG, INFO, WARNING or ERROR",
    "studybot_shutdown_grace": "a number of seconds such as 20",
    "studybot_post_lease": "a number of seconds such as 120",
    "sqlite_synchronous": "FULL (the default) or NORMAL",
    "log_format": "keyvalue (the default) or json",
    "metrics": "on or off",
}
SECRETS = {"discord_token", "slack_bot_token", "slack_app_token", "slack_signing_secret", "slack_client_secret"}


def describe_error(error: ValidationError) -> str:
    """One line per bad setting, naming its environment variable and the form it takes; a secret's
    value is never shown."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        expected = EXPECTED.get(field, "a valid value")
        shown = "" if field in SECRETS else f" (it is {str(problem.get('input'))[:60]!r})"
        lines.append(f"{field.upper()} should be {expected}{shown}.")
    return "\n".join(lines)
