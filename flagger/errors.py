"""Typed errors. Every error carries where it happened so a user can fix it."""

from __future__ import annotations


class FlaggerError(Exception):
    """Base class for every error flagger raises on purpose."""


class LocatedError(FlaggerError):
    """An error in a file (or stream) at an optional line: str() is `file:line: message`."""

    default_where = "<unknown>"

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(self.location_message())

    def location_message(self) -> str:
        where = self.file or self.default_where
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class RuleError(LocatedError):
    """A rule pack is invalid. Carries the file and line of the offending node."""

    default_where = "<rules>"


class EntityListError(LocatedError):
    """An entity list could not be read. Carries the file and record/line."""

    default_where = "<entities>"


class InputError(LocatedError):
    """An input record could not be read. Carries the source and line/record."""

    default_where = "<input>"

    def __init__(self, message: str, source: str | None = None, line: int | None = None):
        super().__init__(message, source, line)

    @property
    def source(self) -> str | None:
        return self.file


class ConfigError(FlaggerError):
    """Invalid configuration or command-line usage."""
