"""Reads a content directory into a validated `Bank`, or reports every problem with file and line."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.schema import (
    ARRANGED,
    MAX_PROMPT,
    Allowance,
    Area,
    Bank,
    Coverage,
    Essay,
    Figure,
    Question,
    Source,
    Term,
    Topic,
)
from bot.core.dates import parse_date, years_in
from bot.core.grading import match_short_answer, normalise, with_other_names
from bot.core.vocabulary import QuestionKind

_SHORT_RANGE = re.compile(r"\b(\d{4})\s*[-\u2013]\s*(\d{2})\b")
BANNED_OPTIONS = ("all of the above", "none of the above", "both a and b")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content directory has problems; `problems` lists each with file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the content")

    def report(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class _Mapping(dict):
    """A YAML mapping that remembers where it and each of its keys started."""

    line: int = 0
    key_lines: dict[str, int]


# LibYAML's parser when PyYAML has it (several times faster at start-up), the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Mapping:  # type: ignore[override]
        mapping = _Mapping(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)

# Each top-level key a content file may hold, and the model of its items.
_SECTIONS: dict[str, type[BaseModel]] = {
    "areas": Area,
    "topics": Topic,
    "sources": Source,
    "questions": Question,
    "figures": Figure,
    "terms": Term,
    "essays": Essay,
}
# `content check` warnings kept on purpose (bot.content.lint): a list like a section's, without ids.
ALLOWED_WARNINGS = "allowed_warnings"
_MODELS: dict[str, type[BaseModel]] = {**_SECTIONS, ALLOWED_WARNINGS: Allowance}
_TOP_LEVEL_KEYS = sorted([*_MODELS, "coverage"])


@dataclass
class _Item:
    model: Any
    file: str
    line: int
    key_lines: dict[str, int]

    def at(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Collector:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.items: dict[str, list[_Item]] = {name: [] for name in _MODELS}
        self.coverage: Coverage | None = None

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def read_file(self, path: Path) -> None:
        name = path.relative_to(self.root.parent).as_posix() if path.is_relative_to(self.root.parent) else str(path)
        try:
            document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except UnicodeDecodeError:
            self.add(name, 1, "the file is not UTF-8 text")
            return
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            self.add(name, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(error, 'problem', error)}")
            return
        if document is None:
            return
        if not isinstance(document, _Mapping):
            self.add(name, 1, f"expected a mapping with keys {_TOP_LEVEL_KEYS}")
            return
        for key, value in document.items():
            line = document.key_lines.get(str(key), 1)
            if key == "coverage":
                self._read_coverage(name, line, value)
            elif key not in _MODELS:
                self.add(name, line, f"unknown key '{key}' (expected one of {_TOP_LEVEL_KEYS})")
            elif not isinstance(value, list):
                self.add(name, line, f"'{key}' should be a list")
            else:
                for entry in value:
                    self._read_item(name, key, entry, line)

    def _read_coverage(self, name: str, line: int, value: Any) -> None:
        try:
            self.coverage = Coverage.model_validate(value)
        except ValidationError as error:
            for detail in error.errors():
                self.add(name, line, f"coverage: {_describe(detail)}")

    def _read_item(self, name: str, section: str, entry: Any, section_line: int) -> None:
        if not isinstance(entry, _Mapping):
            self.add(name, section_line, f"each item in '{section}' should be a mapping, got {entry!r:.60}")
            return
        try:
            model = _MODELS[section].model_validate(dict(entry))
        except ValidationError as error:
            label = entry.get("id", f"item in '{section}'")
            for detail in error.errors():
                key = str(detail["loc"][0]) if detail["loc"] else ""
                self.add(name, entry.key_lines.get(key, entry.line), f"{label}: {_describe(detail)}")
            return
        self.items[section].append(_Item(model, name, entry.line, entry.key_lines))


def _describe(detail: Any) -> str:
    location = ".".join(str(part) for part in detail["loc"])
    if detail["type"] == "extra_forbidden":
        return f"unknown key '{location}'"
    if detail["type"] == "missing":
        return f"missing key '{location}'"
    return f"{location}: {detail['msg']}" if location else detail["msg"]


def content_files(root: Path) -> Iterator[Path]:
    yield from sorted(path for path in root.rglob("*") if path.suffix in {".yaml", ".yml"} and path.is_file())


def load_bank(root: Path) -> Bank:
    """Load and cross-check every YAML file under `root`; raise ContentError listing all problems."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), 0, "content directory not found")])
    collector = _Collector(root)
    for path in content_files(root):
        collector.read_file(path)
    indexed = {section: _index(collector, section) for section in _SECTIONS}
    _check_references(collector, indexed)
    figure_names = [(item.model.name, *item.model.aliases) for item in indexed["figures"].values()]
    for item in collector.items["questions"]:
        _check_question(collector, item, figure_names)
    _check_lookup_names(collector, indexed)
    _check_allowances(collector, indexed["questions"])
    if not indexed["questions"] and not collector.problems:
        collector.add(root.name, 0, "no questions found")
    if collector.problems:
        raise ContentError(collector.problems)
    return Bank(
        **{section: {key: item.model for key, item in items.items()} for section, items in indexed.items()},
        coverage=collector.coverage,
        allowed_warnings=tuple(item.model for item in collector.items[ALLOWED_WARNINGS]),
    )


