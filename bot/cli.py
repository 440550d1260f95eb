"""`python -m bot` / `studybot`: run the bot, the console, the chat front ends, migrations and checks."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from bot.config import Settings, describe_error
from bot.core.errors import first_line

log = logging.getLogger("bot")

CONNECT_HINT = (
    "No chat tokens set, so this is the local console. To connect Discord set DISCORD_TOKEN; "
    "for Slack set SLACK_BOT_TOKEN (and SLACK_APP_TOKEN for Socket Mode). See README.md."
)


NO_FRONT_END = (
    "No chat tokens are set and there is no terminal to run the console in, so there is nothing to do.\n"
    "Set DISCORD_TOKEN for Discord, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Socket Mode) or "
    "SLACK_SIGNING_SECRET (HTTP mode) for Slack; see .env.example and README.md. "
    "To use the console, run `python -m bot console` in a terminal, or pipe commands in."
)
SCHEDULER_STOP_GRACE = 20.0  # seconds a front end's end waits for the scheduler's tick under way
# Set by hosts whose disk is wiped when the process restarts: a SQLite file there loses every answer.
EPHEMERAL_HOSTS = {"DYNO": "Heroku", "RENDER": "Render", "RAILWAY_ENVIRONMENT": "Railway", "K_SERVICE": "Cloud Run"}


def nothing_to_read(stream: TextIO | None) -> bool:
    """True when standard input can never bring a command: closed, /dev/null or an empty file."""
    if stream is None or stream.closed:
        return True
    try:
        if stream.isatty():
            return False
        mode = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return True
    if stat.S_ISCHR(mode.st_mode):  # not a terminal: /dev/null
        return True
    return stat.S_ISREG(mode.st_mode) and mode.st_size == 0


def report_database(url: str) -> None:
    """One line naming the database (password masked), and a warning when its file will not last."""
    from bot.store.db import DatabaseUnavailable, async_url, sqlite_path

    try:
        url_in_use = async_url(url)
    except DatabaseUnavailable:  # reported when it is opened
        return
    log.info("database: %s", url_in_use.render_as_string(hide_password=True))
    path = sqlite_path(url_in_use) if url_in_use.get_backend_name() == "sqlite" else None
    if path is None:
        return
    path = path.resolve()
    host = next((name for variable, name in EPHEMERAL_HOSTS.items() if os.environ.get(variable)), None)
    if host:
        log.warning(
            "the database is a SQLite file (%s) on %s, whose disk is wiped on every restart: set DATABASE_URL "
            "to a PostgreSQL database or every answer will be lost",
            path,
            host,
        )
    elif path.is_relative_to(Path(tempfile.gettempdir()).resolve()):
        log.warning("the database %s is in a temporary directory: answers may be lost when it is cleaned", path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studybot",
        description="Study bot for 'The Impact of Stalin's Leadership in the USSR, 1924-1941'. "
        "With no sub-command it runs every front end whose token is set, or the local console.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run every front end whose token is set (the default)")
    console = commands.add_parser("console", help="the local console front end (no token needed)")
    console.add_argument("--user", default="Student", help="act as this student of the local class")
    console.add_argument(
        "--json", action="store_true", dest="json_output", help="print every reply as one JSON object a line"
    )
    commands.add_parser("discord", help="run the Discord front end (needs DISCORD_TOKEN)")
    slack = commands.add_parser("slack", help="run the Slack front end (needs SLACK_BOT_TOKEN)")
    slack.add_argument(
        "action", nargs="?", choices=["run", "manifest"], default="run", help="`manifest` prints the Slack app manifest"
    )
    slack.add_argument(
        "url", nargs="?", help="with `manifest`: the public base URL for HTTP mode (default: Socket Mode)"
    )
    slack.add_argument(
        "--distributed", metavar="URL", help="with `manifest`: for an app any workspace installs, served at URL"
    )
    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="upgrade the database to the latest schema")
    from bot.content.imports import FORMATS as IMPORT_FORMATS

    content = commands.add_parser("content", help="content tools")
    content.add_argument(
        "action", choices=["check", "import"], help="check: validate every file and report coverage; import: see FILE"
    )
    content.add_argument("--dir", type=Path, default=None, help="content directory (default: STUDYBOT_CONTENT_DIR)")
    content.add_argument("file", nargs="?", type=Path, help="with `import`: the quiz file to convert")
    content.add_argument("--format", choices=IMPORT_FORMATS, help="with `import`: the file's format (default: guessed)")
    content.add_argument("--topic", default="", help="with `import`: the topic of questions without a topic column")
    content.add_argument("--out", type=Path, help="with `import`: the folder (default: DIR/questions/imported)")
    content.add_argument("--skip-bad", action="store_true", help="with `import`: write the good questions anyway")
    report = commands.add_parser("report", help="a class's report: chart (PNG), summary (Markdown) and answers (CSV)")
    report.add_argument("--platform", choices=["discord", "slack", "console"], required=True)
    report.add_argument("--community", required=True, help="the Discord server id, Slack team id, or `local`")
    report.add_argument("--period", default="week", help="week, month, term, or 'since YYYY-MM-DD'")
    report.add_argument("--topic", default="", help="only this topic")
    report.add_argument("--out", type=Path, default=Path("."), help="the folder the three files go in")
    commands.add_parser("bench", help="the speed-at-scale benchmark (`bench --help` for its options)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:  # the benchmark parses its own options
        from bot.bench import main as bench

        return bench(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:  # a malformed environment value: say which, never echo secrets
        print(f"Configuration error:\n{describe_error(error)}", file=sys.stderr)
        return 2
    command = args.command or "run"
    quiet = command == "console" or (command == "run" and not settings.front_ends)
    level = (settings.log_level or ("WARNING" if quiet else "INFO")).upper()
    from bot.ops import logs

    logs.configure(
        level if level in logging.getLevelNamesMapping() else "INFO", settings.log_format, settings.secret_values()
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if command == "content" and args.action == "import":
        return import_questions(args, args.dir or settings.content_dir)
    if command == "content":
        return check_content(args.dir or settings.content_dir)
    if command == "slack" and args.action == "manifest":
        from bot.adapters import slack

        print(slack.manifest_text(args.distributed or args.url, distributed=bool(args.distributed)))
        return 0
    if command == "db":
        return _run(upgrade_database(settings))
    if command == "report":
        return _run(write_class_report(settings, args))
    if command == "run" and not settings.front_ends:
        if nothing_to_read(sys.stdin):  # a host's worker: no tokens, no terminal, no commands piped in
            print(NO_FRONT_END, file=sys.stderr)
            return 2
        print(CONNECT_HINT, file=sys.stderr)
        command = "console"
    if command == "console":
        user, json_output = getattr(args, "user", "Student"), getattr(args, "json_output", False)
        return _run(serve(settings, lambda bot: _console(bot, user, json_output=json_output)))
    front_ends = [command] if command in {"discord", "slack"} else settings.front_ends
    missing = [name for name in front_ends if name not in settings.front_ends]
    if missing:
        token = {"discord": "DISCORD_TOKEN", "slack": "SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"}[
            missing[0]
        ]
        print(f"The {missing[0]} front end needs {token} in the environment (or .env). See README.md.", file=sys.stderr)
        return 2
    if "slack" in front_ends:
        from bot.adapters import slack

        try:
            slack.check_settings(settings)
        except slack.SlackConfigError as error:
            print(str(error), file=sys.stderr)
            return 2
    return _run(serve(settings, lambda bot: run_front_ends(bot, settings, front_ends)))


def check_content(directory: Path) -> int:
    from bot.content import ContentError, load_bank
    from bot.content.coverage import measure, summary
    from bot.content.lint import lint

    try:
        bank = load_bank(directory)
    except ContentError as error:
        print(error.report())
        print(f"\n{len(error.problems)} problem(s) found in {directory}.")
        return 1
    report = measure(bank)
    print(summary(bank, report))
    warnings = lint(bank)
    if warnings:  # a reviewer's call, so they never fail the check
        print(f"\n{len(warnings)} warning(s) to review (keep one on purpose under allowed_warnings, with a reason):")
        print("\n".join(f"  - {warning.check}: {warning}" for warning in warnings))
    if report.failures:
        print("\nCoverage below the minimums in coverage.yaml:")
        print("\n".join(f"  - {failure}" for failure in report.failures))
        return 1
    print(f"\nContent OK: {len(bank.questions)} questions in {directory}.")
    return 0


def import_questions(args: argparse.Namespace, directory: Path) -> int:
    """`content import FILE`: one bank file from a teacher's quiz file, or nothing and every reason why."""
    from bot.content.imports import import_file

    if args.file is None:
        print("Name the file to import: python -m bot content import FILE [--topic T]", file=sys.stderr)
        return 2
    outcome = import_file(
        args.file, directory, out=args.out, format=args.format, topic=args.topic, skip_bad=args.skip_bad
    )
    for note in outcome.notes:
        print(f"note: {note}")
    for problem in outcome.problems:
        print(f"not converted: {problem}")
    if outcome.written is None:
        advice = "no question could be converted" if args.skip_bad else "fix them, or pass --skip-bad for the rest"
        print(f"\nNothing written: {len(outcome.problems)} problem(s) in {args.file}; {advice}.")
        return 1
    print(f"\nWrote {outcome.count} question(s) to {outcome.written}.")
    if not outcome.written.resolve().is_relative_to(directory.resolve()):
        print(f"It is outside the bank at {directory}: move it there, or the bot will not ask these questions.")
    return 0


