"""Peak memory of `flagger scan` on a large JSONL: it must stream, not load the input whole.

    python benchmarks/memory.py                 # 2 GB input (default)
    python benchmarks/memory.py --size 500MB    # smaller run
    python benchmarks/memory.py --size 500MB --baseline 100MB --no-dedupe   # extra args go to scan

Generates a JSONL of synthetic news-like articles on the fly into /tmp (seeded, so the same size
gives the same file), then runs `flagger scan FILE -f csv -o /tmp/... --hits ...` in a
subprocess and reports the child's peak RSS (ru_maxrss of RUSAGE_CHILDREN, the same figure as
`/usr/bin/time -v`'s "Maximum resident set size"), wall time and throughput. To show that memory
does not grow with the input, it also runs a smaller input (--baseline, default 100 MB) first and
prints both peaks.

Measured on the project's 2-core machine (scan speed ~0.2-0.3 MB/s, so 500 MB takes ~45 min):
see docs/reliability.md for the figures.

The vocabulary grows with the corpus (new made-up words keep appearing, as names do in real
news), so per-token caches are exercised too; every ~40th article mentions a sanctions term or a
listed entity so the report has hits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

COMMON = ("the of and to in a is that for on was with as by at from said it an be has have were which "
          "will government ministry company shipment port official report week year officials new talks "
          "trade market oil prices bank state foreign minister agreement deal vessel cargo spokesperson").split()
TOPICAL = ["North Korea", "ammunition", "artillery shells", "ship-to-ship transfer", "Pyongyang", "KOMID",
           "Korea Mining Development Trading Corporation", "ballistic missile", "Rason", "Wonsan", "sanctions",
           "Kim Jong Un", "Ministry of National Defence", "Wise Honest", "dual-use", "export licence"]
SYLLABLES = "ka ri mo san tel vor ung lin dra pe shi no ga zu ber tan oth el mar is kov ani".split()


def parse_size(text: str) -> int:
    m = re.fullmatch(r"(?i)\s*([\d.]+)\s*([kmg]?)b?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 500MB, 2GB)")
    return int(float(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()])


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def generate(path: Path, size: int, seed: int = 6) -> int:
    """Write about `size` bytes of JSONL; return the number of articles."""
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(2000)]
    n = 0
    written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            n += 1
            if n % 50 == 0:                     # the vocabulary keeps growing, like names in news
                vocab.extend(_word(rng) for _ in range(20))
            words = []
            for _ in range(rng.randint(300, 900)):
                r = rng.random()
                if r < 0.55:
                    words.append(rng.choice(COMMON))
                else:
                    words.append(vocab[min(len(vocab) - 1, int(rng.paretovariate(1.1)) - 1)]
                                 if r < 0.8 else rng.choice(vocab))
            if n % 40 == 0:
                for _ in range(rng.randint(1, 3)):
                    words.insert(rng.randrange(len(words)), rng.choice(TOPICAL))
            text = ". ".join(" ".join(words[i:i + 15]).capitalize() for i in range(0, len(words), 15)) + "."
            line = json.dumps({"id": f"bench-{n}", "title": f"Article {n}", "text": text,
                               "source": "bench", "published": "2026-01-01"}, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
    return n


def run_scan(jsonl: Path, fmt: str, extra: list[str], flagger_cmd: str | None = None) -> dict:
    out = jsonl.with_name(f"flagger-bench-report.{fmt}")
    hits = jsonl.with_name("flagger-bench-hits.csv")
    if flagger_cmd:
        base = shlex.split(flagger_cmd)
    else:
        exe = Path(sys.executable).with_name("flagger")
        base = [str(exe) if exe.exists() else "flagger"]
    cmd = [*base, "scan", str(jsonl), "-f", fmt, "-o", str(out), "--hits", str(hits), "--allow-errors", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        sys.exit(f"scan failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    rows = sum(1 for _ in out.open(encoding="utf-8")) - (1 if fmt == "csv" else 0)
    return {"peak_rss_mib": round(peak_kib / 1024, 1), "peak_grew_over_previous": peak_kib > before,
            "seconds": round(seconds, 1), "report_rows": rows, "summary": proc.stderr.strip().splitlines()[-1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, default=parse_size("2GB"), help="input size (default 2GB)")
    ap.add_argument("--baseline", type=parse_size, default=parse_size("100MB"),
                    help="size of the smaller first run to compare with (0 = skip); keep it above one dedupe "
                         "chunk (32 M characters, ~35 MB) so both runs are in the steady state")
    ap.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    ap.add_argument("--keep", action="store_true", help="keep the generated JSONL")
    ap.add_argument("--dir", default="/tmp", help="where to write the input and the reports")
    ap.add_argument("--flagger", help="command that runs flagger (default: the flagger next to this Python)")
    args, extra = ap.parse_known_args()

    results = {}
    # The small run goes first: ru_maxrss of RUSAGE_CHILDREN is a maximum over all children so far.
    for label, size in (("baseline", args.baseline), ("large", args.size)):
        if not size:
            continue
        path = Path(args.dir) / f"flagger-bench-{size}.jsonl"
        t0 = time.perf_counter()
        if not path.exists() or path.stat().st_size < size:
            n = generate(path, size)
        else:
            n = sum(1 for _ in path.open("rb"))
        gen = time.perf_counter() - t0
        res = run_scan(path, args.format, extra, args.flagger)
        res.update(input_bytes=path.stat().st_size, input_mib=round(path.stat().st_size / 2**20, 1), articles=n,
                   generate_seconds=round(gen, 1),
                   mib_per_second=round(path.stat().st_size / 2**20 / max(res["seconds"], 1e-9), 2))
        if res["report_rows"] != n:
            sys.exit(f"report has {res['report_rows']} rows for {n} input articles: records were lost")
        results[label] = res
        print(json.dumps({label: res}), flush=True)
        if not args.keep:
            os.unlink(path)
    if "baseline" in results and "large" in results:
        b, large = results["baseline"], results["large"]
        print(f"peak RSS: {b['peak_rss_mib']} MiB for {b['input_mib']} MiB of JSONL, "
              f"{large['peak_rss_mib']} MiB for {large['input_mib']} MiB "
              f"({large['input_mib'] / max(b['input_mib'], 1e-9):.0f}x the input; "
              f"{'grew' if large['peak_grew_over_previous'] else 'did not grow'} over the small run)")


if __name__ == "__main__":
    main()
