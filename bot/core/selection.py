"""Which question a community gets on a given day, and the order multiple-choice options appear in."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence

LETTERS = "ABCDE"


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def choose_daily(candidates: Sequence[str], times_asked: Mapping[str, int], seed: str) -> str:
    """Pick from the least-asked candidates, so nothing repeats until every eligible question was used.

    Deterministic for a given seed (community and date) and candidate order, so the choice is
    stable for the day; pass the candidates in a fixed order (sorted).
    """
    if not candidates:
        raise ValueError("no candidates")
    rng = _rng("daily", seed)
    if not times_asked:
        return rng.choice(candidates)
    if len(times_asked) * 2 < len(candidates):
        # Most questions are still unasked: draw until one is (thousands of classes share a slot).
        for _ in range(32):
            question = rng.choice(candidates)
            if not times_asked.get(question):
                return question
    counts = [times_asked.get(question, 0) for question in candidates]
    fewest = min(counts)
    return rng.choice([question for question, count in zip(candidates, counts, strict=True) if count == fewest])


def choose_practice(candidates: Sequence[str], times_seen: Mapping[str, int], exclude: set[str], seed: str) -> str:
    """A practice question the member has seen least, avoiding `exclude` (today's daily) where possible."""
    eligible = [question for question in candidates if question not in exclude] or list(candidates)
    if not eligible:
        raise ValueError("no candidates")
    fewest = min(times_seen.get(question, 0) for question in eligible)
    pool = sorted(question for question in eligible if times_seen.get(question, 0) == fewest)
    return _rng("practice", seed).choice(pool)


def arranged(question_id: str, items: Sequence[str]) -> list[str]:
    """An order item's events, or a match item's right-hand items, shuffled in an order fixed per question
    id, and never in the order the author wrote them (which is the answer)."""
    shuffled = list(items)
    _rng("arranged", question_id).shuffle(shuffled)
    if shuffled == list(items) and len(items) > 1:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def option_order(question_id: str, options: Sequence[str]) -> list[tuple[str, str]]:
    """Options in an order fixed per question id, lettered A, B, C ... (authors may write the answer first)."""
    shuffled = list(options)
    _rng("options", question_id).shuffle(shuffled)
    return list(zip(LETTERS, shuffled, strict=False))