async def upgrade_database(settings: Settings) -> int:
    from bot.store import migrate
    from bot.store.db import create_engine, redact

    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    print(f"Database {redact(settings.database_url)} is at the latest schema.")
    return 0


async def write_class_report(settings: Settings, args: argparse.Namespace) -> int:
    """`python -m bot report`: a host's copy of what a teacher gets in chat, as three files."""
    from bot.bootstrap import open_service
    from bot.core.actor import Actor, Platform
    from bot.core.errors import StudyError
    from bot.core.report_text import markdown

    host = Actor(Platform(args.platform), args.community, "host", "host", is_admin=True)
    if not args.out.is_dir():
        print(f"The folder {args.out} does not exist.", file=sys.stderr)
        return 2
    async with open_service(settings.database_url, settings.content_dir) as service:
        try:
            report = await service.class_report(host, f"{args.period} {args.topic}".strip())
            stem = args.out / report.file_stem
            done = await service.export_answers(host, args.period, args.out / f"{report.file_stem}.csv")
        except StudyError as error:
            print(error.message, file=sys.stderr)
            return 2
    stem.with_suffix(".png").write_bytes(report.chart_png)
    stem.with_suffix(".md").write_text(markdown(report, every_name=True), encoding="utf-8")
    print(f"Wrote {stem}.png, {stem}.md and {stem}.csv ({done.rows} answers, {report.period.label}).")
    return 0


