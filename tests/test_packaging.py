"""What installing the bot relies on: the pinned requirements.txt agrees with pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt pins every package exactly: {line!r}"
            pins[canonicalize_name(name.split("[")[0])] = version.strip()
    return pins


def test_requirements_txt_pins_every_dependency_within_pyprojects_bounds():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = pinned()
    problems = []
    for text in declared:
        requirement = Requirement(text)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in requirements.txt")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    assert problems == [], "regenerate it: uv pip compile pyproject.toml -o requirements.txt --python-version 3.11"


def test_env_example_names_every_setting_and_loads_as_it_stands():
    from bot.config import Settings

    example = ROOT / ".env.example"
    text = example.read_text(encoding="utf-8")
    missing = [name.upper() for name in Settings.model_fields if f"{name.upper()}=" not in text]
    assert missing == []
    settings = Settings(_env_file=example)
    assert settings.front_ends == [] and settings.sqlite_synchronous == "FULL"
