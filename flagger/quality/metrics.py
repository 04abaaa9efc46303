"""Quality report on labelled articles: precision, recall and F1 per level and per category."""

from __future__ import annotations

import json
from pathlib import Path

from flagger.errors import InputError
from flagger.model import LEVELS, level_rank
from flagger.pipeline import ScanRequest, run_scan
from flagger.scanner import ArticleScanner


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def read_labelled(path: str) -> list[dict]:
    out = []
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON ({exc.msg})", path, lineno) from None
        if obj.get("label") not in LEVELS:
            raise InputError(f"'label' must be one of {', '.join(LEVELS)}", path, lineno)
        if not isinstance(obj.get("categories", []), list):
            raise InputError("'categories' must be a list", path, lineno)
        obj.setdefault("id", f"{path}:{lineno}")
        out.append(obj)
    return out


def evaluate_records(records: list[dict], scanner) -> dict:
    report = run_scan(scanner, ScanRequest(records=[dict(r) for r in records], keep=True)).report
    predicted = {res.record.id: res for res in report.results}
    by_level = {}
    for level in LEVELS[1:]:
        tp = fp = fn = 0
        for rec in records:
            truth = level_rank(rec["label"]) >= level_rank(level)
            res = predicted[str(rec["id"])]
            pred = level_rank(res.level) >= level_rank(level)
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
        by_level[f">={level}"] = _prf(tp, fp, fn)
    categories = sorted({c for rec in records for c in rec.get("categories", [])}
                        | {c for res in report.results for c in res.categories})
    by_category = {}
    for cat in categories:
        tp = fp = fn = 0
        for rec in records:
            truth = cat in rec.get("categories", [])
            pred = cat in predicted[str(rec["id"])].categories
            tp += truth and pred
            fp += pred and not truth
            fn += truth and not pred
        by_category[cat] = _prf(tp, fp, fn)
    confusion = {lab: {p: 0 for p in LEVELS} for lab in LEVELS}
    misses = []
    for rec in records:
        res = predicted[str(rec["id"])]
        confusion[rec["label"]][res.level] += 1
        if abs(level_rank(rec["label"]) - level_rank(res.level)) >= 2:
            misses.append({"id": rec["id"], "label": rec["label"], "predicted": res.level, "score": res.score,
                           "rules": res.rules})
    # per predicted level: of the articles given that level, the share labelled exactly it
    per_level = {}
    for level in LEVELS:
        given = [rec for rec in records if predicted[str(rec["id"])].level == level]
        labelled = [rec for rec in records if rec["label"] == level]
        right = sum(1 for rec in given if rec["label"] == level)
        per_level[level] = {"predicted": len(given), "labelled": len(labelled), "correct": right,
                            "precision": round(right / len(given), 3) if given else None,
                            "recall": round(right / len(labelled), 3) if labelled else None}
    exact = sum(1 for rec in records if predicted[str(rec["id"])].level == rec["label"])
    none_above_low = sum(1 for rec in records if rec["label"] == "none"
                         and level_rank(predicted[str(rec["id"])].level) > level_rank("low"))
    return {"articles": len(records), "level_exact": exact, "none_flagged_above_low": none_above_low,
            "by_level": by_level, "per_level": per_level, "by_category": by_category, "confusion": confusion,
            "far_misses": misses}


def evaluate_file(path: str, rules=None, entities=()) -> dict:
    records = read_labelled(path)
    return evaluate_records(records, ArticleScanner(rules=rules, entities=list(entities)))


def format_metrics(m: dict) -> str:
    lines = [f"{m['articles']} labelled articles · level exactly right: {m['level_exact']} · "
             f"labelled none but flagged above low: {m['none_flagged_above_low']}", "",
             f"{'':24}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for title, table in (("per level (label ≥ level)", m["by_level"]), ("per category", m["by_category"])):
        lines.append(title)
        for key, v in table.items():
            lines.append(f"  {key:<22}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>7.3f}"
                         f"{v['tp']:>5}{v['fp']:>5}{v['fn']:>5}")
    lines.append("exact level (of the articles given it, the share labelled it)")
    for level, v in m["per_level"].items():
        prec = "-" if v["precision"] is None else f"{v['precision']:.3f}"
        rec = "-" if v["recall"] is None else f"{v['recall']:.3f}"
        lines.append(f"  {level:<22}{prec:>10}{rec:>8}{'':>7}{v['correct']:>5}{v['predicted'] - v['correct']:>5}"
                     f"{v['labelled'] - v['correct']:>5}")
    lines.append("")
    lines.append("confusion (rows = label, columns = predicted): " + " ".join(f"{x[:4]:>5}" for x in LEVELS))
    for lab, row in m["confusion"].items():
        lines.append(f"  {lab:<10}" + "".join(f"{row[p]:>6}" for p in LEVELS))
    if m["far_misses"]:
        lines.append("")
        lines.append("off by two levels or more:")
        for x in m["far_misses"]:
            lines.append(f"  {x['id']}: label {x['label']}, predicted {x['predicted']} ({x['score']}) {x['rules']}")
    return "\n".join(lines)