async def serve(settings: Settings, front_end: Callable[..., Awaitable[None]]) -> int:
    """Run a front end over a freshly opened bot until it ends or SIGTERM / SIGINT asks the process to stop.
    Stopping takes no new work, lets the posts and answers under way finish (up to
    STUDYBOT_SHUTDOWN_GRACE seconds), gives unsent posts back, closes the database and exits 0."""
    from bot.bootstrap import open_bot
    from bot.service.admission import Admission

    report_database(settings.database_url)
    async with open_bot(
        settings.database_url,
        settings.content_dir,
        sqlite_synchronous=settings.sqlite_synchronous,
        post_lease=dt.timedelta(seconds=settings.studybot_post_lease),
        review_retention=settings.review_retention,
        new_class_board=settings.board_default,
        retention_days=settings.data_retention_days,
        admission=Admission(settings.max_in_flight, settings.max_waiting),
    ) as bot:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, stop.set)
            except (NotImplementedError, RuntimeError):  # Windows: Ctrl-C still ends the process
                pass
        work = asyncio.ensure_future(front_end(bot))
        stopping = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if work in done:
            stopping.cancel()
            work.result()  # a front end's failure
            return 0
        grace = settings.studybot_shutdown_grace
        log.warning("stopping: finishing the posts and answers under way (up to %.0f s)", grace)
        await bot.scheduler.stop(grace)
        if not await bot.service.finish(grace):
            log.error("stopping with answers still unwritten after %.0f s", grace)
        work.cancel()
        await asyncio.gather(work, return_exceptions=True)
        log.warning("stopped")
    return 0


