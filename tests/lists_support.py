"""Shared helpers for the list-importer tests (imported by the test_lists_* modules).

Named without the test_ prefix so that pytest does not collect it as a test module."""

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
