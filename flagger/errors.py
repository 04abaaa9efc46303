"""Typed errors. Every error carries where it happened so a user can fix it."""

from __future__ import annotations


class FlaggerError(Exception):
    """Base class for every error flagger raises on purpose."""


class RuleError(FlaggerError):
    """A rule pack is invalid. Carries the file and line of the offending node."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.location_message())

    def location_message(self) -> str:
        where = self.file or "<rules>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class EntityListError(FlaggerError):
    """An entity list could not be read. Carries the file and record/line."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        where = file or "<entities>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class InputError(FlaggerError):
    """An input record could not be read. Carries the source and line/record."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        where = source or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class ConfigError(FlaggerError):
    """Invalid configuration or command-line usage."""