def _index(collector: _Collector, section: str) -> dict[str, _Item]:
    seen: dict[str, _Item] = {}
    for item in collector.items[section]:
        if item.model.id in seen:
            first = seen[item.model.id]
            collector.add(item.file, item.line, f"duplicate id '{item.model.id}' (first at {first.file}:{first.line})")
        else:
            seen[item.model.id] = item
    return seen


def _check_references(collector: _Collector, indexed: dict[str, dict[str, _Item]]) -> None:
    for item in indexed["topics"].values():
        if item.model.area not in indexed["areas"]:
            collector.add(item.file, item.at("area"), f"{item.model.id}: unknown area '{item.model.area}'")
    for item in collector.items["questions"]:
        question: Question = item.model
        if question.topic not in indexed["topics"]:
            collector.add(item.file, item.at("topic"), f"{question.id}: unknown topic '{question.topic}'")
        if question.source not in indexed["sources"]:
            collector.add(item.file, item.at("source"), f"{question.id}: unknown source '{question.source}'")
        for figure in question.figures:
            if figure not in indexed["figures"]:
                collector.add(item.file, item.at("figures"), f"{question.id}: unknown figure '{figure}'")
        for term in question.terms:
            if term not in indexed["terms"]:
                collector.add(item.file, item.at("terms"), f"{question.id}: unknown glossary term '{term}'")
        if "which-figure" in question.tags and not question.figures:
            collector.add(
                item.file, item.at("tags"), f"{question.id}: a 'which-figure' question must link a figure card"
            )
    for item in indexed["essays"].values():
        essay: Essay = item.model
        if essay.topic not in indexed["topics"]:
            collector.add(item.file, item.at("topic"), f"{essay.id}: unknown topic '{essay.topic}'")
        if essay.source not in indexed["sources"]:
            collector.add(item.file, item.at("source"), f"{essay.id}: unknown source '{essay.source}'")
        if len({normalise(factor.name) for factor in essay.factors}) != len(essay.factors):
            collector.add(item.file, item.at("factors"), f"{essay.id}: two factors have the same name")
    for item in indexed["terms"].values():
        for related in item.model.related:
            if related not in indexed["figures"] and related not in indexed["terms"]:
                collector.add(item.file, item.at("related"), f"{item.model.id}: unknown related card '{related}'")


def _check_question(collector: _Collector, item: _Item, figure_names: list[tuple[str, ...]]) -> None:
    question: Question = item.model
    label = question.id

    def add(key: str, message: str) -> None:
        collector.add(item.file, item.at(key), f"{label}: {message}")

    arranged = question.kind in (QuestionKind.ORDER, QuestionKind.MATCH)
    if arranged and (question.answer is not None or question.options or question.accept or question.wrong):
        add(
            "answer",
            f"{question.kind} items take no answer, options, accept or wrong: the right answer is in "
            f"their {'events' if question.kind is QuestionKind.ORDER else 'pairs'}",
        )
    if not arranged and question.answer is None:
        add("kind", "the question has no answer")
    if question.kind is not QuestionKind.ORDER and question.events:
        add("events", "only order items take events")
    if question.kind is not QuestionKind.MATCH and question.pairs:
        add("pairs", "only match items take pairs")
    if question.kind is not QuestionKind.MULTIPLE_CHOICE and question.why_wrong:
        add("why_wrong", "only multiple-choice items take why_wrong")
    if question.kind is QuestionKind.ORDER:
        _check_order(add, question)
    elif question.kind is QuestionKind.MATCH:
        _check_match(add, question)
    elif question.kind is QuestionKind.MULTIPLE_CHOICE:
        if not 3 <= len(question.options) <= 5:
            add("options", f"multiple choice needs 3 to 5 options, has {len(question.options)}")
        folded = [normalise(option) for option in question.options]
        if len(set(folded)) != len(folded):
            add("options", "two options are the same")
        if any(option in BANNED_OPTIONS for option in folded):
            add("options", "no 'all/none of the above' options")
        if not isinstance(question.answer, str) or normalise(question.answer) not in folded:
            add("answer", f"answer {question.answer!r} is not among the options")
        if question.accept:
            add("accept", "'accept' is only for short answers")
        wrong_options = {normalise(option) for option in question.options} - {normalise(str(question.answer))}
        for option in question.why_wrong:
            if normalise(option) not in wrong_options:
                add("why_wrong", f"why_wrong names '{option}', which is not one of the wrong options")
    elif question.kind is QuestionKind.TRUE_FALSE:
        if not isinstance(question.answer, bool):
            add("answer", "a true/false answer must be true or false")
        if question.options or question.accept:
            add("options", "true/false questions take no options or accept list")
    else:
        if not isinstance(question.answer, str) or not normalise(question.answer):
            add("answer", "a short answer must be text")
        if question.options:
            add("options", "short answers take no options (list wrong answers under 'wrong')")
        accepted = with_other_names([str(question.answer), *question.accept], question.prompt, figure_names)
        for wrong in question.wrong:
            if match_short_answer(wrong, accepted, prompt=question.prompt).matched:
                add("wrong", f"the wrong answer '{wrong}' would be accepted by the answer or an alias")
        for alias in question.accept:
            others = [form for form in accepted if form != alias]
            if question.wrong and match_short_answer(alias, question.wrong, others, prompt=question.prompt).matched:
                add("accept", f"alias '{alias}' also matches a wrong answer")
    if len(question.prompt) >= MAX_PROMPT:
        add("prompt", f"prompt is {len(question.prompt)} characters; keep it under {MAX_PROMPT}")


