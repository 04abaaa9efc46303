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
