"""What Discord refuses: the documented limits on commands, messages, embeds, components, modals
and autocomplete choices, checked on the JSON the bot sends (used by the fake and the render tests)."""

from __future__ import annotations

import re
from typing import Any

_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")  # lowercase command and option names


def refused(path: str, body: Any) -> list[str]:
    """Why Discord would answer this request with 400 Invalid Form Body (empty: it would accept it)."""
    if not isinstance(body, (dict, list)):
        return []
    if path.endswith("/commands"):
        return [p for c in body for p in command_problems(c)]
    if path.endswith("/callback"):
        data = body.get("data") or {}
        if body["type"] == 8:
            choices = data.get("choices", [])
            return (["over 25 choices"] if len(choices) > 25 else []) + [
                f"choice {c}" for c in choices if not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100
            ]
        if body["type"] == 9:
            return _limits(data, title=45, custom_id=100) + (
                ["modal over 5 rows"] if len(data["components"]) > 5 else []
            )
        return message_problems(data)
    return message_problems(body)


def command_problems(cmd: dict) -> list[str]:
    out = [] if _NAME.match(cmd["name"]) else [f"bad name {cmd['name']!r}"]
    if not 1 <= len(cmd.get("description", "")) <= 100:
        out.append(f"{cmd['name']}: description length {len(cmd.get('description', ''))}")
    options = cmd.get("options") or []
    if len(options) > 25:
        out.append(f"{cmd['name']}: over 25 options")
    required = [o.get("required", False) for o in options]
    if required != sorted(required, reverse=True):
        out.append(f"{cmd['name']}: optional option before a required one")
    for o in options:
        out += command_problems(o)
        if len(o.get("choices") or []) > 25:
            out.append(f"{o['name']}: over 25 choices")
    return out


def message_problems(data: dict) -> list[str]:
    out = _limits(data, content=2000)
    embeds = data.get("embeds") or []
    total = 0
    for e in embeds:
        out += _limits(e, title=256, description=4096)
        out += _limits(e.get("footer") or {}, text=2048) + _limits(e.get("author") or {}, name=256)
        fields = e.get("fields") or []
        if len(fields) > 25:
            out.append("embed over 25 fields")
        for f in fields:
            out += _limits(f, name=256, value=1024)
            if not f["name"] or not f["value"]:
                out.append("empty field name or value")
        total += sum(len(e.get(k) or "") for k in ("title", "description"))
        total += len((e.get("footer") or {}).get("text", "")) + len((e.get("author") or {}).get("name", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > 6000:
        out.append(f"embeds total {total} > 6000")
    rows = data.get("components") or []
    if len(rows) > 5:
        out.append("over 5 action rows")
    ids = [c.get("custom_id") for row in rows for c in row.get("components", []) if c.get("custom_id")]
    if len(ids) != len(set(ids)):
        out.append("duplicate custom_id")
    for row in rows:
        buttons = row.get("components", [])
        if len(buttons) > 5:
            out.append("over 5 buttons in a row")
        for b in buttons:
            out += _limits(b, label=80, custom_id=100)
            if not b.get("label") and not b.get("emoji"):
                out.append("button without label")
    return out


def _limits(obj: dict, **limits: int) -> list[str]:
    return [
        f"{key} is {len(str(obj[key]))} chars (max {limit})"
        for key, limit in limits.items()
        if obj.get(key) is not None and len(str(obj[key])) > limit
    ]
