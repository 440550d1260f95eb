"""Who scored what: leaderboards, a member's stats, forget-me, and the reveals and weekly boards of posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, Integer, Select, case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import calendar as streaks
from bot.core import scoring
from bot.core.actor import Actor
from bot.core.errors import NotAllowed, NotFound
from bot.core.privacy import BoardName
from bot.core.replies import Forgotten, Leaderboard, LeaderboardEntry, Reveal, Stats, StreakHolder, TopicStats
from bot.core.vocabulary import Mode, Period
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members, display_name
from bot.service.review import Reviews
from bot.store.calendars import calendars
from bot.store.db import Database, chunks
from bot.store.models import Attempt, Community, DailyAssignment, Member, ReviewCard, Score
from bot.store.models import Question as QuestionRow

WEEKLY_BOARD_SIZE = 10
ANON = "A classmate"  # a member with no pseudonym yet (never, once enrolled): never their real name
CLASSMATES_TEACHERS_ONLY = "Only a teacher can see a classmate's stats. `stats` on its own shows yours."


def board_choice(default: str | None = None):  # noqa: ANN201 - a column expression
    """How a member shows on public boards: their own choice, else their class's default (given, or read
    from the communities table when one query covers many classes)."""
    return func.coalesce(Member.board_name, default if default is not None else Community.board_default)


def shown_name(choice):  # noqa: ANN001, ANN201 - column expressions
    """The name public boards and posts use: their own name if they chose it, else their pseudonym."""
    return case((choice == BoardName.NAMED.value, Member.display_name), else_=func.coalesce(Member.pseudonym, ANON))


def top_scores(
    community_ids: Sequence[int], period: Period, start: dt.date, limit: int, default: str | None = None
) -> Select:
    """The one leaderboard query: (community id, user id, shown name, points, ranked total) of the top
    `limit` of each community's board, best first, leaving out members who chose to be off the board. One
    community (with its `default` board choice) reads the board's index in order; many at once (a
    morning's weekly boards) number each community's rows in one pass."""
    board = (Score.period == period.value, Score.period_start == start)
    choice = board_choice(default)
    # Ties in the order of the names shown: by real names, pseudonyms would give away whose they are.
    order = (Score.points.desc(), shown_name(choice), Member.id)
    visible = choice != BoardName.HIDDEN.value
    columns = (Score.community_id, Member.external_id, shown_name(choice).label("display_name"), Score.points)
    if len(community_ids) == 1:

        def joined(query: Select) -> Select:  # the class's default from its row, unless given
            query = query.join(Member, Member.id == Score.member_id)
            return query if default is not None else query.join(Community, Community.id == Score.community_id)

        ranked_total = on_the_board(default, community_ids[0], Score.community_id == community_ids[0], *board)
        return (
            joined(select(*columns, ranked_total.label("total")))
            .where(Score.community_id == community_ids[0], *board, visible)
            .order_by(*order)
            .limit(limit)
        )
    numbered = (
        select(
            *columns,
            func.row_number().over(partition_by=Score.community_id, order_by=order).label("place"),
            func.count().over(partition_by=Score.community_id).label("total"),
        )
        .join(Member, Member.id == Score.member_id)
        .join(Community, Community.id == Score.community_id)
        .where(Score.community_id.in_(community_ids), *board, visible)
        .subquery()
    )
    c = numbered.c
    return (
        select(c.community_id, c.external_id, c.display_name, c.points, c.total)
        .where(c.place <= limit)
        .order_by(c.community_id, c.place)
    )


def on_the_board(default: str | None, community_id: int | None, *where: ColumnElement[bool]):  # noqa: ANN201
    """How many score rows matching `where` belong to members shown on public boards (a scalar subquery).
    With the class's default known: all rows (read from the board's index alone) less the few exceptions
    to it, found from the members' (community, choice) index; joining every row to its member instead is
    ten times slower on a class of 10,000. Without a default (many classes at once) it joins."""
    scores = select(func.count()).select_from(Score).where(*where)
    if default is None or community_id is None:
        return (
            scores.join(Member, Member.id == Score.member_id)
            .join(Community, Community.id == Score.community_id)
            .where(board_choice() != BoardName.HIDDEN.value)
            .scalar_subquery()
        )
    hidden = default == BoardName.HIDDEN.value
    exceptions = (BoardName.NAMED.value, BoardName.PSEUDONYM.value) if hidden else (BoardName.HIDDEN.value,)
    # Driven from the members' index (an EXISTS per exception), not from the board's rows.
    has_row = select(Score.member_id).where(Score.member_id == Member.id, *where).exists()
    chose = (
        select(func.count())
        .select_from(Member)
        .where(Member.community_id == community_id, Member.board_name.in_(exceptions), has_row)
        .scalar_subquery()
    )
    return chose if hidden else scores.scalar_subquery() - chose


def ranked_entries(rows: Sequence, caller_id: str | None = None) -> tuple[LeaderboardEntry, ...]:
    ranked = scoring.competition_ranks([((row.external_id, row.display_name), row.points) for row in rows])
    return tuple(LeaderboardEntry(r.rank, r.key[1], r.points, r.key[0] == caller_id) for r in ranked)


class Boards:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members, reviews: Reviews) -> None:
        self.reviews = reviews
        self.db = db
        self.catalogue = catalogue
        self.members = members

    @database_trouble()
    async def leaderboard(self, actor: Actor, period: Period | str = Period.WEEK, *, limit: int = 10) -> Leaderboard:
        """The top of the actor's community board for the period, and the actor's own rank: one direct read."""
        period = scoring.parse_period(period)
        community = await self.members.community(actor)
        today = self.members.today(community)
        start = scoring.period_start(period, today)
        top = top_scores([community.id], period, start, limit, community.board_default)
        board = (Score.community_id == community.id, Score.period == period.value, Score.period_start == start)
        # The member by (community, user id): that unique index finds them at once; by user id alone the
        # planner walks the whole board (ten times slower on a large class).
        choice = board_choice(community.board_default)
        mine = (Member.community_id == community.id, Member.external_id == actor.user_id)
        own = (
            select(Score.points, shown_name(choice), choice)
            .join(Member, Member.id == Score.member_id)
            .where(*board, *mine)
        )
        own_points = (
            select(Score.points).join(Member, Member.id == Score.member_id).where(*board, *mine).scalar_subquery()
        )
        # Ranked among those on the board: a hidden student sees where they would be.
        higher = on_the_board(community.board_default, community.id, *board, Score.points > own_points)

        def read(connection: Connection) -> tuple[list, object, int]:
            return (
                connection.execute(top).all(),
                connection.execute(own).first(),
                connection.execute(select(higher)).scalar(),
            )

        rows, mine, above = await self.db.direct_reads(read)
        caller = None
        if mine is not None:
            points, name, chosen = mine
            hidden = chosen == BoardName.HIDDEN.value
            caller = LeaderboardEntry((above or 0) + 1, display_name(actor) if hidden else name, points, is_caller=True)
        total = rows[0].total if rows else 0
        label = scoring.period_label(period, today)
        return Leaderboard(period, label, ranked_entries(rows, actor.user_id), caller, total)

    async def weekly_boards(self, session: AsyncSession, keys: set[tuple[int, dt.date]]) -> dict[tuple, Leaderboard]:
        """Each (community, day)'s weekly board, for the posts that carry one."""
        boards: dict[tuple[int, dt.date], Leaderboard] = {}
        for day in {day for _, day in keys}:
            start = scoring.period_start(Period.WEEK, day)
            label = scoring.period_label(Period.WEEK, day)
            for chunk in chunks(sorted(community for community, d in keys if d == day)):
                rows: dict[int, list] = {community: [] for community in chunk}
                for row in await session.execute(top_scores(chunk, Period.WEEK, start, WEEKLY_BOARD_SIZE)):
                    rows[row.community_id].append(row)
                for community, board in rows.items():
                    total = board[0].total if board else 0
                    boards[(community, day)] = Leaderboard(Period.WEEK, label, ranked_entries(board), None, total)
        return boards

    @database_trouble()
    async def stats(self, actor: Actor, *, member_user_id: str | None = None) -> Stats:
        """A member's stats: the asker's own, or (teachers only) a classmate's."""
        async with self.db.read_sessions() as session:
            if member_user_id and member_user_id != actor.user_id:
                await self._teacher_only(session, actor)
            community, member = await self.members.find(session, actor, member_user_id)
            if member is None:
                if member_user_id and member_user_id != actor.user_id:
                    raise NotFound("That member hasn't answered any questions here yet.")
                return Stats(display_name(actor), 0, 0, 0, 0, 0, 0, 0)
            rows = (
                await session.execute(
                    select(QuestionRow.topic_id, Attempt.mode, func.count(), func.sum(Attempt.correct.cast(Integer)))
                    .join(QuestionRow, QuestionRow.id == Attempt.question_id)
                    .where(Attempt.member_id == member.id)
                    .group_by(QuestionRow.topic_id, Attempt.mode)
                )
            ).all()
            per_topic: dict[str, list[int]] = {}
            by_mode = {mode.value: 0 for mode in Mode}
            for topic_id, mode, answered, correct in rows:
                totals = per_topic.setdefault(topic_id, [0, 0])
                totals[0] += answered
                totals[1] += int(correct or 0)
                by_mode[mode] += answered
            today = self.members.today(community)
            school = await session.run_sync(lambda s: calendars(s.connection(), [community.id]))
            mastery, due_now, due_this_week = await self.reviews.mastery(session, member.id, community)
        calendar, freeze = school[community.id], member.streak_freeze_used_on
        streak = streaks.standing(member.current_streak, member.last_daily_date, today, calendar, freeze)
        title = self.catalogue.topic_title
        topics = tuple(
            TopicStats(title(topic_id), answered, correct)
            for topic_id, (answered, correct) in sorted(per_topic.items(), key=lambda item: title(item[0]))
        )
        return Stats(
            name=member.display_name,
            answered=sum(t.answered for t in topics),
            correct=sum(t.correct for t in topics),
            daily_answered=by_mode[Mode.DAILY.value],
            practice_answered=by_mode[Mode.PRACTICE.value],
            points=member.total_points,
            current_streak=streak,
            best_streak=member.best_streak,
            per_topic=topics,
            review_answered=by_mode[Mode.REVIEW.value],
            assignment_answered=by_mode[Mode.ASSIGNMENT.value],
            mastery=mastery,
            due_now=due_now,
            due_this_week=due_this_week,
            streak_freeze_used_on=freeze if freeze and not streaks.freeze_available(freeze, today) else None,
            streak_freeze_available=streaks.freeze_available(freeze, today),
        )

    async def _teacher_only(self, session: AsyncSession, actor: Actor) -> None:
        """Classmates' stats are for teachers (as for schedules: the platform's admins and named teachers)."""
        community = await self.members.community_in(session, actor, create=False)
        if not await self.members.is_teacher(session, community, actor):
            raise NotAllowed(CLASSMATES_TEACHERS_ONLY)

    @database_trouble(not_done="nothing was deleted")
    async def forget_me(self, actor: Actor) -> Forgotten:
        async with self.db.sessions.begin() as session:
            _, member = await self.members.find(session, actor)
            if member is None:
                return Forgotten(attempts_deleted=0, existed=False)
            deleted = await session.execute(delete(Attempt).where(Attempt.member_id == member.id))
            await session.execute(delete(ReviewCard).where(ReviewCard.member_id == member.id))
            await session.execute(delete(Score).where(Score.member_id == member.id))
            await session.execute(delete(Member).where(Member.id == member.id))
            return Forgotten(attempts_deleted=deleted.rowcount or 0, existed=True)

    async def reveals(self, session: AsyncSession, keys: set[tuple[int, dt.date]]) -> dict[tuple, Reveal]:
        """The previous daily question before each (community, day), with how the class did. Only people
        who got it right are named (the top streaks)."""
        previous = await _previous_questions(session, keys)
        if not previous:
            return {}
        results: dict[tuple[int, dt.date], tuple[int, int]] = {}
        streaks: dict[tuple[int, dt.date], list[StreakHolder]] = {}
        before_days = {before for before, _ in previous.values()}
        for chunk in chunks(sorted({community for community, _ in previous})):
            answers = (Attempt.community_id.in_(chunk), Attempt.daily_date.in_(before_days))
            rows = await session.execute(
                select(Attempt.community_id, Attempt.daily_date, func.count(), func.sum(Attempt.correct.cast(Integer)))
                .where(*answers)
                .group_by(Attempt.community_id, Attempt.daily_date)
            )
            for community, before, answered, correct in rows:
                results[(community, before)] = (answered, int(correct or 0))
            choice = board_choice()
            place = func.row_number().over(
                partition_by=(Attempt.community_id, Attempt.daily_date),
                order_by=(Attempt.streak.desc(), shown_name(choice)),
            )
            ranked = (
                select(
                    Attempt.community_id,
                    Attempt.daily_date,
                    shown_name(choice).label("display_name"),
                    Attempt.streak,
                    place.label("place"),
                )
                .join(Member, Member.id == Attempt.member_id)
                .join(Community, Community.id == Member.community_id)
                .where(*answers, Attempt.correct.is_(True), Attempt.streak > 1, choice != BoardName.HIDDEN.value)
                .subquery()
            )
            rows = await session.execute(
                select(ranked.c.community_id, ranked.c.daily_date, ranked.c.display_name, ranked.c.streak)
                .where(ranked.c.place <= 3)
                .order_by(ranked.c.community_id, ranked.c.daily_date, ranked.c.place)
            )
            for community, before, name, streak in rows:
                streaks.setdefault((community, before), []).append(StreakHolder(name, streak))
        reveals = {}
        for key, (before, question_id) in previous.items():
            question = self.catalogue.question(question_id)
            answered, correct = results.get((key[0], before), (0, 0))
            reveals[key] = Reveal(
                before,
                question.prompt,
                self.catalogue.correct_answer(question),
                question.explanation,
                answered,
                correct,
                tuple(streaks.get((key[0], before), ())),
            )
        return reveals


async def _previous_questions(session: AsyncSession, keys: set[tuple[int, dt.date]]) -> dict[tuple, tuple]:
    """(community, day) -> (the day of the question before, its question id)."""
    previous: dict[tuple[int, dt.date], tuple[dt.date, str]] = {}
    for day in {day for _, day in keys}:
        for chunk in chunks(sorted(community for community, d in keys if d == day)):
            latest = (
                select(DailyAssignment.community_id, func.max(DailyAssignment.local_date).label("day"))
                .where(DailyAssignment.community_id.in_(chunk), DailyAssignment.local_date < day)
                .group_by(DailyAssignment.community_id)
                .subquery()
            )
            same_day = (latest.c.community_id == DailyAssignment.community_id) & (
                latest.c.day == DailyAssignment.local_date
            )
            rows = await session.execute(
                select(DailyAssignment.community_id, DailyAssignment.local_date, DailyAssignment.question_id).join(
                    latest, same_day
                )
            )
            previous.update({(community, day): (before, question) for community, before, question in rows})
    return previous