async def _console(bot, user: str, *, json_output: bool = False) -> None:  # noqa: ANN001 - bootstrap.Bot, imported lazily
    from bot.adapters import console

    run = console.run(bot.service, user=user, publishers=bot.publishers, json_output=json_output)
    await _with_the_scheduler(bot.scheduler, run)


async def run_front_ends(bot, settings: Settings, names: list[str]) -> None:  # noqa: ANN001
    """Run the chosen chat front ends and the scheduler together over one service.

    Each front end adds its publisher to `bot.publishers` once connected, so scheduled posts for its
    channels start then. If any of them stops, the rest are stopped too. /healthz, /readyz (and /metrics
    with METRICS=on) are served on $PORT: by Slack's server in HTTP mode, else by one of their own.
    """
    from bot.ops import health

    readiness = health.Readiness(bot.service.db.ping, lambda: health.connected(bot.publishers, names))
    endpoints = health.routes(readiness, metrics=settings.metrics)
    runners, slack_serves_them = [], False
    for name in names:
        if name == "discord":
            from bot.adapters import discord

            runners.append(discord.run(bot.service, settings, publishers=bot.publishers))
        else:
            from bot.adapters import slack

            slack_serves_them = slack.serves_http(settings)
            runners.append(slack.run(bot.service, settings, publishers=bot.publishers, routes=endpoints))
    if slack_serves_them:
        await _with_the_scheduler(bot.scheduler, *runners)
        return
    async with health.serving(settings.port, endpoints):
        await _with_the_scheduler(bot.scheduler, *runners)


async def _with_the_scheduler(scheduler, *front_ends: Awaitable[None]) -> None:  # noqa: ANN001 - a Scheduler
    """Run the front ends and the scheduler until the first of them returns. The scheduler is stopped, not
    cancelled: it finishes the tick under way, so no database work is cut off mid-statement (which can
    leave a connection's close waiting for ever), then the front ends are cancelled."""
    scheduling = asyncio.ensure_future(scheduler.run())
    tasks = [asyncio.ensure_future(front_end) for front_end in front_ends]
    try:
        done, _ = await asyncio.wait([scheduling, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()  # re-raise a front end's failure
    finally:
        await scheduler.stop(SCHEDULER_STOP_GRACE)
        await asyncio.wait([scheduling], timeout=SCHEDULER_STOP_GRACE)  # its loop ends by itself once stopped
        for task in (*tasks, scheduling):
            task.cancel()
        await asyncio.gather(*tasks, scheduling, return_exceptions=True)


def _run(coroutine: Awaitable[int]) -> int:
    from bot.content import ContentError
    from bot.ops.health import PortUnavailable
    from bot.store.db import DatabaseUnavailable

    try:
        return asyncio.run(coroutine)
    except ContentError as error:
        print("The content is invalid, so the bot will not start:", file=sys.stderr)
        print(error.report(), file=sys.stderr)
        return 1
    except (DatabaseUnavailable, PortUnavailable) as error:
        print(str(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except NotImplementedError as error:
        print(str(error), file=sys.stderr)
        return 2
    except Exception as error:  # the last line of defence: one clear line, the traceback only at DEBUG
        log.debug("fatal error", exc_info=True)
        print(
            f"The bot stopped on an unexpected error: {first_line(error)} (set LOG_LEVEL=DEBUG for details)",
            file=sys.stderr,
        )
        return 1
