"""HTML: one self-contained file an analyst opens in a browser (no network, no external assets).

Articles are ranked by score (flagged first, then unreadable inputs, then, only when asked, the
articles with no finding). A collapsed row shows the level, score, title, source, and the rules
and entities found. Each expands to its text with one mark per evidence span (overlapping hits
share one; hovering shows each hit's rule or entity, term and similarity). Filters by level,
category, entity and free text run in a few lines of inline JavaScript, allowed by its hash: the
Content-Security-Policy forbids any fetch and any other script (a ``javascript:`` url never runs;
only http(s) urls become links). The rules that fired are listed with their legal basis.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import TextIO

from flagger.ci.gate import outcome_for
from flagger.model import LEVELS
from flagger.report.provenance import entity_lists_line
from flagger.report.safe import http_url

UNFLAGGED_TEXT_LIMIT = 5_000       # characters of text kept for an article with no finding
FLAGGED_TEXT_LIMIT = 400_000       # and for a flagged one (its evidence is always inside)

CSS = """
:root{--bg:#fff;--fg:#1b1f24;--muted:#5b6570;--line:#d8dee4;--critical:#8b0000;--high:#c2410c;--medium:#b7791f;
--low:#2b6cb0;--none:#718096;--mark:#fff3a3;--mark-entity:#c6f6d5}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
background:var(--bg);margin:0 auto;max-width:1100px;padding:1rem 1.5rem 4rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid var(--line)}
.summary{color:var(--muted)}.summary b{color:var(--fg)}
.filters{position:sticky;top:0;background:var(--bg);padding:.6rem 0;border-bottom:1px solid var(--line);
display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;z-index:2}
.filters label{font-size:.85rem;color:var(--muted)}select,input{font:inherit;padding:.15rem .3rem;max-width:22rem}
details.article{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.1rem .8rem}
details.article[hidden]{display:none}
summary{cursor:pointer;padding:.4rem 0;list-style-position:outside}
.lvl{display:inline-block;min-width:5.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;
font-weight:600;padding:0 .3rem;text-transform:uppercase}
.lvl-critical{background:var(--critical)}.lvl-high{background:var(--high)}.lvl-medium{background:var(--medium)}
.lvl-low{background:var(--low)}.lvl-none{background:var(--none)}.lvl-error{background:#444}
.score{font-variant-numeric:tabular-nums;font-weight:600;margin:0 .5rem}.meta{color:var(--muted);font-size:.85rem}
.gate-fail{color:var(--critical);font-weight:600}.gate-warn{color:var(--medium)}
.findings{margin:.3rem 0 .6rem;padding-left:1.2rem}.findings li{margin:.15rem 0}
.basis{color:var(--muted);font-size:.85rem}
.text{white-space:pre-wrap;border-left:3px solid var(--line);padding:.3rem .8rem;margin:.5rem 0 .8rem;
font-family:Georgia,serif;font-size:.95rem}
mark{background:var(--mark);padding:0 1px;border-radius:2px}mark.entity{background:var(--mark-entity)}
mark[title]{cursor:help}.what{color:var(--muted);font-size:.85rem;margin-left:.4rem}
.what .rules{font-family:ui-monospace,monospace;color:var(--fg)}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid var(--line);
padding:.3rem;text-align:left;vertical-align:top}.error{color:var(--critical)}
"""

JS = """
(function(){
  var order={none:0,low:1,medium:2,high:3,critical:4};
  var arts=[].slice.call(document.querySelectorAll('details.article'));
  var fl=document.getElementById('f-level'),fc=document.getElementById('f-category'),
      fe=document.getElementById('f-entity'),fs=document.getElementById('f-search'),
      shown=document.getElementById('shown');
  function apply(){
    var lv=fl.value,cat=fc.value,ent=fe.value,q=fs.value.trim().toLowerCase(),n=0;
    arts.forEach(function(a){
      var ok=true,l=a.getAttribute('data-level');
      if(lv!=='all'){ok=l!=='error'&&order[l]>=order[lv];}
      if(ok&&cat!=='all'){ok=(' '+a.getAttribute('data-categories')+' ').indexOf(' '+cat+' ')>=0;}
      if(ok&&ent!=='all'){ok=(' '+a.getAttribute('data-entities')+' ').indexOf(' '+ent+' ')>=0;}
      if(ok&&q){ok=a.textContent.toLowerCase().indexOf(q)>=0;}
      a.hidden=!ok;if(ok){n++;}
    });
    shown.textContent=n;
  }
  [fl,fc,fe].forEach(function(el){el.addEventListener('change',apply);});
  fs.addEventListener('input',apply);
  document.getElementById('expand').addEventListener('click',function(){
    arts.forEach(function(a){if(!a.hidden){a.open=true;}});});
  document.getElementById('collapse').addEventListener('click',function(){
    arts.forEach(function(a){a.open=false;});});
  apply();
})();
"""


#: the page's Content-Security-Policy: nothing is fetched, and the only script that runs is the
#: report's own (allowed by its hash), so a ``javascript:`` url can never run
CSP = ("default-src 'none'; style-src 'unsafe-inline'; "
       f"script-src 'sha256-{base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()}'; "
       "img-src data:; base-uri 'none'; form-action 'none'")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _link(url, label) -> str:
    """An <a> for an http(s) url; any other url (javascript:, data:, file: ...) is shown as text."""
    safe = http_url(url)
    if safe is None:
        return f'<span class="url">{_e(label)}</span>'
    return f'<a href="{_e(safe)}" rel="noreferrer noopener">{_e(label)}</a>'


def highlighted_text(text: str, hits, limit: int, field: str = "text") -> tuple[str, bool]:
    """The article text (or, with `field="title"`, its title) as HTML with one <mark> per evidence
    span in that field.

    Hits whose spans overlap or touch share one mark (so a paragraph reads as text with a few
    marks, not a row of label chips); the mark's `data-hits` names every hit in it (by index),
    `data-rules`/`data-entities` what they found, and its title (shown on hover) each hit's rule
    or entity, term and similarity. Linear in the number of hits after one sort."""
    spans = sorted((h.start, h.end, i, h) for i, h in enumerate(hits)
                   if getattr(h, "field", "text") == field and 0 <= h.start < h.end <= len(text))
    end_at = len(text)
    if len(text) > limit:
        end_at = min(len(text), max([limit] + [e for _s, e, _i, _h in spans]))
    cut = end_at < len(text)
    groups: list[list] = []                    # [start, end, [(i, hit), ...]]
    for s, e, i, h in spans:
        if s >= end_at:
            break
        if groups and s <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], e)
            groups[-1][2].append((i, h))
        else:
            groups.append([s, e, [(i, h)]])
    out, pos = [], 0
    for s, e, members in groups:
        out.append(_e(text[pos:s]))
        rules = dict.fromkeys(h.rule_id for _i, h in members if h.rule_id)
        ents = dict.fromkeys(h.entity_id for _i, h in members if h.entity_id)
        cls = ' class="entity"' if ents and not rules else ""
        title = "\n".join(dict.fromkeys(
            f"{h.rule_id or 'sanctioned entity'}: {h.term}" + (f" [{h.entity_id}]" if h.entity_id else "")
            + f" ({h.similarity:.0f}%)" for _i, h in members))
        out.append(f'<mark{cls} data-hits="{" ".join(str(i) for i, _h in members)}" '
                   f'data-spans="{" ".join(f"{h.start - s}:{h.end - s}" for _i, h in members)}" '
                   f'data-rules="{_e(" ".join(rules))}" data-entities="{_e(" ".join(ents))}" '
                   f'title="{_e(title)}">{_e(text[s:e])}</mark>')
        pos = e
    out.append(_e(text[pos:end_at]))
    return "".join(out), cut


def _rank(v) -> tuple:
    """Flagged articles by score, then unreadable inputs (an analyst must see them), then the rest."""
    group = 1 if v.status == "error" else (2 if v.result.level == "none" else 0)
    return (group, -v.result.score, v.result.record.id)


def write(report, stream: TextIO, include_none: bool = False, **_options) -> None:
    """The page. Articles with no finding (level none) are counted but left out unless
    `include_none` (``--html-include-none``): their full texts would make up most of the page."""
    outcome = outcome_for(report)
    rules_by_id = {r.id: r for r in report.rules}
    verdicts = sorted(outcome.verdicts, key=_rank)
    left_out = 0
    if not include_none:
        kept = [v for v in verdicts if v.status == "error" or v.result.level != "none"]
        left_out = len(verdicts) - len(kept)
        verdicts = kept
    categories, entities, fired = set(), {}, set()
    for v in verdicts:
        r = v.result
        categories.update(r.categories)
        if any(f.rule_id.startswith("entity:") for f in v.findings):
            categories.add("sanctioned-entity")
        for e in r.entities:
            entities[e.entity_id] = e.name
        fired.update(r.rules)
    counts = outcome.counts_by_level()
    w = stream.write
    w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<link rel=\"icon\" href=\"data:,\"><title>flagger report</title>"
      f"<style>{CSS}</style></head><body>\n")
    prov = report.provenance
    w("<header><h1>flagger report</h1><p class=\"summary\">"
      f"<b>{outcome.articles or len(report.results)}</b> articles · <b>{outcome.errors}</b> unreadable · "
      + " · ".join(f"{k} <b>{counts.get(k, 0)}</b>" for k in ("critical", "high", "medium", "low"))
      + f" · <b>{outcome.suppressed}</b> suppressed by baseline · gate: {_e(outcome.gate.describe())}"
      + (f" · flagger {_e(prov.get('flagger_version'))}" if prov.get("flagger_version") else "")
      + "</p>"
      + (f'<p class="summary" id="entity-lists">Entity lists: {_e(entity_lists_line(prov))}</p>'
         if entity_lists_line(prov) else "")
      + (f'<p class="summary" id="left-out">{left_out} article{"" if left_out == 1 else "s"} with no finding '
         "not shown (write the report with --html-include-none to list them).</p>" if left_out else "")
      + "</header>\n")
    w('<div class="filters" role="search">'
      '<label>Level <select id="f-level"><option value="all">all</option>'
      + "".join(f'<option value="{lv}">{lv} and above</option>' for lv in LEVELS[1:])
      + '</select></label><label>Category <select id="f-category"><option value="all">all</option>'
      + "".join(f'<option value="{_e(c)}">{_e(c)}</option>' for c in sorted(categories))
      + '</select></label><label>Entity <select id="f-entity"><option value="all">all</option>'
      + "".join(f'<option value="{_e(eid)}">{_e(name)} ({_e(eid)})</option>'
                for eid, name in sorted(entities.items(), key=lambda kv: kv[1].casefold()))
      + '</select></label><label>Text <input id="f-search" type="search" placeholder="word in article"></label>'
      f'<span class="meta">showing <b id="shown">{len(verdicts)}</b> of {len(verdicts)}</span>'
      '<button id="expand" type="button">expand all</button><button id="collapse" type="button">collapse all</button>'
      "</div>\n<main>\n")
    for n, v in enumerate(verdicts, 1):
        _article(w, n, v, rules_by_id)
    w("</main>\n")
    if fired:
        w("<h2 id=\"rules\">Rules that fired, with their legal basis</h2><table><thead><tr><th>rule</th>"
          "<th>category</th><th>severity</th><th>legal basis</th><th>references</th></tr></thead><tbody>\n")
        for rid in sorted(fired):
            rule = rules_by_id.get(rid)
            if rule is None:
                w(f'<tr id="rule-{_e(rid)}"><td>{_e(rid)}</td><td></td><td></td><td></td><td></td></tr>\n')
                continue
            refs = "<br>".join(_link(x, x) for x in rule.references)
            w(f'<tr id="rule-{_e(rid)}"><td><b>{_e(rid)}</b><br>{_e(rule.title)}</td><td>{_e(rule.category)}</td>'
              f'<td>{_e(rule.severity)}</td><td class="legal-basis">{"<br>".join(_e(b) for b in rule.legal_basis)}</td>'
              f"<td>{refs}</td></tr>\n")
        w("</tbody></table>\n")
    w(f"<script>{JS}</script></body></html>\n")


def _article(w, n: int, v, rules_by_id) -> None:
    r = v.result
    rec = r.record
    level = "error" if v.status == "error" else r.level
    cats = " ".join(dict.fromkeys(r.categories + (["sanctioned-entity"] if any(
        f.rule_id.startswith("entity:") for f in v.findings) else [])))
    ents = " ".join(dict.fromkeys(e.entity_id for e in r.entities))
    title = highlighted_text(rec.title, r.hits, len(rec.title), field="title")[0] if rec.title else _e(rec.id)
    w(f'<details class="article" id="a-{n}" data-level="{level}" data-score="{r.score:.1f}" '
      f'data-categories="{_e(cats)}" data-entities="{_e(ents)}" data-id="{_e(rec.id)}">\n<summary>'
      f'<span class="lvl lvl-{level}">{level}</span>'
      + (f'<span class="score">{r.score:.1f}</span>' if level != "error" else " ")
      + f'<span class="title">{title}</span> ')
    if v.status == "fail":
        w('<span class="gate-fail" title="at or above the gate">✖ gate</span> ')
    w(f'<span class="meta">{_e(rec.source or rec.origin)}'
      + (f" · {_e(rec.published)}" if rec.published else "") + "</span>")
    names = list(dict.fromkeys(e.name for e in r.entities))
    if r.rules or names:                   # what was found, readable without opening the article
        w('<br><span class="what">'
          + (f'<span class="rules">{_e(", ".join(r.rules))}</span>' if r.rules else "")
          + (" · " if r.rules and names else "")
          + (f'<span class="entities">{_e(", ".join(names))}</span>' if names else "") + "</span>")
    w("</summary>\n")
    if rec.error:
        w(f'<p class="error">{_e(rec.error)}</p></details>\n')
        return
    if rec.url:
        w(f'<p class="meta">{_link(rec.url, rec.url)}</p>')
    dups = rec.extra.get("duplicates") if isinstance(rec.extra, dict) else None
    if dups:
        w(f'<p class="meta">Also published by {len(dups)} other site(s): '
          + ", ".join(_link(d.get("url"), d.get("source") or d.get("id")) for d in dups) + "</p>")
    active = [f for f in v.findings if f.status != "suppressed"]
    if active:
        w('<ul class="findings">')
        for f in active:
            rule = rules_by_id.get(f.rule_id)
            basis = " · ".join(rule.legal_basis) if rule else ("designation on the matched list"
                                                                 if f.rule_id.startswith("entity:") else "")
            gate = ' <span class="gate-fail">fails the gate</span>' if f.status == "fail" else ""
            w(f'<li data-rule="{_e(f.rule_id)}"><span class="lvl lvl-{f.level}">{f.level}</span>'
              f'<span class="score">{f.score:.1f}</span><b>{_e(f.rule_id)}</b>'
              + (f" — {_e(rule.title)}" if rule else "") + f" [{_e(f.category)}]{gate}<br>"
              f"“{_e(f.evidence)}”<br><span class=\"basis\">Legal basis: {_e(basis)}</span></li>")
        w("</ul>")
    suppressed = [f for f in v.findings if f.status == "suppressed"]
    if suppressed:
        w(f'<p class="meta">{len(suppressed)} finding(s) suppressed by the baseline: '
          + "; ".join(f"{_e(f.rule_id)} ({_e((f.suppressed_by or {}).get('reason') or 'reviewed')})"
                      for f in suppressed) + "</p>")
    limit = FLAGGED_TEXT_LIMIT if r.hits else UNFLAGGED_TEXT_LIMIT
    body, cut = highlighted_text(rec.text, r.hits, limit)
    w(f'<div class="text">{body}</div>')
    if cut:
        w(f'<p class="meta">Text cut at {limit:,} characters of {len(rec.text):,}.</p>')
    w("</details>\n")
