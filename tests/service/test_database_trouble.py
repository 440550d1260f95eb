"""A full disk or a read-only database is named to the student, nothing is claimed saved that was not, and
the bot carries on once the disk has room again. Real file systems: a small tmpfs, remounted read-only."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.bootstrap import open_service
from bot.core.errors import DatabaseTrouble
from bot.store.db import DatabaseUnavailable
from tests.helpers import FIXTURE_CONTENT, POSTGRES_URL, Proxy, correct_answer, fill, reset_postgres, student


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a small file system needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


async def test_a_full_disk_is_named_the_answer_is_not_claimed_saved_and_it_recovers(small_disk, clock):
    ann = student("Ann")
    async with open_service(f"sqlite:///{small_disk / 'school.db'}", FIXTURE_CONTENT, clock=clock) as service:
        card = await service.daily_question(ann)
        filler = fill(small_disk)
        with pytest.raises(DatabaseTrouble) as trouble:
            await service.submit_answer(ann, correct_answer(service, card), card.ref)
        assert trouble.value.message.startswith("Sorry, the disk is full; your answer was not saved.")
        filler.unlink()
        result = await service.submit_answer(ann, correct_answer(service, card), card.ref)
        assert result.correct and result.points == 10 and not result.repeated
        assert (await service.stats(ann)).answered == 1


async def test_a_database_on_a_read_only_file_system_is_named_with_its_path(small_disk, clock):
    path = small_disk / "school.db"
    async with open_service(f"sqlite:///{path}", FIXTURE_CONTENT, clock=clock) as service:
        await service.daily_question(student("Ann"))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        with pytest.raises(DatabaseUnavailable) as unavailable:
            async with open_service(f"sqlite:///{path}", FIXTURE_CONTENT, clock=clock):
                pass
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert f"the database file is read-only: {path}" in str(unavailable.value)


@pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")
async def test_a_lost_database_connection_is_named_and_the_next_answer_goes_through(clock):
    await reset_postgres(POSTGRES_URL)
    real = make_url(POSTGRES_URL)
    proxy = Proxy(real.port or 5432)
    await proxy.start()
    url = real.set(port=proxy.port).render_as_string(hide_password=False)
    ann, bob = student("Ann"), student("Bob")
    async with open_service(url, FIXTURE_CONTENT, clock=clock) as service:
        card = await service.daily_question(ann)
        await service.daily_question(bob)
        await proxy.cut()
        with pytest.raises(DatabaseTrouble) as trouble:
            await service.submit_answer(ann, correct_answer(service, card), card.ref)
        assert trouble.value.message.startswith("Sorry, the database is unreachable; your answer was not saved.")
        await proxy.restore()
        result = await service.submit_answer(ann, correct_answer(service, card), card.ref)
        assert result.points == 10 and not result.repeated
        await proxy.cut()
