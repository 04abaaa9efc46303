from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def test_scanner():
    """A scanner over the small fixture pack and entity list (independent of the bundled content)."""
    from flagger.scanner import Scanner

    return Scanner(rules=[FIXTURES / "rules" / "basic.yaml"], entities=[FIXTURES / "entities" / "small.csv"],
                   default_entities=False)


@pytest.fixture
def scan_fails_on(monkeypatch):
    """`scan_fails_on(record_id)`: from now on, scoring that record raises ValueError("matcher
    exploded"), as an internal bug would; every other record scans as usual."""
    from flagger.scanner import Scanner

    real = Scanner._scan_one

    def fail_on(record_id: str) -> None:
        def flaky(self, record, data):
            if record.id == record_id:
                raise ValueError("matcher exploded")
            return real(self, record, data)

        monkeypatch.setattr(Scanner, "_scan_one", flaky)

    return fail_on
