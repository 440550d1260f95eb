"""The console for a person at a terminal: line editing, history kept between sessions, and completion of
commands, topics and names (prompt_toolkit); scheduled posts print above the prompt without breaking the
line being typed. Piped input never comes here (bot/adapters/console/lines.py reads it)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from platformdirs import user_data_path
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, NestedCompleter
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.patch_stdout import patch_stdout

PROMPT = "> "
SCHEDULE_ACTIONS = ("set", "show", "now", "skip", "pause", "resume", "off")


def history_file() -> Path:
    return user_data_path("studybot", appauthor=False) / "console-history"


def commands_completer(commands: Iterable[str], topics: Iterable[str], names: Iterable[str]) -> Completer:
    """Completes the command word, then what it takes: a topic after `quiz`, a name after `rival` and
    `explain`, a period after `leaderboard`, an action after `schedule`, `taught` and a topic after `topics`."""
    topics = list(topics)
    nested: dict[str, object] = {command: None for command in commands}
    nested["quiz"] = {topic: None for topic in topics}
    nested["rival"] = nested["explain"] = {name: None for name in names}
    nested["leaderboard"] = {period: None for period in ("week", "month", "all")}
    nested["schedule"] = {action: None for action in SCHEDULE_ACTIONS}
    nested["topics"] = {"taught": {topic: None for topic in (*topics, "all")}}
    return NestedCompleter.from_nested_dict(nested)


def open_history() -> History:
    """History in the user's data folder; kept in memory only when that folder cannot be written."""
    path = history_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError:
        return InMemoryHistory()
    return FileHistory(str(path))


async def typed_lines(completer: Completer, history: History | None = None) -> AsyncIterator[str]:
    """Each line the person types, until Ctrl-D. Ctrl-C clears the line being typed."""
    session: PromptSession[str] = PromptSession(history=history or open_history(), completer=completer)
    with patch_stdout(raw=True):  # output printed meanwhile (scheduled posts) goes above the prompt
        while True:
            try:
                line = await session.prompt_async(PROMPT)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return
            yield line
