"""The fake Discord and fake Slack of the adapters' tests, for the health, metrics and log tests, which run
the real front ends against them."""

from __future__ import annotations

from tests.adapters.conftest import fake, fake_slack

__all__ = ["fake", "fake_slack"]
