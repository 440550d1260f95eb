"""The container files agree with each other, with the Procfile and with the README: no drift between
what the image runs and what the README says. (No image is built here: that needs a container daemon
and a registry to pull the base image from.)"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) in order, continuation lines joined and comments left out."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return {name.strip(): command.strip() for name, _, command in (line.partition(":") for line in lines if line)}


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_image_is_slim_runs_as_a_user_and_its_command_is_the_procfile_s_worker():
    steps = dockerfile()
    assert re.fullmatch(r"python:3\.1[1-9]-slim", steps[0][1]), steps[0]
    users = [arguments for instruction, arguments in steps if instruction == "USER"]
    assert users and users[-1] not in {"root", "0"}
    command = [arguments for instruction, arguments in steps if instruction == "CMD"][-1]
    assert shlex.join(json.loads(command)) == procfile()["worker"] == "python -m bot"
    installs = [arguments for instruction, arguments in steps if instruction == "RUN" and "pip install" in arguments]
    assert installs[-1].endswith(" ."), "the package is installed from the repository"
    copied = " ".join(arguments for instruction, arguments in steps if instruction == "COPY")
    for needed in ("requirements.txt", "pyproject.toml", "README.md", "LICENSE", "bot", "content", "migrations"):
        assert needed in copied, f"pip install . needs {needed} (pyproject's build)"


def test_the_readme_lists_what_the_image_runs():
    section = readme_section("Deploying for many schools")
    listed = [line.strip() for line in section.splitlines() if line.startswith("    ")]
    steps = dockerfile()
    commands = [arguments for instruction, arguments in steps if instruction == "RUN"]
    commands.append(shlex.join(json.loads([arguments for instruction, arguments in steps if instruction == "CMD"][-1])))
    assert [line for line in listed if line in commands] == commands, "README and Dockerfile disagree"
    assert "docker compose up -d --build" in listed
    assert procfile()["release"] in section  # compose's migrate service, documented


def test_compose_runs_the_bot_beside_postgresql_with_the_database_wired():
    services = compose()["services"]
    postgres, bot, migrate = services["postgres"], services["bot"], services["migrate"]
    assert postgres["image"].startswith("postgres:")
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"], "a named volume, which outlives the container"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])

    env = postgres["environment"]
    for service in (bot, migrate):
        url = service["environment"]["DATABASE_URL"]
        assert (
            url == f"postgresql://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}@postgres:5432/{env['POSTGRES_DB']}"
        )
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["build"] == "." and service["image"] == "studybot"
    assert shlex.join(migrate["command"]) == procfile()["release"]
    assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    port = bot["environment"]["PORT"]
    assert f"{port}:{port}" in bot["ports"] and "command" not in bot  # the image's CMD


def test_the_build_context_leaves_secrets_and_local_databases_out():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for pattern in (".env", ".git", "*.db", "tests"):
        assert pattern in ignored