def _check_order(add: Callable[[str, str], None], question: Question) -> None:
    """3 to 5 different events, each dated, listed earliest first, no two whose order the dates leave open."""
    events = question.events
    if len(events) not in ARRANGED:
        add("events", f"an order item needs 3 to 5 events, has {len(events)}")
    if len({normalise(event.event) for event in events}) != len(events):
        add("events", "two events are the same")
    for event in events:
        if years_in(normalise(event.event)):
            add("events", f"the event '{event.event}' gives its year away: keep the year in its date")
    for earlier, later in itertools.pairwise(events):
        if not _before(earlier.date, later.date):
            add("events", f"'{earlier.event}' ({earlier.date}) is not clearly before '{later.event}' ({later.date})")


def _before(earlier: str, later: str) -> bool:
    """Whether the first date is plainly before the second: by year, else month, else day, where both say it;
    for a date the grader cannot read ("1923-24", "late 1927") by its first year alone."""
    first, second = parse_date(normalise(earlier)), parse_date(normalise(later))
    if first is None or second is None:
        first_years, second_years = _years(earlier), _years(later)
        return bool(first_years and second_years) and max(first_years) < min(second_years)
    for mine, theirs in ((first.year, second.year), (first.month, second.month), (first.day, second.day)):
        if mine is None or theirs is None:
            return False
        if mine != theirs:
            return mine < theirs
    return False


def _years(date: str) -> set[int]:
    """The years a date names, a range's short end too ("1923-24" is 1923 and 1924)."""
    years = set(years_in(normalise(date)))
    for start, end in _SHORT_RANGE.findall(date):
        years.add(int(start[:2] + end))
    return years


def _check_match(add: Callable[[str, str], None], question: Question) -> None:
    pairs = question.pairs
    if len(pairs) not in ARRANGED:
        add("pairs", f"a match item needs 3 to 5 pairs, has {len(pairs)}")
    for side in ("left", "right"):
        if len({normalise(getattr(pair, side)) for pair in pairs}) != len(pairs):
            add("pairs", f"two {side}-hand items are the same")


def _check_lookup_names(collector: _Collector, indexed: dict[str, dict[str, _Item]]) -> None:
    """Every name and alias of a card must lead to that card alone."""
    owners: dict[str, str] = {}
    for section, key in (("figures", "name"), ("terms", "term")):
        for item in indexed[section].values():
            for name in [getattr(item.model, key), *item.model.aliases]:
                folded = normalise(name)
                owner = owners.setdefault(folded, item.model.id)
                if owner != item.model.id:
                    collector.add(
                        item.file, item.at("aliases"), f"{item.model.id}: name '{name}' is also used by '{owner}'"
                    )


def _check_allowances(collector: _Collector, questions: dict[str, _Item]) -> None:
    for item in collector.items[ALLOWED_WARNINGS]:
        allowance: Allowance = item.model
        wanted = 2 if allowance.check == "near-duplicate" else 1
        if len(set(allowance.questions)) != wanted:
            should = "two questions" if wanted == 2 else "one question"
            collector.add(item.file, item.at("questions"), f"{ALLOWED_WARNINGS}: a {allowance.check} names {should}")
        for question_id in allowance.questions:
            if question_id not in questions:
                collector.add(item.file, item.at("questions"), f"{ALLOWED_WARNINGS}: unknown question '{question_id}'")
