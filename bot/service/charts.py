"""The class report's chart as a PNG: answers per day above, the topics weakest first below.

matplotlib is imported here only, when a teacher asks for a report, so the bot starts without it (it
costs a few hundred milliseconds and tens of megabytes). The object API (Figure + its Agg canvas) is used
instead of pyplot: pyplot keeps global state, and charts are drawn in worker threads.
"""

from __future__ import annotations

import io

from bot.core.reports import ClassReport

WIDTH, DPI = 8.0, 100
TOPICS_SHOWN = 12
BARS_UP_TO = 62  # days: longer periods are drawn as one outline
RIGHT, MASTERY, DAYS = "#2f7d4f", "#4a6fa5", "#8a8f98"


def report_chart(report: ClassReport) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    topics = list(reversed(report.topics[:TOPICS_SHOWN]))  # barh draws bottom-up: the weakest ends on top
    # A fixed layout, not "constrained": working one out costs more than drawing the whole chart.
    height = 2.6 + 0.42 * max(len(topics), 1)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    figure.subplots_adjust(left=0.3, right=0.97, top=1 - 0.45 / height, bottom=0.35 / height, hspace=0.9 / height * 2)
    FigureCanvasAgg(figure)
    days_axes, topics_axes = figure.subplots(2, 1, height_ratios=(1, max(len(topics), 2) / 3))

    days = [day for day, _ in report.answers_per_day]
    counts = [count for _, count in report.answers_per_day]
    if len(days) <= BARS_UP_TO:
        days_axes.bar([d + 0.5 for d in range(len(days))], counts, width=0.8, color=DAYS)
    else:  # one filled outline, not a bar per day: a bar is an artist, and a year has hundreds of days
        days_axes.stairs(counts, range(len(days) + 1), fill=True, color=DAYS)
    step = max(1, len(days) // 8)
    ticks = range(0, len(days), step)
    days_axes.set_xticks([t + 0.5 for t in ticks], [f"{days[t]:%d %b}" for t in ticks], fontsize=8)
    days_axes.set_title(f"{report.class_name}: answers per day, {report.period.label}", fontsize=10, loc="left")
    days_axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    days_axes.spines[["top", "right"]].set_visible(False)

    if topics:
        rows = range(len(topics))
        accuracy = [100 * topic.accuracy for topic in topics]
        mastery = [100 * topic.mastery if topic.mastery is not None else 0 for topic in topics]
        topics_axes.barh([r + 0.2 for r in rows], accuracy, height=0.4, color=RIGHT, label="right answers (%)")
        if any(topic.mastery is not None for topic in topics):
            topics_axes.barh([r - 0.2 for r in rows], mastery, height=0.4, color=MASTERY, label="mastery now (%)")
        topics_axes.set_yticks(list(rows), [_short(topic.title) for topic in topics], fontsize=8)
        topics_axes.set_xlim(0, 100)
        topics_axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, fontsize=7, frameon=False)
    else:
        topics_axes.text(
            0.5, 0.5, "No answers in this period", ha="center", va="center", transform=topics_axes.transAxes
        )
        topics_axes.set_yticks([])
    topics_axes.set_title("Topics, weakest first", fontsize=10, loc="left")
    topics_axes.spines[["top", "right"]].set_visible(False)

    out = io.BytesIO()
    figure.savefig(out, format="png", pil_kwargs={"compress_level": 3})  # a little bigger, a lot quicker
    return out.getvalue()


def _short(title: str, limit: int = 38) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"
