"""What the bank covers, and whether it meets the minimums in `coverage` (for `content check`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.content.schema import Bank
from bot.core.vocabulary import QuestionKind


@dataclass
class CoverageReport:
    per_topic_kind: dict[str, Counter] = field(default_factory=dict)
    per_area: Counter = field(default_factory=Counter)
    per_kind: Counter = field(default_factory=Counter)
    per_tag: Counter = field(default_factory=Counter)
    per_source: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def measure(bank: Bank) -> CoverageReport:
    report = CoverageReport()
    for question in bank.questions.values():
        report.per_topic_kind.setdefault(question.topic, Counter())[question.kind] += 1
        report.per_area[bank.topics[question.topic].area] += 1
        report.per_kind[question.kind] += 1
        report.per_source[question.source] += 1
        report.per_tag.update(question.tags)
    wanted = bank.coverage
    if wanted is None:
        return report
    fail = report.failures.append
    total = len(bank.questions)
    if total < wanted.total:
        fail(f"{total} questions; at least {wanted.total} needed")
    for area in bank.areas:
        if report.per_area[area] < wanted.per_area:
            fail(f"area '{area}' has {report.per_area[area]} questions; at least {wanted.per_area} needed")
    for kind, minimum in wanted.per_kind.items():
        if report.per_kind[kind] < minimum:
            fail(f"{report.per_kind[kind]} {kind.value} questions; at least {minimum} needed")
    if wanted.per_kind and report.per_kind[QuestionKind.MULTIPLE_CHOICE] * 2 <= total:
        fail("multiple choice should be the majority of questions")
    for tag, minimum in wanted.per_tag.items():
        if report.per_tag[tag] < minimum:
            fail(f"{report.per_tag[tag]} questions tagged '{tag}'; at least {minimum} needed")
    for tag, share in wanted.per_tag_share.items():
        if report.per_tag[tag] < share * total:
            fail(f"{report.per_tag[tag]} of {total} questions tagged '{tag}'; at least {share:.0%} needed")
    for prefix, minimum in wanted.per_source_prefix.items():
        for source in bank.sources:
            if source.startswith(prefix) and report.per_source[source] < minimum:
                fail(f"source '{source}' is cited by {report.per_source[source]} questions; at least {minimum} needed")
    for figure in wanted.figures:
        if figure not in bank.figures:
            fail(f"figure card '{figure}' is missing")
    if len(bank.essays) < wanted.essays:
        fail(f"{len(bank.essays)} essay questions; at least {wanted.essays} needed")
    if len(bank.terms) < wanted.terms:
        fail(f"{len(bank.terms)} glossary terms; at least {wanted.terms} needed")
    return report


def summary(bank: Bank, report: CoverageReport) -> str:
    kinds = list(QuestionKind)
    short = {
        QuestionKind.MULTIPLE_CHOICE: "choice",
        QuestionKind.TRUE_FALSE: "t/f",
        QuestionKind.SHORT_ANSWER: "short",
        QuestionKind.ORDER: "order",
        QuestionKind.MATCH: "match",
    }
    lines = [f"{'topic':<24}{''.join(f'{short[k]:>8}' for k in kinds)}{'total':>8}"]
    for topic_id in bank.topics:
        counts = report.per_topic_kind.get(topic_id, Counter())
        lines.append(f"{topic_id:<24}{''.join(f'{counts[k]:>8}' for k in kinds)}{sum(counts.values()):>8}")
    lines.append(f"{'all':<24}{''.join(f'{report.per_kind[k]:>8}' for k in kinds)}{len(bank.questions):>8}")
    lines.append("areas: " + ", ".join(f"{area} {report.per_area[area]}" for area in bank.areas))
    lines.append("tags: " + ", ".join(f"{tag} {count}" for tag, count in sorted(report.per_tag.items())))
    questions = bank.questions.values()
    with_source = sum(1 for question in questions if question.extract is not None)
    with_reasons = sum(1 for question in questions if question.why_wrong)
    lines.append(f"source items {with_source}; multiple choice saying why each option is wrong {with_reasons}")
    seeds = [
        f"{source.removeprefix('seed:')} {report.per_source[source]}"
        for source in bank.sources
        if source.startswith("seed:")
    ]
    if seeds:
        lines.append("notes sections: " + ", ".join(seeds))
    lines.append(f"cards: {len(bank.figures)} figures, {len(bank.terms)} glossary terms")
    marks = Counter(essay.marks for essay in bank.essays.values())
    lines.append(f"essays: {len(bank.essays)} ({marks[12]} of 12 marks, {marks[24]} of 24)")
    return "\n".join(lines)
