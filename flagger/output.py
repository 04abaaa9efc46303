"""Write a file so that a crash never leaves a half-written report that looks complete."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from flagger.errors import FlaggerError


class OutputError(FlaggerError):
    """A report, hits or state file could not be written (disk full, read-only, not a folder...)."""


class ReaderGone(Exception):
    """Standard output's reader closed the pipe (`flagger scan … | head -1`). Not an OSError, so
    click cannot turn it into its exit 1; the console script ends as a Unix filter does."""


def _write_failed(path: str, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        reason = "no space left on the device"
    elif exc.errno == errno.EROFS:
        reason = "read-only file system"
    return OutputError(f"cannot write {path}: {reason}; the previous file, if any, is unchanged")


class _Guarded:
    """The stream given to writers: a failed write names the file instead of surfacing as a bare
    OSError (which the command line would report as an internal error)."""

    def __init__(self, stream: TextIO, path: str):
        self._stream, self._path = stream, path

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _write_failed(self._path, exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _write_failed(self._path, exc) from exc

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def atomic_text_writer(path: str | None, newline: str | None = None) -> Iterator[TextIO]:
    """Yield a text stream; on success it replaces `path` in one rename. `None` or "-" = stdout.
    Any failure to write (disk full, read-only, a parent that is a file) is an OutputError naming
    `path`; the temporary file is removed and the previous file is left as it was."""
    if path in (None, "-"):
        try:
            yield sys.stdout
            sys.stdout.flush()
        except BrokenPipeError as exc:
            raise ReaderGone("standard output was closed by its reader") from exc
        return
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _write_failed(str(path), exc) from exc
    in_body = False          # an OSError of the caller's own (not a write) passes unchanged
    try:
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
                in_body = True
                yield _Guarded(stream, str(path))
                in_body = False
            os.chmod(tmp, _file_mode(target))   # mkstemp makes 0600; a report is an ordinary file
            os.replace(tmp, target)
        except OSError as exc:
            if in_body:
                raise
            raise _write_failed(str(path), exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(target: Path) -> int:
    """The mode a plain open() would give: the existing file's, else 0666 minus the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _same(a: str, b: str) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)          # hard links, bind mounts
    except OSError:
        return False


def check_outputs(inputs, outputs: dict[str, str | None]) -> None:
    """Raise OutputError when an output would overwrite an input file or another output.
    `outputs` maps an option name (`-o`, `--hits`...) to its path; None and "-" (stdout) are skipped.
    Checked before anything is read, so a mistyped `-o` can never destroy what it was to scan."""
    named = [(opt, p) for opt, p in outputs.items() if p not in (None, "-")]
    files = [i for i in inputs if i != "-" and not str(i).startswith(("http://", "https://"))]
    for opt, path in named:
        for item in files:
            if _same(path, item):
                raise OutputError(f"{opt} {path} is also an input: writing the report would destroy it")
    for n, (opt, path) in enumerate(named):
        for other_opt, other in named[n + 1:]:
            if _same(path, other):
                raise OutputError(f"{opt} {path} and {other_opt} {other} are the same file: one would overwrite "
                                  "the other")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def output_locks(paths) -> Iterator[None]:
    """Hold a lock on each file this run will write (report, hits, state) until the run ends.
    A second run writing the same file meanwhile stops at once with an OutputError (exit 2)
    instead of losing the first run's report or state. The locks are `.NAME.lock` files beside
    the outputs (filelock: an OS lock, released when the process ends however it ends)."""
    from filelock import FileLock, Timeout

    with contextlib.ExitStack() as stack:
        seen: set[str] = set()
        for path in paths:
            if path in (None, "-"):
                continue
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            target = Path(real)
            lock_file = target.with_name(f".{target.name}.lock")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                stack.enter_context(FileLock(str(lock_file), timeout=0))
                stack.callback(_remove, lock_file)     # only a lock this run holds; removed, then released
                # with the lock held no other run writes this file: a temporary file beside it is
                # what a run killed with SIGKILL (or a power cut) left behind
                for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                    _remove(stale)
            except Timeout:
                raise OutputError(f"{path} is being written by another flagger run (lock {lock_file}); "
                                  "wait for it to finish or write elsewhere") from None
            except OSError as exc:
                raise _write_failed(str(path), exc) from exc
        yield
