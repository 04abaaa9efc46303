"""A bug inside flagger exits 4, never 1 (which a CI gate reads as findings) or 0."""

from __future__ import annotations

import pytest

import flagger.cli as cli


def test_an_internal_error_exits_4_with_its_traceback(monkeypatch, capsys, fixtures):
    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("flagger.scanner.ArticleScanner.scan_batch", boom)
    monkeypatch.setattr("sys.argv", ["flagger", "scan", "-f", "csv", "-q", str(fixtures / "articles" / "arms.txt")])
    with pytest.raises(SystemExit) as info:
        cli.entry()
    err = capsys.readouterr().err
    assert info.value.code == 4
    assert "simulated bug" in err and "internal error (exit 4)" in err
