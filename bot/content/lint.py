"""Warnings for `content check`: things a reviewer should look at, which do not stop the bank loading.

- near-duplicate: two questions that ask the same fact (a student meets it twice, and one gives the
  other's answer away). Each question's fact is the words of its prompt and right answer; two facts are
  compared by the words they share, each word weighted by how rare it is in the bank (a shared
  "Deutscher" or "1968" says far more than a shared "Stalin"). Plain fuzzy ratios of the prompts were
  tried first: they ranked pairs that merely share a topic above real repeats. Being lexical, it misses
  a fact asked again in quite other words; a reader still has to look for those.
- option-length: a multiple-choice option far shorter or longer than the answer, which lets a student
  pick the odd one out without knowing anything.

A warning a reviewer keeps on purpose goes under `allowed_warnings` in the content with its reason;
an allowance that no longer matches a warning is itself reported, so the list cannot go stale.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from bot.content.schema import Bank, Question
from bot.core.grading import normalise
from bot.core.vocabulary import QuestionKind

# Tuned on the shipped bank: its old repeats (tests/fixtures/lint) score 0.65-0.84, or 0.43 and up when asked
# both ways round, while pairs that ask what and then why about one event ("When did Order 00447 come?", "What
# did it change?") stay below 0.6.
NEAR_DUPLICATE = 0.6  # the weighted share of words above which two facts are the same
BOTH_WAYS = 0.4  # ... or above which they are, when each question's answer is named in the other's prompt
FAR_SHORTER, FAR_LONGER = 0.6, 1.7  # an option's length against the answer's ...
LENGTH_GAP = 12  # ... and by at least this many characters, so '1928' against '1929-32' is no warning

_STOP = frozenset(
    "a about after an and are as at be been before but by did do does for from had has have he her him his "
    "how in into is it its most not of on or that the their them these they this those to was were what "
    "when where which who whom whose why with".split()
)
_SUFFIXES = ("ing", "ed", "es", "s")
_TEXT_ANSWERS = (QuestionKind.MULTIPLE_CHOICE, QuestionKind.SHORT_ANSWER)  # a true/false answer states no fact


@dataclass(frozen=True, slots=True)
class ContentWarning:
    check: str
    questions: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{', '.join(self.questions)}: {self.message}"


def lint(bank: Bank) -> list[ContentWarning]:
    """Every warning for the bank, less those its `allowed_warnings` keep, plus any allowance left over."""
    found = near_duplicates(bank.questions.values()) + option_lengths(bank.questions.values())
    allowed = {(allowance.check, frozenset(allowance.questions)) for allowance in bank.allowed_warnings}
    kept = [warning for warning in found if (warning.check, frozenset(warning.questions)) not in allowed]
    raised = {(warning.check, frozenset(warning.questions)) for warning in found}
    for allowance in bank.allowed_warnings:
        if (allowance.check, frozenset(allowance.questions)) not in raised:
            kept.append(
                ContentWarning(
                    "allowance", tuple(allowance.questions), f"the {allowance.check} allowance is no longer needed"
                )
            )
    return kept


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def fact_words(question: Question) -> frozenset[str]:
    """The words that carry a question's fact: its prompt and, where it is text, its right answer."""
    answer = question.answer_text if question.kind in _TEXT_ANSWERS else ""
    if question.kind in (QuestionKind.ORDER, QuestionKind.MATCH):  # the events or pairs are the fact
        answer = " ".join(
            [*(event.event for event in question.events), *(f"{p.left} {p.right}" for p in question.pairs)]
        )
    words = normalise(f"{question.prompt} {answer}").split()
    return frozenset(_stem(word) for word in words if len(word) > 1 and word not in _STOP)  # not the 'E. H.' of Carr


def _answer_forms(question: Question) -> set[str]:
    if question.kind not in _TEXT_ANSWERS:
        return set()
    return {folded for form in (question.answer_text, *question.accept) if (folded := normalise(form))}


def _names(forms: set[str], prompt: str) -> bool:
    """Does the prompt name one of the forms, as whole words ('Stalin's' names 'stalin')?"""
    return any(f" {form} " in prompt or f" {form}s " in prompt for form in forms)


def near_duplicates(questions: Iterable[Question]) -> list[ContentWarning]:
    """Pairs whose facts share NEAR_DUPLICATE of their weight (rare words weigh most), or BOTH_WAYS of it when
    each names the other's answer: the same fact asked both ways round ('Who coined "the Great Retreat"?' and
    'What term did Timasheff use?')."""
    bank = list(questions)
    facts = [fact_words(question) for question in bank]
    frequency = Counter(word for fact in facts for word in fact)
    weight = {word: math.log(len(facts) / count) for word, count in frequency.items()}
    totals = [sum(weight[word] for word in fact) for fact in facts]
    answers = [_answer_forms(question) for question in bank]
    prompts = [f" {normalise(question.prompt)} " for question in bank]
    warnings = []
    for i, j in combinations(range(len(bank)), 2):
        if not totals[i] or not totals[j]:
            continue
        similarity = sum(weight[word] for word in facts[i] & facts[j]) / math.sqrt(totals[i] * totals[j])
        both_ways = _names(answers[i], prompts[j]) and _names(answers[j], prompts[i])
        if similarity >= NEAR_DUPLICATE or (both_ways and similarity >= BOTH_WAYS):
            first, second = bank[i], bank[j]
            how = "both ways round" if both_ways else "twice"
            warnings.append(
                ContentWarning(
                    "near-duplicate",
                    (first.id, second.id),
                    f"may ask the same fact {how} ({similarity:.2f}): \u201c{first.prompt}\u201d / "
                    f"\u201c{second.prompt}\u201d",
                )
            )
    return warnings


def option_lengths(questions: Iterable[Question]) -> list[ContentWarning]:
    """Multiple-choice options far shorter or longer than the answer."""
    warnings = []
    for question in questions:
        if question.kind is not QuestionKind.MULTIPLE_CHOICE:
            continue
        size = len(question.answer_text)
        odd = [
            option
            for option in question.options
            if normalise(option) != normalise(question.answer_text)
            and not FAR_SHORTER * size <= len(option) <= FAR_LONGER * size
            and abs(len(option) - size) >= LENGTH_GAP
        ]
        if odd:
            listed = "; ".join(f"\u201c{option}\u201d ({len(option)})" for option in odd)
            warnings.append(
                ContentWarning(
                    "option-length",
                    (question.id,),
                    f"options far shorter or longer than the answer \u201c{question.answer_text}\u201d ({size}): "
                    f"{listed}",
                )
            )
    return warnings
