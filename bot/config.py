"""Typed settings from the environment (and an optional .env file). Tokens are secrets."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
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
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
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
    log_level: str | None = None  # INFO for the chat front ends, WARNING in the console

    @field_validator("discord_guild_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            if not all(part.isdigit() for part in parts):
                raise ValueError("comma-separated server ids (numbers)")
            return [int(part) for part in parts]
        return value

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

    @field_validator(
        "discord_token",
        "slack_bot_token",
        "slack_app_token",
        "slack_signing_secret",
        "data_retention_days",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def content_dir(self) -> Path:
        return self.studybot_content_dir

    @property
    def front_ends(self) -> list[str]:
        """The chat front ends whose tokens are set, in start order."""
        enabled = []
        if self.discord_token:
            enabled.append("discord")
        if self.slack_bot_token:
            enabled.append("slack")
        return enabled


# What each setting should look like, for a configuration error that names the variable.
EXPECTED = {
    "database_url": "a database URL such as sqlite:///studybot.db or postgresql://user:password@host/db",
    "studybot_content_dir": "a folder laid out like content/",
    "discord_guild_ids": "comma-separated Discord server ids (numbers)",
    "port": "a port number such as 3000",
    "log_level": "DEBUG, INFO, WARNING or ERROR",
    "studybot_shutdown_grace": "a number of seconds such as 20",
    "studybot_post_lease": "a number of seconds such as 120",
    "sqlite_synchronous": "FULL (the default) or NORMAL",
}
SECRETS = {"discord_token", "slack_bot_token", "slack_app_token", "slack_signing_secret"}


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
