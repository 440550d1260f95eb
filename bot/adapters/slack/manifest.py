"""The Slack app manifest shipped in this package (manifest.yaml), for one workspace or for any.

- `manifest_text()`: Socket Mode, as shipped.
- `manifest_text("https://host")`: HTTP mode: the slash command, interactivity and the event
  subscriptions (app_uninstalled and tokens_revoked) all go to https://host/slack/events.
- `manifest_text("https://host", distributed=True)`: HTTP mode for an app any workspace installs with
  "Add to Slack" (https://host/slack/install), Slack sending the installer back to /slack/oauth_redirect.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def _shipped() -> dict[str, Any]:
    return yaml.safe_load(resources.files(__package__).joinpath("manifest.yaml").read_text(encoding="utf-8"))


def bot_scopes() -> list[str]:
    """The bot scopes the app asks for, as the manifest lists them (an install asks for exactly these)."""
    return list(_shipped()["oauth_config"]["scopes"]["bot"])


def manifest_text(request_url: str | None = None, *, distributed: bool = False) -> str:
    """The app manifest (YAML). With `request_url` (https://host) it is set up for HTTP mode, and with
    `distributed` for installs by any workspace."""
    if not request_url:
        return resources.files(__package__).joinpath("manifest.yaml").read_text(encoding="utf-8")
    manifest = _shipped()
    base = request_url.rstrip("/").removesuffix(EVENTS_PATH)
    url = base + EVENTS_PATH
    for command in manifest["features"]["slash_commands"]:
        command["url"] = url
    manifest["settings"]["interactivity"]["request_url"] = url
    manifest["settings"]["event_subscriptions"]["request_url"] = url
    manifest["settings"]["socket_mode_enabled"] = False
    if distributed:
        manifest["oauth_config"]["redirect_urls"] = [base + REDIRECT_PATH]
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=1000)
