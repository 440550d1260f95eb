"""Every shipped content file loads, and every card can be found by each of its names."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.content import load_bank
from bot.content.coverage import measure
from bot.core.grading import match_short_answer, normalise
from bot.core.lookup import Entry, NameIndex
from bot.core.vocabulary import QuestionKind
from bot.service.catalogue import Catalogue
from tests.helpers import SHIPPED_CONTENT


@pytest.fixture(scope="module")
def bank():  # noqa: ANN201
    return load_bank(SHIPPED_CONTENT)


def test_the_shipped_bank_meets_its_coverage(bank):
    report = measure(bank)
    assert bank.coverage is not None
    assert report.failures == []


def test_multiple_choice_answers_are_among_their_options(bank):
    for question in bank.questions.values():
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            assert normalise(question.answer) in {normalise(o) for o in question.options}, question.id


def test_no_short_answer_alias_matches_a_wrong_answer(bank):
    for question in bank.questions.values():
        if question.kind is QuestionKind.SHORT_ANSWER:
            accepted = [question.answer, *question.accept]
            for form in accepted:
                assert match_short_answer(form, accepted, question.wrong).matched, (question.id, form)
            for wrong in question.wrong:
                assert not match_short_answer(wrong, accepted, question.wrong).matched, (question.id, wrong)


def test_which_figure_questions_link_an_existing_card(bank):
    linked = [q for q in bank.questions.values() if "which-figure" in q.tags]
    assert linked
    for question in linked:
        assert question.figures and all(f in bank.figures for f in question.figures), question.id


def test_prompts_are_short_and_explanations_teach(bank):
    for question in bank.questions.values():
        assert len(question.prompt) < 300, question.id
        answer = "" if question.kind in (QuestionKind.ORDER, QuestionKind.MATCH) else question.answer_text
        assert len(question.explanation) > len(answer) + 20, question.id  # the events or pairs are the answer
        assert not any(normalise(o) in {"all of the above", "none of the above"} for o in question.options)


def test_every_card_is_found_by_its_name_and_every_alias(bank):
    index = NameIndex(
        [Entry(f.id, "figure", f.name, tuple(f.aliases)) for f in bank.figures.values()]
        + [Entry(t.id, "term", t.term, tuple(t.aliases)) for t in bank.terms.values()]
    )
    for figure in bank.figures.values():
        for name in (figure.name, *figure.aliases):
            assert index.find(name).card_id == figure.id, name
            assert index.find(name, kind="figure").card_id == figure.id, name
    for term in bank.terms.values():
        for name in (term.term, *term.aliases):
            assert index.find(name).card_id == term.id, name


def test_the_seven_rivals_and_more_have_cards(bank):
    assert {"stalin", "trotsky", "zinoviev", "kamenev", "bukharin", "rykov", "tomsky"} <= set(bank.figures)


@pytest.mark.parametrize(
    ("question_id", "real_name"),
    [
        ("ps-095", "Bronstein"),
        ("ps-011", "Dzhugashvili"),
        ("ps-027", "Koba"),
        ("ps-057", "Rosenfeld"),
        ("ps-127", "Skryabin"),
        ("ps-049", "Kostrikov"),
    ],
)
def test_a_figure_short_answer_takes_the_real_name_on_its_card(bank, question_id, real_name):
    catalogue = Catalogue(bank)
    question = bank.questions[question_id]
    assert catalogue.grade(question, real_name)[0], (question_id, real_name)
    assert not catalogue.grade(question, "Tomsky")[0]


def test_every_name_on_the_card_is_right_where_a_short_answer_is_that_figure(bank):
    catalogue = Catalogue(bank)
    checked = 0
    for question in bank.questions.values():
        if question.kind is not QuestionKind.SHORT_ANSWER:
            continue
        for figure in bank.figures.values():
            names = (figure.name, *figure.aliases)
            folded = {normalise(name) for name in names}
            about_the_names = any(name in normalise(question.prompt).split() for name in folded)
            if normalise(question.answer) in folded and not about_the_names:
                checked += 1
                for name in names:
                    assert catalogue.grade(question, name)[0], (question.id, name)
    assert checked >= 20


def test_every_judgement_and_misconception_item_says_why_each_wrong_option_is_wrong(bank):
    checked = 0
    for question in bank.questions.values():
        if question.kind is not QuestionKind.MULTIPLE_CHOICE or not {"judgement", "misconception"} & set(question.tags):
            continue
        wrong = {normalise(option) for option in question.options} - {normalise(question.answer)}
        assert wrong <= {normalise(option) for option in question.why_wrong}, question.id
        checked += 1
    assert checked >= 60


def test_the_bank_has_the_exam_s_shapes(bank):
    kinds = Counter(question.kind for question in bank.questions.values())
    assert kinds[QuestionKind.ORDER] >= 30 and kinds[QuestionKind.MATCH] >= 30
    assert sum(1 for question in bank.questions.values() if "judgement" in question.tags) >= 40
    sources = [question for question in bank.questions.values() if question.extract is not None]
    assert len(sources) >= 15 and all(question.extract.note for question in sources)  # provenance stated
