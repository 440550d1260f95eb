"""Import a file into a content directory: parse, convert, check with the real loader, write all or nothing.

The check loads a copy of the bank with the new file in place (so the import is judged exactly as
`content check` and the bot's start-up will judge it); each problem the loader finds in the new file is
reported against the line of the source file the question came from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.imports.reading import parse
from bot.content.imports.writer import HEADER, Converted, bank_yaml, convert, file_slug
from bot.content.loader import ContentError, Problem, load_bank


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    written: Path | None = None
    count: int = 0  # questions written


def default_out(content_dir: Path) -> Path:
    return content_dir / "questions" / "imported"


def import_file(
    path: Path,
    content_dir: Path,
    *,
    out: Path | None = None,
    format: str | None = None,
    topic: str = "",
    skip_bad: bool = False,
) -> Outcome:
    """Import `path` into the bank at `content_dir` as `out/<file>.yaml`. With any problem nothing is
    written, unless `skip_bad`: then the questions that pass every check are."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return Outcome([Problem(str(path), 0, f"cannot read the file: {error.strerror or error}")])
    try:
        bank = load_bank(content_dir)
    except ContentError as error:
        message = f"the bank at {content_dir} has problems; fix them first (python -m bot content check)"
        return Outcome([Problem(str(content_dir), 0, message), *error.problems])
    parsed = parse(path.name, data, format)
    converted = convert(parsed, topic=topic, topics={key: value.title for key, value in bank.topics.items()})
    outcome = Outcome([*parsed.problems, *converted.problems], converted.notes)
    target = (out or default_out(content_dir)) / f"{file_slug(parsed.file)}.yaml"
    if target.exists() and not target.read_text(encoding="utf-8", errors="replace").startswith(HEADER):
        outcome.problems.append(Problem(str(target), 1, "this file was not written by an import; choose another --out"))
        return outcome
    keep, fatal, text = set(converted.questions), [], ""
    while keep:  # with skip_bad, what the loader refused is dropped and the rest checked again
        text, starts = bank_yaml(converted, keep)
        refused, fatal = _check(content_dir, target, text, starts, converted)
        for question_id, problems in refused.items():
            outcome.problems += problems
            keep.discard(question_id)
        if not refused or fatal or not skip_bad:
            break
    outcome.problems = sorted(outcome.problems, key=lambda problem: problem.line) + fatal
    if not keep or fatal or (outcome.problems and not skip_bad):
        return outcome
    _write_atomically(target, text)  # the text just checked: the loop ends on a clean check or writes nothing
    outcome.written, outcome.count = target, len(keep)
    return outcome


def _check(
    content_dir: Path, target: Path, text: str, starts: dict[int, str], converted: Converted
) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """Load a copy of the bank with `text` as the new file. Returns the loader's problems with each
    question (by id, at the question's line in the source file), and any other problem it found."""
    relative = _within(target, content_dir) or Path("imported") / target.name
    with tempfile.TemporaryDirectory(prefix="studybot-import-") as scratch:
        root = Path(scratch) / content_dir.name
        shutil.copytree(content_dir, root, ignore=_only_content(content_dir / relative))
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
        try:
            load_bank(root)
            return {}, []
        except ContentError as error:
            found = error.problems
    name, lines = (Path(content_dir.name) / relative).as_posix(), sorted(starts)
    refused: dict[str, list[Problem]] = {}
    other: list[Problem] = []
    for problem in found:
        if problem.file != name or not lines or problem.line < lines[0]:
            other.append(problem)
            continue
        question_id = starts[lines[bisect_right(lines, problem.line) - 1]]
        line = converted.questions[question_id][1]
        message = problem.message.removeprefix(f"{question_id}: ")
        refused.setdefault(question_id, []).append(Problem(converted.file, line, message))
    return refused, other


def _within(path: Path, directory: Path) -> Path | None:
    path, directory = path.resolve(), directory.resolve()
    return path.relative_to(directory) if path.is_relative_to(directory) else None


def _only_content(replaced: Path) -> Callable[[str, list[str]], list[str]]:
    """For copytree: leave out the file the import replaces and everything the loader would not read."""
    replaced = replaced.resolve()

    def ignore(directory: str, names: list[str]) -> list[str]:
        here = Path(directory)
        return [
            name
            for name in names
            if (here / name).resolve() == replaced
            or ((here / name).is_file() and (here / name).suffix not in {".yaml", ".yml"})
        ]

    return ignore


def _write_atomically(target: Path, text: str) -> None:
    """Write the whole file or leave the old one: a crash midway never leaves half a bank file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(scratch, target)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
