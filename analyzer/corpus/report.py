"""``policy corpus report``: what archive users ask of the revisions table.

Per policy: how many revisions there are, how many the analyzer finds **major** (decision
``popup`` or ``consent``), how many **declared** a notice and how many were **announced**
(declared ``popup`` or ``consent``: see :mod:`analyzer.corpus.declared` for where that comes
from), and how many major revisions were **not announced**: the Open Terms Archive community's
question, "what proportion of changes are officially announced?". Then which criteria are met
most often, year by year, and the decisions per year.

Two views of one :class:`CorpusReport`: a plain-text table (:func:`render_text`) and a
self-contained HTML page with inline SVG plots (:func:`render_html`: no script, no external
file, no clock, so the same results give the same bytes).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzer.corpus.table import read_results
from analyzer.model import LEVELS

__all__ = ["CorpusReport", "PolicyRow", "load_report", "render_html", "render_text"]

MAJOR_LEVELS = ("popup", "consent")
DECLARED_LEVELS = ("publish", "popup", "consent")
COLUMNS = (
    "policy",
    "language",
    "date",
    "level",
    "declared",
    "announced",
    "criteria",
    "error",
    "analyzer",
    "criteria_pack",
    "model",
)


@dataclass(frozen=True)
class PolicyRow:
    """The counts of one policy (one chain: a policy in one language), or of all of them."""

    policy: str
    language: str
    revisions: int
    failed: int
    """Revisions the analyzer could not analyse (their ``error`` says why)."""
    major: int
    """Decision ``popup`` or ``consent``."""
    consent: int
    declared: int
    """Revisions that declared a notice (``publish`` or above: front matter ``notice:``, or
    what ``versions.json`` records)."""
    unknown: int
    """Revisions whose declaration is not known at all (no ``notice:``, no ``versions.json``)."""
    announced: int
    """Declared ``popup`` or ``consent``."""
    major_announced: int
    major_not_announced: int
    announced_not_major: int
    first: str
    last: str

    @property
    def announced_share(self) -> str:
        """Share of the major revisions that were announced, as text."""
        return _percent(self.major_announced, self.major)


@dataclass(frozen=True)
class CorpusReport:
    source: str
    """The results folder, as the user named it."""
    rows: tuple[PolicyRow, ...]
    total: PolicyRow
    criteria_by_year: Mapping[tuple[str, int], int]
    """Revisions meeting each criterion, per year of the new version."""
    levels_by_year: Mapping[tuple[str, int], int]
    """Revisions per decision level (``failed`` for those without one), per year."""
    provenance: tuple[str, ...]
    """The analyzer versions, criteria packs and models the rows were computed with."""

    @property
    def years(self) -> list[int]:
        return sorted({y for _, y in self.levels_by_year})

    @property
    def criteria(self) -> list[str]:
        return sorted({c for c, _ in self.criteria_by_year}, key=_criterion_order)


def _criterion_order(criterion: str) -> tuple[tuple[int, ...], str]:
    digits = tuple(int(p) for p in criterion.replace("-", ".").split(".") if p.isdigit())
    return digits, criterion


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "–"


def load_report(results: Path) -> CorpusReport:
    """Read ``results/revisions.parquet`` and count (raises :class:`PolicyError` when the
    folder holds no readable results)."""
    revisions, _ = read_results(results, columns=COLUMNS)
    rows = revisions.to_pylist()
    chains: dict[tuple[str, str], list[dict[str, object]]] = {}
    criteria_by_year: dict[tuple[str, int], int] = {}
    levels_by_year: dict[tuple[str, int], int] = {}
    provenance: set[str] = set()
    for row in rows:
        chains.setdefault((str(row["policy"]), str(row["language"] or "")), []).append(row)
        year = row["date"].year
        level = str(row["level"]) if row["level"] is not None else "failed"
        levels_by_year[(level, year)] = levels_by_year.get((level, year), 0) + 1
        for criterion in row["criteria"] or ():
            key = (str(criterion), year)
            criteria_by_year[key] = criteria_by_year.get(key, 0) + 1
        if row["error"] is None:
            provenance.add(
                f"analyzer {row['analyzer']}, criteria {row['criteria_pack']}, model {row['model']}"
            )
    counted = tuple(_count(policy, lang, chain) for (policy, lang), chain in sorted(chains.items()))
    return CorpusReport(
        source=str(results),
        rows=counted,
        total=_count("all policies", "", rows),
        criteria_by_year=criteria_by_year,
        levels_by_year=levels_by_year,
        provenance=tuple(sorted(provenance)),
    )


def _count(policy: str, language: str, rows: Sequence[Mapping[str, object]]) -> PolicyRow:
    major = [r for r in rows if r["level"] in MAJOR_LEVELS]
    announced = [r for r in rows if r["announced"]]
    dates = sorted(str(r["date"]) for r in rows)
    return PolicyRow(
        policy=policy,
        language=language,
        revisions=len(rows),
        failed=sum(1 for r in rows if r["error"] is not None),
        major=len(major),
        consent=sum(1 for r in rows if r["level"] == "consent"),
        declared=sum(1 for r in rows if r["declared"] in DECLARED_LEVELS),
        unknown=sum(1 for r in rows if r["declared"] is None),
        announced=len(announced),
        major_announced=sum(1 for r in major if r["announced"]),
        major_not_announced=sum(1 for r in major if not r["announced"]),
        announced_not_major=sum(
            1 for r in announced if r["level"] is not None and r["level"] not in MAJOR_LEVELS
        ),
        first=dates[0] if dates else "",
        last=dates[-1] if dates else "",
    )


# -- text ---------------------------------------------------------------------------------------

HEADERS = (
    "policy",
    "lang",
    "revisions",
    "major",
    "declared",
    "announced",
    "major announced",
    "major not announced",
    "announced not major",
    "failed",
)


def _cells(row: PolicyRow) -> list[str]:
    return [
        row.policy,
        row.language,
        str(row.revisions),
        str(row.major),
        str(row.declared),
        str(row.announced),
        f"{row.major_announced} ({row.announced_share})",
        str(row.major_not_announced),
        str(row.announced_not_major),
        str(row.failed),
    ]


def _table(header: Sequence[str], body: Sequence[Sequence[str]], numeric_from: int) -> list[str]:
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        out = [
            c.rjust(w) if i >= numeric_from else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in body)]


def render_text(report: CorpusReport) -> str:
    """The per-policy table, the headline share, and the criteria per year."""
    total = report.total
    lines = [f"Revisions in {report.source}: major (analyzer) against announced (declared)", ""]
    body = [_cells(r) for r in report.rows]
    lines += _table(HEADERS, [*body, _cells(total)], 2)
    lines += [
        "",
        f"Officially announced: {total.major_announced} of {total.major} major revisions "
        f"({total.announced_share}); {total.announced} of {total.revisions} revisions overall "
        f"({_percent(total.announced, total.revisions)}).",
        f"Major but not announced: {total.major_not_announced}. Announced but not major: "
        f"{total.announced_not_major}. Declaration unknown: {total.unknown}.",
        "",
        "Major = the analyzer decides popup or consent. Announced = the declared notice is popup "
        "or consent (front matter notice:, or the corpus's versions.json: a notice period, a "
        "banner, an announcement, an explicit 'material').",
    ]
    criteria, years = report.criteria, report.years
    if criteria:
        lines += ["", "Revisions meeting each criterion, by year", ""]
        rows = [
            [str(year), *(str(report.criteria_by_year.get((c, year), 0)) for c in criteria)]
            for year in years
        ]
        lines += _table(["year", *criteria], rows, 1)
    if report.provenance:
        lines += ["", *(f"computed with {p}" for p in report.provenance)]
    return "\n".join(lines) + "\n"


# -- HTML ---------------------------------------------------------------------------------------

_COLOURS = ("#1b6ca8", "#e07b39", "#3a9e5b", "#c0392b", "#8e6bbf", "#8c6d31", "#d45da0", "#5f6b73")
_LEVEL_COLOURS = {
    "none": "#c9d1d9",
    "publish": "#7fa7c9",
    "popup": "#e07b39",
    "consent": "#c0392b",
    "failed": "#5f6b73",
}
_SPLIT = (
    ("major, announced", "#3a9e5b"),
    ("major, not announced", "#c0392b"),
    ("not major, announced", "#8fc9a3"),
    ("not major, not announced", "#c9d1d9"),
)
_CSS = """
body{margin:0;padding:24px 32px;font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;
color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;background:#fff;padding:24px 32px;border-radius:8px;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.15rem;margin:1.8rem 0 .6rem}
.headline{font-size:1.1rem;background:#fff8e6;border-left:4px solid #e07b39;padding:.6rem .9rem}
table{border-collapse:collapse;font-size:.9rem;margin:.4rem 0}
th,td{padding:.3rem .6rem;border-bottom:1px solid #e5e8eb;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}
tr.total td{font-weight:600;border-top:2px solid #9aa4ad}
.bad{color:#c0392b;font-weight:600}.note{color:#57606a;font-size:.85rem}
svg text{font:12px system-ui,sans-serif;fill:#1f2328}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _legend(items: Sequence[tuple[str, str]], x: int, y: int) -> list[str]:
    out = []
    for i, (label, colour) in enumerate(items):
        top = y + 18 * i
        out.append(f'<rect x="{x}" y="{top}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 18}" y="{top + 10}">{_e(label)}</text>')
    return out


def _policy_plot(report: CorpusReport) -> str:
    """One stacked bar per policy: its revisions split by major/announced."""
    rows = report.rows
    label_w, bar_w, row_h = 330, 500, 24
    widest = max((r.revisions for r in rows), default=0) or 1
    height = max(len(rows) * row_h + 30, len(_SPLIT) * 18 + 20)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 230}" '
        f'height="{height}" role="img" aria-label="revisions per policy">'
    ]
    for i, row in enumerate(rows):
        y = 10 + i * row_h
        short = row.policy.rsplit("/", 1)[-1][:40]  # the document, without its source
        name = f"{short} ({row.language})" if row.language else short
        parts.append(f'<text x="0" y="{y + 14}">{_e(name)}</text>')
        values = (
            row.major_announced,
            row.major_not_announced,
            row.announced_not_major,
            row.revisions - row.major_announced - row.major_not_announced - row.announced_not_major,
        )
        x = float(label_w)
        for value, (label, colour) in zip(values, _SPLIT, strict=True):
            if value <= 0:
                continue
            width = bar_w * value / widest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row_h - 6}" '
                f'fill="{colour}"><title>{_e(label)}: {value}</title></rect>'
            )
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{row.revisions}</text>')
    parts += _legend(_SPLIT, label_w + bar_w + 50, 10)
    parts.append("</svg>")
    return "".join(parts)


def _stacked_years(
    counts: Mapping[tuple[str, int], int],
    series: Sequence[str],
    colours: Mapping[str, str],
    years: Sequence[int],
    label: str,
) -> str:
    """Stacked vertical bars: one per year, one segment per series."""
    plot_h, bar_w, gap, left, pad = 220, 34, 10, 40, 24
    totals = {y: sum(counts.get((s, y), 0) for s in series) for y in years}
    top = max(totals.values(), default=0) or 1
    width = left + len(years) * (bar_w + gap) + 200
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{plot_h + 50 + pad}" '
        f'role="img" aria-label="{_e(label)}">',
        f'<line x1="{left - 4}" y1="{plot_h + 10 + pad}" x2="{width - 200}" '
        f'y2="{plot_h + 10 + pad}" stroke="#9aa4ad"/>',
        f'<text x="0" y="{20 + pad}">{top}</text>',
    ]
    for i, year in enumerate(years):
        x = left + i * (bar_w + gap)
        y = float(plot_h + 10 + pad)
        for name in series:
            value = counts.get((name, year), 0)
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" '
                f'fill="{colours[name]}"><title>{year} {_e(name)}: {value}</title></rect>'
            )
        parts.append(f'<text x="{x + 2}" y="{plot_h + 26 + pad}">{year}</text>')
        parts.append(f'<text x="{x + 4}" y="{y - 4:.1f}">{totals[year] or ""}</text>')
    parts += _legend([(s, colours[s]) for s in series], width - 180, 10)
    parts.append("</svg>")
    return "".join(parts)


