"""Incremental runs: remember which articles were scanned, so an hourly job reports only new ones.

An article is known by its key (feed entry id/guid, else URL, else input file + record id) and a hash of its
normalised title and text. It is scanned again when its key is new or its content changed (an
edited story re-alerts); a copy of an already-scanned text under another URL is skipped too. An
article is remembered only after it was scanned without an error, so a failed one is retried.

The file is JSON, written atomically (temporary file + rename) and only after a run that
completed (exit 0 or 1): a failed run leaves the previous state, so the next run retries
everything it could not finish. Entries not seen for `KEEP_DAYS` are pruned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from flagger.errors import ConfigError
from flagger.model import Record
from flagger.output import atomic_text_writer

FORMAT_VERSION = 1
KEEP_DAYS = 180


def record_key(record: Record) -> str:
    """A feed entry's guid, else its URL, else where it was read and its id: two CSV files that both
    number their rows from 1 are different articles."""
    guid = record.extra.get("guid") if isinstance(record.extra, dict) else None
    if guid or record.url:
        return str(guid or record.url)
    if record.origin and record.origin != record.id:
        return f"{record.origin}::{record.id}"
    return str(record.id)


def content_hash(record: Record) -> str:
    text = " ".join((record.title + "\n" + record.text).split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def text_hash(record: Record) -> str:
    text = " ".join(record.text.split()).casefold()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class State:
    path: str
    articles: dict[str, dict] = field(default_factory=dict)
    texts: set[str] = field(default_factory=set)
    seen_now: dict[str, dict] = field(default_factory=dict)
    skipped: int = 0

    def is_new(self, record: Record) -> bool:
        if record.error:
            return True
        prev = self.articles.get(record_key(record))
        if prev is not None:
            return prev.get("hash") != content_hash(record)
        return text_hash(record) not in self.texts

    def filter_new(self, records):
        """Yield only new or changed records (and every error record). Unchanged ones are remembered
        as seen again; new ones only once scanned (`remember`)."""
        for record in records:
            if record.error:
                yield record
                continue
            if self.is_new(record):
                yield record
            else:
                self.mark(record)
                self.skipped += 1

    def remember(self, results):
        """Pass results through, marking each article that was scanned without an error: one whose
        scan failed is not remembered, so the next run scans it again."""
        for result in results:
            if not result.record.error:
                self.mark(result.record)
            yield result

    def mark(self, record: Record) -> None:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        key = record_key(record)
        prev = self.articles.get(key, {})
        self.seen_now[key] = {"hash": content_hash(record), "text": text_hash(record),
                              "first_seen": prev.get("first_seen", now), "last_seen": now}

    def save(self, today: dt.date | None = None) -> None:
        merged = dict(self.articles)
        merged.update(self.seen_now)
        cutoff = ((today or dt.date.today()) - dt.timedelta(days=KEEP_DAYS)).isoformat()
        merged = {k: v for k, v in merged.items() if str(v.get("last_seen", ""))[:10] >= cutoff}
        doc = {"flagger_state": FORMAT_VERSION, "articles": dict(sorted(merged.items()))}
        with atomic_text_writer(self.path) as stream:
            json.dump(doc, stream, ensure_ascii=False, indent=1)
            stream.write("\n")


def load_state(path: str) -> State:
    p = Path(path)
    if not p.exists():
        return State(path=path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read state file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: state file is not valid JSON ({exc.msg}); "
                          "delete it to rescan everything") from None
    if not isinstance(doc, dict) or doc.get("flagger_state") != FORMAT_VERSION or not isinstance(
            doc.get("articles"), dict):
        raise ConfigError(f"{path}: not a flagger state file (version {FORMAT_VERSION})")
    arts = {str(k): v for k, v in doc["articles"].items() if isinstance(v, dict)}
    return State(path=path, articles=arts, texts={v.get("text") for v in arts.values() if v.get("text")})
