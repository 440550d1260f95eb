"""A Red-DiscordBot trivia list: YAML mapping each question to its accepted answers.

    AUTHOR: Ms Example
    Who was shot in Leningrad on 1 December 1934?:
    - Kirov
    - Sergei Kirov
    In which year did the First Five-Year Plan begin?:
    - 1928

Each question becomes a short answer: the first answer is the main form, the rest are also accepted.
`AUTHOR` and `CONFIG` are Red's own settings and are ignored, with a note.
"""

from __future__ import annotations

import yaml

from bot.content.imports.model import Draft, Parsed
from bot.core.grading import visible
from bot.core.vocabulary import QuestionKind

_RED_SETTINGS = ("AUTHOR", "CONFIG")
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, file: str) -> Parsed:
    parsed = Parsed(file, "red")
    try:
        root = yaml.compose(text, Loader=_SafeLoader)  # nodes, not values: each keeps its line
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        parsed.refuse(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(error, 'problem', error)}")
        return parsed
    if not isinstance(root, yaml.MappingNode):
        parsed.refuse(1, "a trivia list maps each question to a list of answers")
        return parsed
    seen: dict[str, int] = {}
    for key, value in root.value:
        line, prompt = key.start_mark.line + 1, visible(str(key.value))
        if prompt in _RED_SETTINGS:
            parsed.note(line, f"{prompt} is a Red-DiscordBot setting and is ignored")
            continue
        if not isinstance(key, yaml.ScalarNode) or not prompt:
            parsed.refuse(line, "a question should be plain text")
            continue
        if prompt in seen:
            parsed.refuse(line, f"the same question is already at line {seen[prompt]}")
            continue
        seen[prompt] = line
        answers = _answers(value)
        if answers is None:
            parsed.refuse(line, "the answers should be a list of text")
        elif not answers:
            parsed.refuse(line, "the question has no answers")
        else:
            main, *others = answers
            parsed.drafts.append(Draft(line, QuestionKind.SHORT_ANSWER, prompt, main, accept=tuple(others)))
    return parsed


def _answers(node: yaml.Node) -> list[str] | None:
    """The answers as written (`1934` stays text, not a number); a lone answer counts as a list of one."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    if not all(isinstance(item, yaml.ScalarNode) for item in items):
        return None
    answers = [visible(str(item.value)) for item in items]
    return [answer for answer in answers if answer]