def _html_table(report: CorpusReport) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in HEADERS)
    body = []
    for row in (*report.rows, report.total):
        cells = _cells(row)
        tds = []
        for i, cell in enumerate(cells):
            bad = i == 7 and row.major_not_announced
            tds.append(f'<td class="bad">{_e(cell)}</td>' if bad else f"<td>{_e(cell)}</td>")
        css = ' class="total"' if row is report.total else ""
        body.append(f"<tr{css}>{''.join(tds)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: CorpusReport) -> str:
    """The page: headline, per-policy table and plot, criteria and decisions per year."""
    total = report.total
    years = report.years
    criteria = report.criteria
    criteria_colours = {c: _COLOURS[i % len(_COLOURS)] for i, c in enumerate(criteria)}
    levels = [lv for lv in (*LEVELS, "failed") if any(k[0] == lv for k in report.levels_by_year)]
    sections = [
        "<h1>Which changes were announced?</h1>",
        f'<p class="note">Results: {_e(Path(report.source).name or report.source)}; '
        f"{total.revisions} revisions of {len(report.rows)} policies, {total.first} to "
        f"{total.last}.</p>",
        f'<p class="headline">Officially announced: <strong>{total.major_announced} of '
        f"{total.major}</strong> major revisions ({_e(total.announced_share)}); "
        f"<strong>{total.major_not_announced}</strong> major revisions were not announced. "
        f"{total.announced} of {total.revisions} revisions overall were announced.</p>",
        "<h2>Per policy</h2>",
        _html_table(report),
        _policy_plot(report),
        '<p class="note">Major: the analyzer decides <code>popup</code> or '
        "<code>consent</code> (a criterion of the pack is met). Announced: the declared notice "
        "is <code>popup</code> or <code>consent</code>: the version's front matter "
        "<code>notice:</code>, or for the corpus layout its <code>versions.json</code> (a notice "
        "or comment period, an update banner, an announcement, the source calling the change "
        "material). Declared: a notice of any level was declared, <code>publish</code> included "
        "(a change-log entry, a refreshed date).</p>",
    ]
    if criteria:
        sections += [
            "<h2>Criteria met, by year</h2>",
            _stacked_years(
                report.criteria_by_year, criteria, criteria_colours, years, "criteria by year"
            ),
        ]
    sections += [
        "<h2>Decisions, by year</h2>",
        _stacked_years(report.levels_by_year, levels, _LEVEL_COLOURS, years, "decisions by year"),
    ]
    if report.provenance:
        sections.append(
            '<p class="note">'
            + "<br>".join(f"Computed with {_e(p)}." for p in report.provenance)
            + "</p>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Which changes were announced? — policy corpus report</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(sections)
        + "\n</main>\n</body>\n</html>\n"
    )
