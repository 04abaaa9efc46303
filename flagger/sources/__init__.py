"""Readers: turn paths (files, folders, stdin) into article Records, one per article.

A record that cannot be read is still yielded, with `error` saying what is wrong and where,
so every input appears in the report.
"""

from flagger.sources.discover import read_inputs

__all__ = ["read_inputs"]
