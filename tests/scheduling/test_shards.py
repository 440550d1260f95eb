"""Discord shards across processes, on a real database: each scheduler claims the posts of the servers on
its own shards only (new posts, retries and abandoned claims alike), and sleeps through the others."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.actor import Actor, Platform
from bot.core.publishing import PublishError, Publishers
from bot.core.schedules import retry_delay
from bot.core.shards import Shards, shard_of
from bot.scheduler import Scheduler
from bot.store.models import Schedule, ScheduledPost
from tests.helpers import RecordingPublisher

COUNT = 4
FIRST, SECOND = Shards(COUNT, frozenset({0, 1})), Shards(COUNT, frozenset({2, 3}))


def server_on(shard: int) -> str:
    """A realistic server id (a snowflake) on `shard` of COUNT."""
    guild_id = ((100_000_000_000 + shard) << 22) + 4321
    assert shard_of(guild_id, COUNT) == shard
    return str(guild_id)


SERVERS = [server_on(shard) for shard in range(COUNT)]
CHANNEL = {server: f"5{server[1:]}" for server in SERVERS}  # one class channel each


class ShardedPublisher(RecordingPublisher):
    """Our Publisher, for a process running some of the shards (as DiscordPublisher tells them)."""

    def __init__(self, shards: Shards | None, failures: list[PublishError] | None = None) -> None:
        super().__init__(failures)
        self.shards = shards


async def schedule_every_server(service) -> None:  # noqa: ANN001 - a StudyService
    for server in SERVERS:
        teacher = Actor(Platform.DISCORD, server, "teacher", "Ms T", is_admin=True)
        await service.schedules.set(teacher, CHANNEL[server], time="08:30", days="every day")


async def claimed_channels(service) -> set[str]:  # noqa: ANN001
    """The channels whose post has a row: claimed, by whichever scheduler."""
    async with service.db.read_sessions() as session:
        rows = await session.execute(select(Schedule.channel_id).join(ScheduledPost))
        return set(rows.scalars())


async def test_two_processes_with_different_shards_each_post_their_own_servers_once(any_service, clock):
    await schedule_every_server(any_service)
    slack_teacher = Actor(Platform.SLACK, "T0SCHOOL", "teacher", "Ms S", is_admin=True)
    await any_service.schedules.set(slack_teacher, "C0CLASS", time="08:30")  # a team id is no number
    first = ShardedPublisher(FIRST)
    one = Scheduler(any_service.posts, Publishers({"discord": first, "slack": RecordingPublisher()}))

    assert {claim.channel_id for claim, sent in await one.tick() if sent} == {
        CHANNEL[SERVERS[0]],
        CHANNEL[SERVERS[1]],
        "C0CLASS",
    }
    # The other shards' posts were not even claimed, so nothing waits in a process that cannot send it.
    assert await claimed_channels(any_service) == {CHANNEL[SERVERS[0]], CHANNEL[SERVERS[1]], "C0CLASS"}
    assert await any_service.posts.next_wake(clock(), ["discord", "slack"], shards={"discord": FIRST}) > clock()

    second = ShardedPublisher(SECOND)
    other = Scheduler(any_service.posts, Publishers({"discord": second}))
    assert {claim.channel_id for claim, sent in await other.tick() if sent} == {
        CHANNEL[SERVERS[2]],
        CHANNEL[SERVERS[3]],
    }
    assert await one.tick() == [] and await other.tick() == []
    assert sorted(channel for channel, _ in first.sent + second.sent) == sorted(CHANNEL.values())


async def test_a_retry_on_another_shard_is_neither_taken_nor_waited_for(any_service, clock):
    await schedule_every_server(any_service)
    first = ShardedPublisher(FIRST, failures=[PublishError("rate limited"), PublishError("rate limited")])
    one = Scheduler(any_service.posts, Publishers({"discord": first}))
    await one.tick()  # both of its posts fail, to be retried
    other = Scheduler(any_service.posts, Publishers({"discord": ShardedPublisher(SECOND)}))
    await other.tick()  # its own two are sent

    clock.advance(seconds=retry_delay(1).total_seconds() + 1)  # the retries are due, and owned by nobody
    assert await any_service.posts.claim_due(clock(), ["discord"], "second", shards={"discord": SECOND}) == []
    wake = await any_service.posts.next_wake(clock(), ["discord"], shards={"discord": SECOND})
    assert wake is None or wake > clock()  # it must not spin on the first process's retries
    assert {claim.channel_id for claim, sent in await one.tick() if sent} == {CHANNEL[SERVERS[0]], CHANNEL[SERVERS[1]]}


async def test_a_process_running_every_shard_claims_every_server(any_service):
    await schedule_every_server(any_service)
    publisher = ShardedPublisher(None)  # DISCORD_SHARD_IDS unset: this process runs them all
    publishers = Publishers({"discord": publisher})
    assert publishers.shards() == {}
    await Scheduler(any_service.posts, publishers).tick()
    assert sorted(channel for channel, _ in publisher.sent) == sorted(CHANNEL.values())


async def test_a_claim_abandoned_on_another_shard_is_left_to_its_own_shard(any_service, clock):
    """A process of the first shards died holding its claims: only another process of those shards takes
    them over once the lease runs out, not one of the other shards."""
    await schedule_every_server(any_service)
    died = await any_service.posts.claim_due(clock(), ["discord"], "died", shards={"discord": FIRST})
    assert len(died) == 2
    clock.advance(seconds=any_service.posts.lease.total_seconds() + 1)
    taken = await any_service.posts.claim_due(clock(), ["discord"], "second", shards={"discord": SECOND})
    assert {claim.channel_id for claim in taken} == {CHANNEL[SERVERS[2]], CHANNEL[SERVERS[3]]}
    again = await any_service.posts.claim_due(clock(), ["discord"], "restarted", shards={"discord": FIRST})
    assert {claim.channel_id for claim in again} == {CHANNEL[SERVERS[0]], CHANNEL[SERVERS[1]]}
