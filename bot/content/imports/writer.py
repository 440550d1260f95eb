"""Drafts to bank questions: a topic, an explanation, the file's own source, and an id that stays the same
every time the same file is imported; then the YAML a content directory holds."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml
from pydantic import ValidationError

from bot.content.imports.model import Draft, Parsed
from bot.content.loader import Problem
from bot.content.schema import MAX_PROMPT, Question, Source
from bot.core.grading import visible

HEADER = "# Imported by `python -m bot content import`"
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_QUESTION_START = re.compile(r"^- id: ['\"]?([a-z0-9:._-]+)")


@dataclass
class Converted:
    """The bank questions made from one file, each with the line it came from, and what was refused."""

    file: str
    source: Source
    questions: dict[str, tuple[Question, int]] = field(default_factory=dict)  # by id
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def file_slug(file: str) -> str:
    """`Stalin Quiz (Y12).csv` -> `stalin-quiz-y12-csv`: the part of every id that names the file. Accents
    are dropped (`Révision` -> `revision`); a name in another script gets a short hash of itself, so two
    such files never share a slug."""
    folded = unicodedata.normalize("NFKD", file.casefold())
    latin = "".join(character for character in folded if character.isascii())
    slug = _NOT_SLUG.sub("-", latin).strip("-")[:32].strip("-") or "import"
    if any(character.isalnum() for character in folded if not character.isascii()):  # accents are not alnum
        slug = f"{slug}-{hashlib.sha1(file.encode()).hexdigest()[:6]}"
    return slug


def question_id(file: str, prompt: str) -> str:
    """The same file and question text (up to case and spacing) give the same id on every import."""
    digest = hashlib.sha1(" ".join(prompt.casefold().split()).encode()).hexdigest()[:10]
    return f"{file_slug(file)}-{digest}"


def convert(parsed: Parsed, *, topic: str = "", topics: Mapping[str, str]) -> Converted:
    """Make bank questions from `parsed`. A draft's own topic (a CSV column) wins over `topic`; either may
    be a topic's id or its title. `topics` maps the bank's topic ids to their titles."""
    source = Source(id=f"import:{file_slug(parsed.file)}", title=f"Imported from {visible(parsed.file)}")
    converted = Converted(parsed.file, source, notes=list(parsed.notes))
    by_name = {name.casefold(): topic_id for topic_id, title in topics.items() for name in (topic_id, title)}
    for draft in parsed.drafts:
        wanted = draft.topic or topic
        if not wanted:
            question: Question | str = "no topic: give --topic, or fill the file's topic column"
        elif wanted.casefold() not in by_name:
            question = f"unknown topic {wanted!r} (the bank's topics: {', '.join(topics)})"
        else:
            question = _question(draft, parsed.file, by_name[wanted.casefold()], source.id)
        if isinstance(question, str):
            converted.problems.append(Problem(parsed.file, draft.line, question))
            continue
        earlier = converted.questions.get(question.id)
        if earlier is None:
            converted.questions[question.id] = (question, draft.line)
        elif earlier[0].answer == question.answer:
            converted.notes.append(Problem(parsed.file, draft.line, f"the same question as line {earlier[1]}: skipped"))
        else:
            converted.problems.append(
                Problem(parsed.file, draft.line, f"the same question as line {earlier[1]}, with a different answer")
            )
    return converted


def _question(draft: Draft, file: str, topic: str, source: str) -> Question | str:
    """The bank question, or why it cannot be one."""
    if len(draft.prompt) >= MAX_PROMPT:
        return f"the question is {len(draft.prompt)} characters long; questions stay under {MAX_PROMPT}"
    try:
        return Question(
            id=question_id(file, draft.prompt),
            topic=topic,
            kind=draft.kind,
            prompt=draft.prompt,
            options=list(draft.options),
            answer=draft.answer,
            accept=list(draft.accept),
            explanation=draft.explanation or f"Imported from {visible(file)}.",
            source=source,
        )
    except ValidationError as error:
        return "; ".join(f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}" for detail in error.errors())


def bank_yaml(converted: Converted, keep: set[str] | None = None) -> tuple[str, dict[int, str]]:
    """The content file for the converted questions (only those in `keep`, when given), and the id of the
    question that starts at each of its lines (to tie the loader's problems back to the source file)."""
    questions = [question for key, (question, _) in converted.questions.items() if keep is None or key in keep]
    document = {
        "sources": [converted.source.model_dump()],
        "questions": [question.model_dump(mode="json", exclude_defaults=True) for question in questions],
    }
    name = visible(converted.file)
    comment = f"{HEADER} from {name}.\n# Importing {name} again replaces this file; the ids stay the same.\n"
    text = comment + yaml.dump(document, Dumper=_SafeDumper, sort_keys=False, allow_unicode=True, width=100)
    starts = {}
    in_questions = False
    for number, line in enumerate(text.split("\n"), 1):
        in_questions = in_questions or line == "questions:"
        found = _QUESTION_START.match(line) if in_questions else None
        if found:
            starts[number] = found[1]
    return text, starts
