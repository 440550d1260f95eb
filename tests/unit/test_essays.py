"""Essay plans: reading a plan, and the rules that compare it with the model plan."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.core.essays import LEVELS, Plan, compare, read_evidence, read_factors, read_judgement

MODEL = ["Control of the party machine", "His rivals' mistakes", "Socialism in One Country", "Fear of Trotsky"]
LINKED = "The party machine mattered most because it turned his rivals' mistakes into votes at congresses"


def test_factors_are_3_or_4_different_numbers_most_important_first():
    assert read_factors("2 4 1", 5) == (1, 3, 0)
    assert read_factors("3,1,2,5", 5) == (2, 0, 1, 4)
    for bad in ("2 4", "1 2 3 4 5", "1 1 2", "1 2 9", "one two three"):
        with pytest.raises(InvalidInput):
            read_factors(bad, 5)


def test_evidence_is_one_letter_of_the_pool_per_factor():
    assert read_evidence("B D A", "ABCDEF", 3) == (1, 3, 0)
    assert read_evidence("bda", "ABCDEF", 3) == (1, 3, 0)
    for bad in ("B D", "B D Z", "1 2 3"):
        with pytest.raises(InvalidInput, match="one evidence letter for each of your 3 factors"):
            read_evidence(bad, "ABCDEF", 3)


def test_a_judgement_is_a_sentence_of_one_line():
    assert read_judgement("  The machine   mattered most.  ") == "The machine mattered most."
    with pytest.raises(InvalidInput):
        read_judgement("Stalin won.")
    with pytest.raises(InvalidInput):
        read_judgement("word " * 100)


def test_the_model_plan_with_its_own_evidence_and_a_linked_verdict_aims_at_the_top_level():
    result = compare(Plan((0, 1, 2), (0, 1, 2), LINKED), MODEL, 24)
    assert (result.level, result.lift, result.missed, result.misplaced) == (4, "", (), ())
    assert result.same_first and result.gives_verdict and result.links_factors


def test_each_shortfall_says_what_would_lift_the_plan():
    missed = compare(Plan((1, 2, 3), (1, 2, 3), LINKED), MODEL, 24)
    assert missed.level == 3 and missed.missed == (0,) and "main factors" in missed.lift and not missed.same_first
    misplaced = compare(Plan((0, 1, 2), (1, 0, 2), LINKED), MODEL, 24)
    assert misplaced.level == 2 and misplaced.misplaced == ((0, 1), (1, 0)) and "evidence" in misplaced.lift
    unlinked = compare(Plan((0, 1, 2), (0, 1, 2), "The party machine was most important of all."), MODEL, 12)
    assert unlinked.level == 3 and not unlinked.links_factors and "link the factors" in unlinked.lift
    no_verdict = compare(Plan((0, 1, 2), (0, 1, 2), "Stalin had the party machine and Trotsky was feared."), MODEL, 12)
    assert no_verdict.level == 2 and not no_verdict.gives_verdict and "verdict" in no_verdict.lift


def test_levels_run_from_describing_to_sustained_judgement_for_both_shapes():
    for marks in (12, 24):
        assert len(LEVELS[marks]) == 4
        assert LEVELS[marks][0][1].startswith("Describes") and "sustained judgement" in LEVELS[marks][3][1]
        assert LEVELS[marks][3][0].endswith(str(marks))
