"""Deterministic synthetic corpus for flagger's benchmarks.

News-like articles (2–8 KB, Zipf word frequencies, curly quotes and dashes) with embedded rule
terms and entity names under realistic perturbation, a synthetic entity list in flagger's simple
CSV format (docs/entities.md), and a rule pack with T terms in groups. Every embedded mention is
recorded in truth.jsonl (article id, character span, term or entity id, perturbation kind) so a
benchmark can measure recall, not just speed.

    python benchmarks/corpus.py OUT_DIR --articles 20000 --terms 2000 --entities 20000 --seed 7

Same arguments and seed -> byte-identical files (per Python minor version).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from pathlib import Path

# -- vocabularies --------------------------------------------------------------------------------
_FUNCTION = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or have an "
    "they which one you were her all she there would their we him been has when who will more no if out so said "
    "what up its about into than them can only other new some could time these two may then do first any my now "
    "such like our over man me even most made after also did many before must through back years where much your "
    "way well down should because each just those people how too little state good very make world still own see "
    "men work long get here between both life being under never day same another know while last might us great "
    "old year off come since against go came right used take three"
).split()
_NEWS = (
    "government officials minister ministry report reported sources according statement spokesman agency "
    "economy market markets trade exports imports sanctions talks meeting summit president leader country "
    "region border security police military forces court judge election party parliament policy energy "
    "prices inflation company companies bank banks investors shares billion million percent quarter growth "
    "analysts analyst weekly monday tuesday wednesday thursday friday weekend capital city province port "
    "shipment shipments cargo vessel vessels customs authorities investigation investigators evidence "
    "network networks transfer transfers payment payments contract contracts deal deals industry factory "
    "production supply supplies equipment technology research university students hospital health weather "
    "storm season football match players coach fans music festival film director actor culture museum"
).split()
_SYL = ("ka ri to mo an el ve sa lu ne di po ra te mi ko ba re na lo si da fe go hu ja ki le ma no pe qu "
        "ro su ta vi wo ya ze al ar en er in or us on at it es is").split()
_KO_SURNAMES = ("kim ri pak choe jo jong kang han son yun o ryu rim sin hwang an song jon paek ho nam ju kwak "
                "chae cha ko mun yang").split()
_KO_SYL = ("jong un chol song yong hyok myong pyong chun tong kwang sik kyong ryong hyon jin kil pok thae su "
           "il nam ho hui sok kum chang hak gun min sun hwa ok dok yon ung bom").split()
_RU_GIVEN = ("aleksei aleksandr dmitry sergei valery vasily yevgeny yuri mikhail pyotr fyodor grigory andrei "
             "nikolai arkady anatoly gennady ilya viktor oleg igor boris pavel roman maksim denis").split()
_RU_ROOTS = ("petr ivan volk sokol orl medved kozl bel chern zhuk lebed morozov kuznets popov vasil "
             "smirn nikol fedor yegor tarasov stepan kovalev gusev titov").split()
_RU_SUFFIX = ("ov", "ev", "in", "enko", "sky", "ovich")
_FA_GIVEN = ("mohammad hossein hassan ahmad mahmoud mostafa morteza qasem abdullah ibrahim omar ali hamid "
             "rahim karim saeed reza jafar mehdi amir behrouz dariush farhad javad kazem majid").split()
_FA_SUR = ("ahmadi rezaei hosseini mohammadi karimi jafari rahimi moradi hashemi sadeghi ghorbani rostami "
           "salehi heidari zamani kazemi nazari akbari yazdani shirazi tehrani esfahani").split()
_ZH_SUR = "wang li zhang liu chen yang huang zhao zhou wu xu sun ma zhu hu guo he lin luo gao".split()
_ZH_SYL = "wei jian guo ming hua jun hong ping qiang yong xin lei tao bin hui fang jie chao peng bo".split()
_INDUSTRY = ("trading shipping mining machinery technology import export engineering petroleum logistics "
             "industrial development investment chemical electronics metals maritime energy holding "
             "aviation resources construction commercial precision systems").split()
_LEGAL = (("Co Ltd", "Company Limited"), ("LLC", "Limited Liability Company"), ("Corporation", "Corp"),
          ("JSC", "Joint Stock Company"), ("Ltd", "Limited"), ("GmbH", None), ("FZE", None), ("OOO", None))
_DOMAIN = (
    "missile ballistic centrifuge uranium enrichment warhead artillery ammunition propellant launcher "
    "rocket drone torpedo submarine radar satellite reactor plutonium isotope nerve agent precursor "
    "sarin mustard tritium beryllium maraging steel gyroscope accelerometer telemetry guidance nozzle "
    "turbopump airframe composite carbon fibre machine tool lathe milling controller spectrometer "
    "vacuum pump frequency changer detonator explosive cordite shell mortar howitzer grenade rifle "
    "armour tank helicopter fighter engine transshipment tanker refined petroleum coal iron ore seafood "
    "textile laborer overseas workers cryptocurrency laundering wallet exchange mixer hacking malware "
    "phishing luxury goods yacht vehicles front company shell account correspondent remittance dual use "
    "cascade aluminium tubes hydrazine solid fuel liquid fuel transporter erector reentry vehicle "
    "hypersonic glide cruise antiship"
).split()


def _zipf_cum(n: int, s: float) -> list[float]:
    cum, total = [], 0.0
    for r in range(1, n + 1):
        total += 1.0 / r ** s
        cum.append(total)
    return cum


class _Words:
    """Pseudo-words from syllables, unique, deterministic."""

    def __init__(self, rng: random.Random, taken: set[str]):
        self.rng = rng
        self.taken = taken

    def make(self, lo: int = 2, hi: int = 4) -> str:
        for attempt in itertools.count():
            if attempt and attempt % 20 == 0:   # this length is used up: allow a longer word
                hi += 1
            w = "".join(self.rng.choice(_SYL) for _ in range(self.rng.randint(lo, hi)))
            if len(w) < 3:
                w += self.rng.choice("nrsltk")
            if w not in self.taken:
                self.taken.add(w)
                return w
        raise AssertionError("unreachable")


# -- perturbation ----------------------------------------------------------------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ACCENT = {"a": "á", "e": "é", "i": "í", "o": "ö", "u": "ü", "c": "ç", "n": "ñ"}


def _typo(rng: random.Random, word: str) -> str:
    """One edit (substitute, insert, delete or swap neighbours) inside the word, never the first letter."""
    i = rng.randint(1, len(word) - 2)
    op = rng.randrange(4)
    c = rng.choice(_LETTERS)
    if op == 0:
        return word[:i] + (c if c != word[i] else "x") + word[i + 1:]
    if op == 1:
        return word[:i] + c + word[i:]
    if op == 2:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:] if word[i] != word[i + 1] else word[:i] + word[i + 1:]


def _typo_in(rng: random.Random, words: list[str]) -> list[str] | None:
    """A typo in one word long enough to take one (flagger's documented budget: 5+ letters)."""
    idx = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not idx:
        return None
    i = rng.choice(idx)
    out = list(words)
    lower = out[i].lower()
    t = _typo(rng, lower)
    out[i] = t.upper() if out[i].isupper() else (t.capitalize() if out[i][0].isupper() else t)
    return out


def _title(name: str) -> str:
    return " ".join(w if (w.isupper() and len(w) <= 4) else w.capitalize() for w in name.split())


def _load_equivalents() -> dict[str, list[str]]:
    path = Path(__file__).resolve().parent.parent / "flagger" / "names" / "data" / "equivalents.txt"
    groups: dict[str, list[str]] = {}
    if not path.exists():
        return groups
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        toks = line.split()
        for t in toks:
            groups[t] = [o for o in toks if o != t]
    return groups


# -- generator -------------------------------------------------------------------------------------
def generate(out: Path, n_articles: int = 20000, n_terms: int = 2000, n_entities: int = 20000,
             seed: int = 7, mentions_per_article: float = 1.1) -> dict:
    """Write articles.jsonl, entities.csv, rules/bench.yaml, truth.jsonl and meta.json into `out`."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    taken: set[str] = set(_FUNCTION) | set(_NEWS) | set(_DOMAIN)
    words = _Words(rng, taken)
    equiv = _load_equivalents()

    # Article vocabulary: function and news words at the head, then pseudo-words (Heaps-sized).
    n_vocab = 60000
    head = list(_FUNCTION) + list(_NEWS)
    rng.shuffle(head)
    vocab = list(_FUNCTION) + [w for w in head if w not in _FUNCTION]
    vocab += [words.make(2, 4) for _ in range(n_vocab - len(vocab))]
    cum = _zipf_cum(len(vocab), 1.15)

    # Terms: domain words and pseudo-technical words, 1–3 tokens, all distinct.
    tech = list(_DOMAIN) + [words.make(3, 4) for _ in range(max(200, n_terms // 2))]
    terms: list[str] = []
    seen_terms: set[str] = set()
    while len(terms) < n_terms:
        k = rng.choices((1, 2, 3), (0.3, 0.55, 0.15))[0]
        t = " ".join(rng.choice(tech) for _ in range(k))
        if len(set(t.split())) < k or t in seen_terms or len(t) < 5:
            continue
        seen_terms.add(t)
        terms.append(t)

    # Entities: persons (ko/ru/fa/zh), companies, vessels; aliases to reach ~2.45 names each.
    company_roots = [words.make(2, 3).capitalize() for _ in range(max(400, n_entities // 6))]
    entities: list[dict] = []
    names_seen: set[str] = set()

    def unique(name: str) -> bool:
        key = name.lower()
        if key in names_seen:
            return False
        names_seen.add(key)
        return True

    while len(entities) < n_entities:
        eid = f"BENCH:{len(entities) + 1:06d}"
        r = rng.random()
        aliases: list[str] = []
        if r < 0.45:
            etype, origin = "person", rng.choice(("ko", "ru", "fa", "zh"))
            if origin == "ko":
                parts = [rng.choice(_KO_SURNAMES), rng.choice(_KO_SYL), rng.choice(_KO_SYL)]
                name = _title(" ".join(parts))
                alt = [rng.choice(equiv.get(p, [p])) if rng.random() < 0.5 else p for p in parts]
                aliases.append(_title(" ".join(alt)))
            elif origin == "ru":
                given = rng.choice(_RU_GIVEN)
                father = rng.choice(_RU_GIVEN)
                patronymic = father[:-1] + "ovich" if father.endswith(("i", "y")) else father + "ovich"
                sur = rng.choice(_RU_ROOTS) + rng.choice(_RU_SUFFIX[:4]) + ("" if rng.random() < 0.6 else words.make(1, 1))
                name = _title(f"{given} {patronymic} {sur}")
                aliases.append(_title(f"{rng.choice(equiv.get(given, [given]))} {sur}"))
            elif origin == "fa":
                name = _title(f"{rng.choice(_FA_GIVEN)} {rng.choice(_FA_GIVEN)} {rng.choice(_FA_SUR)}"
                              + ("" if rng.random() < 0.5 else f" {words.make(2, 3)}"))
                toks = name.split()
                aliases.append(_title(" ".join(rng.choice(equiv.get(t.lower(), [t.lower()])) for t in toks)))
            else:
                name = _title(f"{rng.choice(_ZH_SUR)} {rng.choice(_ZH_SYL)}{rng.choice(_ZH_SYL)} {words.make(1, 2)}")
                aliases.append(_title(" ".join(reversed(name.split()))))
            if rng.random() < 0.4:
                aliases.append(_title(f"{words.make(2, 3)} {name.split()[-1]}"))
        elif r < 0.95:
            etype = "organisation"
            core = f"{rng.choice(company_roots)} {rng.choice(_INDUSTRY).capitalize()}"
            if rng.random() < 0.35:
                core = f"{rng.choice(company_roots)} {core}"
            legal = rng.choice(_LEGAL)
            name = f"{core} {legal[0]}"
            if legal[1]:
                aliases.append(f"{core} {legal[1]}")
            if rng.random() < 0.5:
                aliases.append(f"{rng.choice(company_roots)} {rng.choice(_INDUSTRY).capitalize()} Group")
            if rng.random() < 0.3:
                aliases.append(f"~{words.make(2, 3).upper()}")
        else:
            etype = "vessel"
            name = f"{words.make(2, 3).upper()} {words.make(1, 2).upper()}"
            aliases.append(f"{words.make(2, 3).upper()} {rng.randint(1, 99)}")
        if not unique(name):
            continue
        aliases = [a for a in dict.fromkeys(aliases) if a.lstrip("~").lower() != name.lower() and unique(a.lstrip("~"))]
        entities.append({"id": eid, "name": name, "type": etype, "aliases": aliases,
                         "programs": rng.choice(("DPRK3", "RUSSIA-EO14024", "IRAN", "SDGT", "CYBER2")),
                         "countries": rng.choice(("KP", "RU", "IR", "CN", "AE", "SY"))})

    _write_entities(out / "entities.csv", entities)
    groups_per_rule = 2
    per_group = 10
    rules_yaml, term_group = _rule_pack(terms, groups_per_rule, per_group)
    (out / "rules").mkdir(exist_ok=True)
    (out / "rules" / "bench.yaml").write_text(rules_yaml, encoding="utf-8")

    # Articles.
    truth_f = (out / "truth.jsonl").open("w", encoding="utf-8")
    n_bytes = 0
    n_truth = 0
    with (out / "articles.jsonl").open("w", encoding="utf-8") as f:
        for a in range(n_articles):
            target = rng.choice((2000, 3000, 3500, 4000, 4000, 4500, 5000, 6000, 8000))
            length = 0
            sentences: list[str] = []
            while length < target:
                n = rng.randint(8, 28)
                ws = rng.choices(vocab, cum_weights=cum, k=n)
                s = " ".join(ws)
                if rng.random() < 0.15:
                    s = s.replace(" ", " \u2014 ", 1) if n > 10 else s
                if rng.random() < 0.12:
                    s = f"\u201c{s}\u201d"
                s = s[0].upper() + s[1:] + rng.choice(".....?;")
                sentences.append(s)
                length += len(s) + 1
            # Embedded mentions: a Poisson-ish count, terms in pairs so their rule can fire.
            k = rng.choices((0, 1, 2, 3), (0.45, 0.25, 0.2, 0.1))[0] if mentions_per_article else 0
            spots = sorted(rng.sample(range(len(sentences)), min(k * 2, len(sentences))))
            plan = []
            for si in spots:
                if rng.random() < 0.4:
                    plan.append((si, "entity"))
                else:
                    plan.append((si, "terms"))
            records_truth = []
            for si, kind in plan:
                if kind == "entity":
                    ent = rng.choice(entities)
                    shown, how, name = _entity_mention(rng, ent, equiv)
                    before = rng.choice(("Officials said", "According to the report,", "Investigators named",
                                         "The statement named", "A spokesman for", "Records show that"))
                    after = rng.choice(("had arranged the shipment", "was involved in the deal",
                                        "denied any wrongdoing", "signed the contract last year",
                                        "was seen at the port"))
                    prefix = f"{before} "
                    sentences[si] = f"{prefix}{shown} {after}. " + sentences[si]
                    records_truth.append((si, len(prefix), len(shown), {"kind": "entity", "entity_id": ent["id"],
                                                                         "name": name, "perturbation": how}))
                else:
                    rule_i = rng.randrange(len(term_group) // groups_per_rule)
                    g1 = term_group[rule_i * groups_per_rule]
                    g2 = term_group[rule_i * groups_per_rule + 1]
                    t1, t2 = rng.choice(g1), rng.choice(g2)
                    s1, h1 = _term_mention(rng, t1)
                    s2, h2 = _term_mention(rng, t2)
                    mid = " ".join(rng.choices(vocab[:300], k=rng.randint(2, 8)))
                    p1 = rng.choice(("Reports of ", "The ", "Sources described ", "Imports of "))
                    sentence = f"{p1}{s1} {mid} {s2} were noted."
                    sentences[si] = sentence + " " + sentences[si]
                    o2 = len(p1) + len(s1) + 1 + len(mid) + 1
                    records_truth.append((si, len(p1), len(s1), {"kind": "term", "term": t1, "perturbation": h1}))
                    records_truth.append((si, o2, len(s2), {"kind": "term", "term": t2, "perturbation": h2}))
            # Assemble paragraphs of 3–6 sentences and compute absolute offsets.
            offsets = []
            text_parts = []
            pos = 0
            i = 0
            while i < len(sentences):
                p = rng.randint(3, 6)
                chunk = sentences[i:i + p]
                for j, s in enumerate(chunk):
                    offsets.append(pos)
                    text_parts.append(s)
                    pos += len(s)
                    sep = " " if j < len(chunk) - 1 else "\n\n"
                    if i + j == len(sentences) - 1:
                        sep = ""
                    text_parts.append(sep)
                    pos += len(sep)
                i += p
            text = "".join(text_parts)
            aid = f"a{a:06d}"
            title = " ".join(rng.choices(vocab[100:3000], k=rng.randint(4, 9))).capitalize()
            rec = {"id": aid, "title": title, "source": rng.choice(("wire", "daily", "herald", "times")),
                   "published": f"2026-{1 + a % 12:02d}-{1 + a % 28:02d}", "text": text}
            line = json.dumps(rec, ensure_ascii=False)
            f.write(line + "\n")
            n_bytes += len(text.encode("utf-8"))
            for si, off, ln, info in records_truth:
                start = offsets[si] + off
                row = {"article": aid, "start": start, "end": start + ln, **info}
                assert text[start:start + ln]
                truth_f.write(json.dumps(row, ensure_ascii=False) + "\n")
                n_truth += 1
    truth_f.close()
    n_names = sum(1 + len(e["aliases"]) for e in entities)
    meta = {"articles": n_articles, "terms": n_terms, "entities": n_entities, "names": n_names, "seed": seed,
            "text_bytes": n_bytes, "mentions": n_truth, "seconds": round(time.perf_counter() - t0, 2)}
    (out / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def _entity_mention(rng: random.Random, ent: dict, equiv: dict) -> tuple[str, str, str]:
    """(text as written, perturbation kind, listed name it stands for)."""
    names = [ent["name"]] + [a.lstrip("~") for a in ent["aliases"] if not a.startswith("~")]
    name = ent["name"] if rng.random() < 0.7 else rng.choice(names)
    words = name.split()
    etype = ent["type"]
    options = ["none", "none", "none", "case", "typo"]
    if etype == "person":
        options += ["swap", "translit", "hyphen", "diacritics"]
        if len(words) >= 3:
            options += ["drop_middle"]
        if any(w.lower() in _KO_SYL for w in words[1:]):
            options += ["concat"]
    elif etype == "organisation":
        options += ["suffix_drop", "suffix_variant", "hyphen"]
    how = rng.choice(options)
    out = list(words)
    if how == "case":
        out = [w.upper() for w in words] if etype != "vessel" else [w.capitalize() for w in words]
    elif how == "typo":
        t = _typo_in(rng, words)
        if t is None:
            how = "none"
        else:
            out = t
    elif how == "swap":
        out = words[-1:] + words[:-1]
    elif how == "translit":
        idx = [i for i, w in enumerate(words) if w.lower() in equiv]
        if idx:
            i = rng.choice(idx)
            out[i] = rng.choice(equiv[words[i].lower()]).capitalize()
        else:
            how = "none"
    elif how == "hyphen" and len(words) >= 2:
        i = len(words) - 2 if etype == "person" else rng.randrange(len(words) - 1)
        out = words[:i] + [f"{words[i]}-{words[i + 1]}"] + words[i + 2:]
    elif how == "concat" and len(words) >= 3:
        out = [words[0], words[1] + words[2].lower()] + words[3:]
    elif how == "drop_middle" and len(words) >= 3:
        out = [words[0]] + words[2:]
    elif how == "diacritics":
        idx = [i for i, w in enumerate(words) if any(c in _ACCENT for c in w[1:])]
        if idx:
            i = rng.choice(idx)
            w = words[i]
            j = next(j for j in range(1, len(w)) if w[j] in _ACCENT)
            out[i] = w[:j] + _ACCENT[w[j]] + w[j + 1:]
        else:
            how = "none"
    elif how == "suffix_drop":
        for n_legal in (3, 2, 1):
            tail = " ".join(words[-n_legal:])
            if any(tail in lf for lf in _LEGAL) and len(words) - n_legal >= 2:
                out = words[:-n_legal]
                break
        else:
            how = "none"
    elif how == "suffix_variant":
        for short, long in _LEGAL:
            if long and name.endswith(" " + short):
                out = (name[: -len(short)] + long).split()
                break
            if long and name.endswith(" " + long):
                out = (name[: -len(long)] + short).split()
                break
        else:
            how = "none"
    else:
        how = "none" if how in ("hyphen", "concat", "drop_middle") else how
    return " ".join(out), how, name


def _term_mention(rng: random.Random, term: str) -> tuple[str, str]:
    words = term.split()
    how = rng.choice(("none", "none", "none", "case", "plural", "typo", "hyphen"))
    out = list(words)
    if how == "case":
        out = [w.capitalize() for w in words] if rng.random() < 0.6 else [w.upper() for w in words]
    elif how == "plural":
        if words[-1].endswith("s"):
            how = "none"
        else:
            out[-1] = words[-1] + "s"
    elif how == "typo":
        t = _typo_in(rng, words)
        if t is None:
            how = "none"
        else:
            out = t
    elif how == "hyphen":
        if len(words) >= 2:
            return "-".join(words), how
        how = "none"
    return " ".join(out), how


def _write_entities(path: Path, entities: list[dict]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "type", "aliases", "countries", "programs", "list"])
        for e in entities:
            w.writerow([e["id"], e["name"], e["type"], " | ".join(e["aliases"]), e["countries"], e["programs"],
                        "bench"])


def _rule_pack(terms: list[str], groups_per_rule: int, per_group: int) -> tuple[str, list[list[str]]]:
    """T terms split into rules of `groups_per_rule` groups of `per_group` terms; all groups required."""
    groups = [terms[i:i + per_group] for i in range(0, len(terms), per_group)]
    while len(groups) % groups_per_rule:
        groups.append(groups[-1])
    lines = ["pack:", "  id: bench", "  title: Synthetic benchmark pack", "rules:"]
    for r in range(len(groups) // groups_per_rule):
        lines += [f"  - id: bench.r{r:04d}", f"    title: Synthetic rule {r}", "    category: bench",
                  "    severity: high", "    legal_basis: [synthetic]", "    references: [synthetic]", "    groups:"]
        names = []
        for g in range(groups_per_rule):
            gname = f"g{g}"
            names.append(gname)
            lines.append(f"      {gname}:")
            lines.append("        terms: [" + ", ".join(json.dumps(t) for t in groups[r * groups_per_rule + g]) + "]")
        lines += ["    match:", f"      all: [{', '.join(names)}]", "      within: 40"]
    return "\n".join(lines) + "\n", groups


def ensure_corpus(root: Path, n_articles: int, n_terms: int, n_entities: int, seed: int = 7) -> Path:
    """The corpus directory for these parameters, generated on first use."""
    d = root / f"n{n_articles}-t{n_terms}-m{n_entities}-s{seed}"
    if not (d / "meta.json").exists():
        generate(d, n_articles, n_terms, n_entities, seed)
    return d


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--terms", type=int, default=2000)
    ap.add_argument("--entities", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(json.dumps(generate(a.out, a.articles, a.terms, a.entities, a.seed), indent=1))


if __name__ == "__main__":
    main()
