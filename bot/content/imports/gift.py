"""Moodle's GIFT format: one question per paragraph, the answers in braces.

    // a comment
    ::Title:: Who became General Secretary in 1922? {=Stalin ~Trotsky ~Zinoviev #He ran the Secretariat.}
    Lenin died in 1924.{T}
    In which year was Kirov shot? {=1934 =December 1934}

Multiple choice (`=` right, `~` wrong), true/false (`T`, `TRUE`, `F`, `FALSE`) and short answer (only `=`)
convert; numeric (`{#...}`), matching (`->`), essay (`{}`), partial credit (`%50%`) and embedded answers
are refused with the reason. A "missing word" question (text after the braces) asks with a blank.
The explanation is the general feedback (`####...`), else the feedback on the right answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.content.imports.model import Draft, Parsed, choice
from bot.core.grading import visible
from bot.core.vocabulary import QuestionKind

_UNESCAPE = re.compile(r"\\([~=#{}:\\n])")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_TRUE_FALSE = {"t": True, "true": True, "f": False, "false": False}


@dataclass
class _Answer:
    right: bool
    text: str
    weight: float | None
    feedback: str = ""

    @property
    def partial(self) -> bool:
        """Worth part of the marks: `=%50%...` or `~%25%...` (a negative weight is just wrong)."""
        if self.weight is None:
            return False
        return self.weight != 100 if self.right else self.weight > 0


def parse(text: str, file: str) -> Parsed:
    parsed = Parsed(file, "gift")
    for line, block in _paragraphs(text, parsed):
        _question(parsed, line, block)
    return parsed


def _paragraphs(text: str, parsed: Parsed) -> Iterator[tuple[int, str]]:
    """Each question's text with its first line; a blank line ends a question, `//` lines are comments."""
    block: list[str] = []
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            parsed.note(number, "a $CATEGORY line is ignored: questions take their topic from --topic")
            continue
        if not stripped:
            if block:
                yield start, "\n".join(block)
            block = []
            continue
        if not block:
            start = number
        block.append(raw)
    if block:
        yield start, "\n".join(block)


def _find(text: str, target: str, start: int = 0) -> int:
    """The index of the first unescaped `target` at or after `start`, or -1."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(target, index):
            return index
        index += 1
    return -1


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda match: "\n" if match[1] == "n" else match[1], text)


def _question(parsed: Parsed, line: int, block: str) -> None:
    text = block.strip()
    if text.startswith("::"):
        end = _find(text, "::", 2)
        if end < 0:
            parsed.refuse(line, "the title has no closing '::'")
            return
        text = text[end + 2 :]
    opening = _find(text, "{")
    if opening < 0:
        parsed.note(line, "a description (no answer in braces) is not a question: skipped")
        return
    closing = _find(text, "}", opening + 1)
    if closing < 0:
        parsed.refuse(line, "the answer has no closing '}' (write a literal brace as \\})")
        return
    before, body, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    if _find(after, "{") >= 0:
        parsed.refuse(line, "more than one answer in braces (an embedded-answers question) cannot be converted")
        return
    prompt = _prompt(before, after)
    if not prompt:
        parsed.refuse(line, "the question has no text")
        return
    why_not = _answers(parsed, line, prompt, body)
    if why_not:
        parsed.refuse(line, why_not)


def _prompt(before: str, after: str) -> str:
    html = _FORMAT.match(before)
    if html:
        before = before[html.end() :]
        if html[1].lower() == "html":
            before, after = _TAG.sub(" ", before), _TAG.sub(" ", after)
    before, after = visible(_unescape(before)), visible(_unescape(after))
    return f"{before} _____ {after}".strip() if after else before


def _answers(parsed: Parsed, line: int, prompt: str, body: str) -> str:
    """Add the draft for this answer block, or say why it cannot be converted."""
    stripped = body.strip()
    if not stripped:
        return "an essay question has no answer to check"
    if stripped.startswith("#"):
        return "a numeric question ({#...}) cannot be converted; write it as a short answer, e.g. {=1934}"
    tokens = _tokens(body)
    lead, general = tokens[0][1], next((text for marker, text in tokens if marker == "####"), "")
    if lead.casefold() in _TRUE_FALSE:
        feedback = [text for marker, text in tokens if marker == "#"]
        explanation = general or (feedback[1] if len(feedback) > 1 else "")  # `{T#if wrong#if right}`
        parsed.drafts.append(
            Draft(line, QuestionKind.TRUE_FALSE, prompt, _TRUE_FALSE[lead.casefold()], explanation=explanation)
        )
        return ""
    if lead:
        return f"cannot read the answers: {lead[:40]!r} comes before the first = or ~"
    answers: list[_Answer] = []
    for marker, text in tokens[1:]:
        if marker == "#" and answers:
            answers[-1].feedback = text
        elif marker in "=~":
            weight = _WEIGHT.match(text)
            text = text[weight.end() :].strip() if weight else text
            answers.append(_Answer(marker == "=", text, float(weight[1]) if weight else None))
    rights = [answer for answer in answers if answer.right]
    if any("->" in answer.text for answer in rights):
        return "a matching question (a -> b) cannot be converted"
    if any(not answer.text for answer in answers):
        return "an answer is empty"
    explanation = general or next((answer.feedback for answer in rights if answer.feedback), "")
    if any(answer.partial for answer in answers):
        return "partial credit (%50%) has no equivalent here: mark the one right answer with ="
    if len(rights) < len(answers):  # some ~ answers: multiple choice
        if len(rights) != 1:
            return f"{len(rights)} right answers (=); a multiple-choice question needs exactly one"
        options = [answer.text for answer in answers]
        parsed.drafts.append(choice(line, prompt, options, rights[0].text, explanation=explanation))
    else:
        first, *others = [answer.text for answer in rights]
        parsed.drafts.append(
            Draft(line, QuestionKind.SHORT_ANSWER, prompt, first, accept=tuple(others), explanation=explanation)
        )
    return ""


def _tokens(body: str) -> list[tuple[str, str]]:
    """The answer block split at unescaped markers: [('', lead), ('=', text), ('~', text), ('#', feedback),
    ('####', general feedback), ...], each text unescaped and trimmed."""
    tokens: list[tuple[str, str]] = []
    marker, start, index = "", 0, 0
    while index < len(body):
        character = body[index]
        if character == "\\":
            index += 2
            continue
        if character in "=~#":
            tokens.append((marker, body[start:index]))
            marker = "####" if body.startswith("####", index) else character
            index += len(marker)
            start = index
            continue
        index += 1
    tokens.append((marker, body[start:]))
    return [(marker, visible(_unescape(text))) for marker, text in tokens]
