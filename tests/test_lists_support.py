"""Shared fixtures for the list-importer tests (imported by the other test_lists_* modules)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "lists"


def shared_lists_dir() -> Path:
    env = os.environ.get("FLAGGER_SHARED_LISTS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"


def resolve_shared_lists() -> Path:
    """The real official files in shared/data/lists (skip when absent).

    Each test module declares `shared_lists = pytest.fixture(resolve_shared_lists)`.
    """
    path = shared_lists_dir()
    if not path.is_dir():
        pytest.skip(f"real list files not available at {path} (set FLAGGER_SHARED_LISTS)")
    return path


def ids_with(frame, column: str, value) -> list[str]:
    return frame.filter(frame[column].list.contains(value))["id"].to_list()


def test_fixture_folder_exists():
    assert FIXTURES.is_dir()
