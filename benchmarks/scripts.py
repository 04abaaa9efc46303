"""False alarms of Latin list names read in other scripts (flagger.names.scripts), re-runnable:

    .venv/bin/python benchmarks/scripts.py [--texts 400] [--words 25] [--seed 7]

For each language written in a script names.scripts reads (and wordfreq knows), `--texts` word
sequences of `--words` words are drawn from the language's 60,000 most frequent words (seeded), and
in each, twice, a rare word (rank 30,000-60,000, or the second half of a shorter list: not filtered
as frequent) is put right beside a word for an entity's kind (data/type_words.txt, any script): the
situation where a sound key is most likely to make a name of an ordinary word. The sequences are
matched against every Latin name of the bundled default list (`LatinNames.find`); every match is
a false alarm (the words are ordinary words of the language, not names). Printed per language:
words, matches, matches per 10,000 words, CPU seconds, and the first matches.

Georgian and Armenian are left out: wordfreq has no list for them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import wordfreq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flagger.api import Scanner  # noqa: E402
from flagger.engine.transcribed import TranscribedNames  # noqa: E402
from flagger.names.scripts import LatinNames, type_words  # noqa: E402

LANGUAGES = ("ar", "fa", "ur", "he", "ko", "el", "hi", "bn", "ta", "ru", "uk", "bg")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", type=int, default=400)
    ap.add_argument("--words", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    scanner = Scanner()
    t0 = time.process_time()
    transcribed = TranscribedNames(scanner.compiled.index, scanner.compiled.payloads)
    names: LatinNames = transcribed._build()
    print(f"default list: {scanner.compiled.entities.height} entities, {len(transcribed._ends)} Latin names "
          f"(keys built in {time.process_time() - t0:.2f} CPU s)")
    kinds = sorted(type_words()[0])
    rng = random.Random(args.seed)
    total_words = total_hits = 0
    for lang in LANGUAGES:
        words = wordfreq.top_n_list(lang, 60_000)
        rare = words[min(30_000, len(words) // 2):]
        t0 = time.process_time()
        count = 0
        hits: list[str] = []
        for _ in range(args.texts):
            seq = [rng.choice(words) for _ in range(args.words)]
            for _ in range(2):
                k = rng.randrange(args.words - 1)
                seq[k], seq[k + 1] = (rng.choice(kinds), rng.choice(rare)) if rng.random() < 0.5 else (
                    rng.choice(rare), rng.choice(kinds))
            count += len(seq)
            hits += [why for _s, _e, _n, why in names.find(seq, [" "] * (len(seq) - 1))]
        total_words += count
        total_hits += len(hits)
        print(f"{lang}: words {count}, matches {len(hits)}, per 10k words {len(hits) / count * 1e4:.1f}, "
              f"CPU {time.process_time() - t0:.2f} s", hits[:3])
    print(f"all: words {total_words}, matches {total_hits}, per 10k words {total_hits / total_words * 1e4:.2f}")


if __name__ == "__main__":
    main()
