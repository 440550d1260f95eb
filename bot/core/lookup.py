"""Finding a figure card or glossary entry by name, alias or a near spelling."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.errors import UnknownName
from bot.core.grading import normalise

ACCEPT_SCORE = 80
SUGGEST_SCORE = 70


@dataclass(frozen=True, slots=True)
class Entry:
    card_id: str
    kind: str  # "figure" or "term"
    name: str
    aliases: tuple[str, ...] = ()


class NameIndex:
    """An index of every name and alias, folded the same way answers are."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = {entry.card_id: entry for entry in entries}
        self._forms: dict[str, Entry] = {}
        for entry in self.entries.values():
            for form in (entry.card_id, entry.name, *entry.aliases):
                self._forms.setdefault(normalise(form), entry)
        self._keys = list(self._forms)

    def _scoped(self, kind: str | None) -> list[str]:
        return [key for key in self._keys if kind is None or self._forms[key].kind == kind]

    def find(self, query: str, kind: str | None = None) -> Entry:
        folded = normalise(query)
        exact = self._forms.get(folded)
        if exact is not None and (kind is None or exact.kind == kind):
            return exact
        keys = self._scoped(kind)
        scored = process.extract(folded, keys, scorer=fuzz.WRatio, limit=8, score_cutoff=SUGGEST_SCORE)
        # Collapse several aliases of the same card into one suggestion.
        best: dict[str, tuple[Entry, float]] = {}
        for key, score, _ in scored:
            entry = self._forms[key]
            if entry.card_id not in best or score > best[entry.card_id][1]:
                best[entry.card_id] = (entry, score)
        ranked = sorted(best.values(), key=lambda pair: -pair[1])
        # Accept a near spelling only when it is close to one card and clearly closer than any other.
        if ranked and len(folded) >= 4:
            top_entry, top_score = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            close = max(fuzz.ratio(folded, normalise(form)) for form in (top_entry.name, *top_entry.aliases))
            if close >= ACCEPT_SCORE and top_score - runner_up >= 5:
                return top_entry
        raise UnknownName(query, tuple(entry.name for entry, _ in ranked[:3]))

    def complete(self, prefix: str, kind: str | None = None, limit: int = 25) -> list[Entry]:
        """Entries for autocomplete: names starting with the prefix first, then fuzzy matches."""
        folded = normalise(prefix)
        pool = [entry for entry in self.entries.values() if kind is None or entry.kind == kind]
        if not folded:
            return sorted(pool, key=lambda entry: entry.name)[:limit]
        starts = [
            entry
            for entry in pool
            if any(
                normalise(form).startswith(folded) or normalise(form).split(" ")[-1].startswith(folded)
                for form in (entry.name, *entry.aliases)
            )
        ]
        result = sorted(starts, key=lambda entry: entry.name)
        if len(result) < limit and len(folded) >= 3:
            seen = {entry.card_id for entry in result}
            names = {entry.card_id: normalise(entry.name) for entry in pool if entry.card_id not in seen}
            for _, _, card_id in process.extract(
                folded, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_SCORE
            ):
                result.append(self.entries[card_id])
        return result[:limit]
