"""What the app shows: pure functions over the :class:`~thematic.Project` API.

The Streamlit pages (``app_pages/``) only lay out what these functions return: DataFrames,
frozen dataclasses and HTML strings in which every piece of project text is escaped. Every
decision on data (which documents are interviews, which codings are in view, how overlapping
codings split a turn, how a timestamp reads) is made here, where it is tested without a browser.

Examples
--------
>>> format_time(3725.4)
'1:02:05'
>>> html_ = highlight_html("a <b> c", [Highlight(2, 5, 1, "x", "X", "accepted", "#ffcc00")])
>>> html_.startswith('a <mark class="th-mark th-accepted" data-codings="1" title="X (accepted)"')
True
>>> "&lt;b&gt;</mark>" in html_ and "<b>" not in html_
True
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from thematic.models import Code, Codebook, Rule
    from thematic.project import Project
    from thematic.store import StoredTurn

PAGE_SIZE = 25
STATUSES = ("suggested", "accepted", "rejected")
HIGHLIGHTED = ("suggested", "accepted")
INTERVIEW, SURVEY = "interview", "survey response"
# Colour-blind-safe palette (Okabe-Ito plus two), used for codes without their own colour.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
           "#999999", "#88CCEE", "#DDCC77")
ROLE_BADGES = {"interviewer": "interviewer", "moderator": "interviewer",
               "facilitator": "interviewer", "participant": "participant"}
HEX = frozenset("0123456789abcdefABCDEF")
DOCUMENT_COLUMNS = ["name", "kind", "format", "turns", "words", "participants", "speakers",
                    "imported_at", "id"]
SUGGESTION_COLUMNS = ["coding_id", "code", "label", "confidence", "evidence", "text", "speaker",
                      "time", "version"]

READER_CSS = """<style>
.th-turn {border-left: 3px solid #d0d4dc; padding: 0.3rem 0 0.5rem 0.8rem; margin-bottom: 0.4rem;}
.th-turn.th-role-interviewer {border-left-color: #7aa6d8; background: #f5f8fc;}
.th-turn.th-role-participant {border-left-color: #6fbf8f;}
.th-head {font-size: 0.85rem; color: #555; margin-bottom: 0.2rem;}
.th-speaker {font-weight: 600; color: #222; margin-right: 0.4rem;}
.th-badge {display: inline-block; border-radius: 0.6rem; padding: 0 0.45rem; font-size: 0.72rem;
           margin-right: 0.4rem; border: 1px solid;}
.th-badge-interviewer {color: #1d4f8a; border-color: #7aa6d8; background: #e8f0fa;}
.th-badge-participant {color: #1f6b3e; border-color: #6fbf8f; background: #e7f5ec;}
.th-badge-other {color: #555; border-color: #bbb; background: #f2f2f2;}
.th-time {font-family: monospace; color: #666;}
.th-text {white-space: pre-wrap; line-height: 1.55;}
.th-mark {padding: 0.05rem 0; border-radius: 2px; color: inherit;}
.th-mark.th-suggested {border-bottom: 2px dashed #888;}
.th-mark.th-accepted {border-bottom: 2px solid #333;}
.th-mark.th-overlap {border-bottom-width: 4px; border-bottom-style: double;}
.th-tag {font-size: 0.68rem; color: #444; background: #eee; border-radius: 3px; padding: 0 0.25rem;
         margin: 0 0.15rem; vertical-align: super;}
.th-code {border-left: 3px solid #ccc; padding: 0.2rem 0 0.4rem 0.7rem; margin: 0.3rem 0 0.6rem 0;}
.th-code h4 {margin: 0 0 0.2rem 0; font-size: 1rem;}
.th-code .th-id {font-family: monospace; color: #777; font-size: 0.8rem;}
.th-code dt {font-weight: 600; font-size: 0.85rem; margin-top: 0.3rem;}
.th-code dd {margin: 0 0 0 0.8rem; font-size: 0.9rem;}
.th-swatch {display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px;
            vertical-align: middle; margin-right: 0.3rem;}
</style>"""


def esc(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute (None -> "")."""
    return "" if value is None else html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- small formats
def format_time(seconds: float | None) -> str:
    """Seconds from the start of a recording as ``h:mm:ss`` ("" when unknown).

    >>> format_time(0), format_time(59.9), format_time(None)
    ('0:00:00', '0:00:59', '')
    """
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def time_range(start: float | None, end: float | None) -> str:
    """``0:00:02–0:00:04``, one end if only one is known, "" if neither."""
    a, b = format_time(start), format_time(end)
    return f"{a}–{b}" if a and b and a != b else (a or b)


def role_badge(role: str | None) -> str:
    """The badge a turn's role gets: "interviewer", "participant", or the role as stated."""
    return ROLE_BADGES.get((role or "").lower(), role or "unknown role")


def page_count(n_items: int, per_page: int = PAGE_SIZE) -> int:
    """Pages needed for ``n_items`` (at least 1)."""
    return max(1, math.ceil(n_items / per_page))


def code_colors(codebook: Codebook) -> dict[str, str]:
    """``#rrggbb`` per code id: its own colour, else a palette colour by codebook order."""
    out: dict[str, str] = {}
    for i, code in enumerate(codebook.codes):
        color = (code.color or "").strip()
        valid = len(color) == 7 and color.startswith("#") and set(color[1:]) <= HEX
        out[code.id] = color if valid else PALETTE[i % len(PALETTE)]
    return out


def mark_color(color: str) -> str:
    """A code colour as a highlight (``#rrggbbaa``): dark colours translucent, pale ones opaque,
    so that dark text stays readable and pale shades stay visible.

    >>> mark_color("#1f77b4"), mark_color("#efe1de")
    ('#1f77b466', '#efe1deff')
    """
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    alpha = "ff" if luminance > 0.8 else "b3" if luminance > 0.6 else "66"
    return f"{color}{alpha}"


def evidence_summary(evidence: dict[str, Any] | None) -> str:
    """One line saying why an engine suggested a coding (rule matches, similarity, ...)."""
    if not evidence:
        return ""
    flat_rule = "matched" in evidence or "rules" in evidence
    rule = evidence.get("rule") or (evidence if flat_rule else None)
    semantic = evidence.get("semantic") or (evidence if "score" in evidence else None)
    parts: list[str] = []
    if rule:
        matched = [m.get("text", "") for m in rule.get("matched") or [] if isinstance(m, dict)]
        if matched:
            parts.append("matched " + ", ".join(f"“{t}”" for t in dict.fromkeys(matched)))
        elif rule.get("rules"):
            parts.append("rules " + ", ".join(map(str, rule["rules"])))
        if rule.get("excluded_by"):
            parts.append("excluded by " + ", ".join(map(str, rule["excluded_by"])))
    if semantic:
        text = f"similarity {semantic.get('score')}"
        if semantic.get("threshold") is not None:
            text += f" (threshold {semantic['threshold']})"
        parts.append(text)
        if semantic.get("closest_example"):
            parts.append(f"closest example “{semantic['closest_example']}”")
    if not parts:
        parts = [f"{k}: {v}" for k, v in evidence.items() if isinstance(v, (str, int, float, bool))]
    return "; ".join(parts)


# --------------------------------------------------------------------------- overview
@dataclass(frozen=True)
class Overview:
    """The counts the Overview page and the sidebar show."""

    name: str
    documents: int
    interviews: int
    survey_responses: int
    participants: int
    turns: int
    sentences: int
    words: int
    unit: str
    codes: int
    codebook: str | None
    suggested: int
    accepted: int
    rejected: int

    @property
    def codebook_label(self) -> str:
        return self.codebook or "no codebook loaded"


def document_kind(metadata: dict[str, Any] | None) -> str:
    """"survey response" for a document made from a survey table's row, else "interview"."""
    return SURVEY if (metadata or {}).get("layout") else INTERVIEW


def documents_table(project: Project) -> pd.DataFrame:
    """One row per document (columns :data:`DOCUMENT_COLUMNS`): kind tells interviews from
    survey responses."""
    docs = project.documents()
    kinds = [document_kind(project.document(int(i)).metadata) for i in docs["id"]]
    table = docs.assign(kind=kinds)
    return table[DOCUMENT_COLUMNS].reset_index(drop=True)


def overview(project: Project, documents: pd.DataFrame | None = None) -> Overview:
    """Counts of the project (``documents``: a :func:`documents_table` already read)."""
    status = project.status()
    docs = documents_table(project) if documents is None else documents
    codings = status.get("codings", {})
    return Overview(
        name=project.name, documents=status["documents"],
        interviews=int((docs["kind"] == INTERVIEW).sum()),
        survey_responses=int((docs["kind"] == SURVEY).sum()),
        participants=status["participants"], turns=status["turns"], sentences=status["sentences"],
        words=status["words"], unit=status["unit"], codes=status["codes"],
        codebook=status["codebook"],
        suggested=codings.get("suggested", 0), accepted=codings.get("accepted", 0),
        rejected=codings.get("rejected", 0),
    )


def filter_documents(table: pd.DataFrame, kinds: Sequence[str] | None) -> pd.DataFrame:
    """Rows of ``table`` whose kind is in ``kinds`` (all rows when ``kinds`` is empty/None)."""
    if not kinds:
        return table
    return table[table["kind"].isin(list(kinds))].reset_index(drop=True)


# --------------------------------------------------------------------------- participants
@dataclass(frozen=True)
class AttributeFilter:
    """How to filter on one attribute: ``kind`` "options" (pick values) or "range"."""

    attribute: str
    kind: str
    options: tuple[Any, ...] = ()
    low: Any = None
    high: Any = None


def participants_table(project: Project) -> pd.DataFrame:
    """Participants with their typed attributes (one column per name) and their documents."""
    frame = project.participants()
    frame = frame.loc[:, ~frame.columns.duplicated()].copy()
    docs = project.documents()
    per_part: dict[str, list[str]] = {}
    for name, parts in zip(docs["name"], docs["participants"], strict=True):
        for key in filter(None, (p.strip() for p in str(parts or "").split(","))):
            per_part.setdefault(key, []).append(name)
    frame["documents"] = [", ".join(per_part.get(k, [])) for k in frame["participant"]]
    return frame.reset_index(drop=True)


def attribute_filter(frame: pd.DataFrame, types: dict[str, str], attribute: str) -> AttributeFilter:
    """The filter an attribute gets: a value range for numbers and dates, else a set of values."""
    column = frame[attribute]
    if types.get(attribute) in ("number", "date") and column.nunique() > 1:
        low, high = column.min(), column.max()
        if types[attribute] == "date":
            low, high = low.date(), high.date()
        else:
            low, high = float(low), float(high)
        return AttributeFilter(attribute, "range", low=low, high=high)
    values = sorted({str(v) for v in column.dropna()})
    return AttributeFilter(attribute, "options", options=tuple(values))


def columns_of_type(types: dict[str, str], kind: str) -> list[str]:
    """Attribute names of one type ("date", "number", "category", "text")."""
    return [name for name, t in types.items() if t == kind]


def filter_participants(frame: pd.DataFrame, spec: AttributeFilter | None,
                        selection: Any) -> pd.DataFrame:
    """Rows matching ``selection``: values (options) or a ``(low, high)`` pair (range).

    An empty selection, or a range spanning every value, keeps every row (missing values too).
    """
    if spec is None or selection is None or (spec.kind == "options" and not selection):
        return frame
    if spec.kind == "range" and tuple(selection) == (spec.low, spec.high):
        return frame
    column = frame[spec.attribute]
    if spec.kind == "options":
        keep = column.astype("string").isin([str(v) for v in selection])
    else:
        low, high = selection
        if isinstance(low, (pd.Timestamp,)) or hasattr(low, "isoformat"):
            # whole days: the last day counts up to its last instant
            low = pd.Timestamp(low)
            high = pd.Timestamp(high) + pd.Timedelta(days=1) - pd.Timedelta(1)
        keep = column.between(low, high)
    return frame[keep.fillna(False).astype(bool)].reset_index(drop=True)


# --------------------------------------------------------------------------- reader
@dataclass(frozen=True)
class Highlight:
    """A coding as the reader highlights it; ``start``/``end`` index the document text."""

    start: int
    end: int
    coding_id: int
    code: str
    label: str
    status: str
    color: str


@dataclass(frozen=True)
class TurnView:
    """One speaker turn, ready to show: ``html`` is the whole escaped block with highlights."""

    idx: int
    speaker: str
    role: str
    badge: str
    time: str
    text: str
    html: str


@dataclass(frozen=True)
class ReaderPage:
    """One page of a transcript and the suggestions that fall inside it."""

    document: str
    page: int
    pages: int
    first_turn: int
    last_turn: int
    total_turns: int
    turns: tuple[TurnView, ...]
    suggestions: pd.DataFrame  # columns SUGGESTION_COLUMNS

    @property
    def caption(self) -> str:
        if not self.total_turns:
            return "This document has no turns."
        return (f"Turns {self.first_turn}–{self.last_turn} of {self.total_turns}"
                f" · page {self.page} of {self.pages}")


def highlight_html(text: str, highlights: Iterable[Highlight], *, offset: int = 0) -> str:
    """Escaped HTML of ``text`` with a ``<mark>`` on every stretch some coding covers.

    The text is cut at every coding boundary; each piece is escaped on its own and wrapped in
    one ``<mark>`` naming every coding that covers it (overlaps get striped colours), so marks
    never nest and never cut an escape sequence. A small tag with the code name follows the
    end of each coding. ``offset`` is where ``text`` starts in the document (spans are clipped).
    """
    n = len(text)
    spans = [(max(0, h.start - offset), min(n, h.end - offset), h) for h in highlights]
    spans = [(a, b, h) for a, b, h in spans if a < b]
    cuts = sorted({0, n, *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = esc(text[a:b])
        covering = sorted((h for s, e, h in spans if s <= a and e >= b), key=_order)
        if covering:
            out.append(_mark(piece, covering))
        else:
            out.append(piece)
        ending = sorted((h for s, e, h in spans if e == b), key=_order)
        out.extend(f'<span class="th-tag" style="border-left: 3px solid {h.color}">'
                   f'{esc(h.label)}</span>' for h in ending)
    return "".join(out)


def _order(h: Highlight) -> tuple[int, int]:
    return (h.start, h.coding_id)


def _mark(piece: str, covering: Sequence[Highlight]) -> str:
    colors = [mark_color(h.color) for h in covering]
    if len(colors) == 1:
        background = colors[0]
    else:
        step = 100 / len(colors)
        stops = ", ".join(f"{c} {i * step:.0f}% {(i + 1) * step:.0f}%"
                          for i, c in enumerate(colors))
        background = f"linear-gradient(180deg, {stops})"
    status = "accepted" if all(h.status == "accepted" for h in covering) else "suggested"
    title = " · ".join(f"{h.label} ({h.status})" for h in covering)
    ids = " ".join(str(h.coding_id) for h in covering)
    overlap = " th-overlap" if len(covering) > 1 else ""
    return (f'<mark class="th-mark th-{status}{overlap}" data-codings="{ids}" title="{esc(title)}" '
            f'style="background: {background}">{piece}</mark>')


def turn_html(turn: StoredTurn, text: str, highlights: Iterable[Highlight]) -> str:
    """The block of one turn: speaker, role badge, timestamps, highlighted escaped text."""
    badge = role_badge(turn.role)
    badge_class = badge if badge in ("interviewer", "participant") else "other"
    when = time_range(turn.time_start, turn.time_end)
    when_html = f'<span class="th-time">{esc(when)}</span>' if when else ""
    body = highlight_html(text, highlights, offset=turn.start)
    return (f'<div class="th-turn th-role-{badge_class}" id="turn-{turn.idx}">'
            f'<div class="th-head">'
            f'<span class="th-speaker">{esc(turn.speaker or "(no speaker)")}</span>'
            f'<span class="th-badge th-badge-{badge_class}">{esc(badge)}</span>{when_html}</div>'
            f'<div class="th-text">{body}</div></div>')


def reader_page(project: Project, document: int | str, page: int = 1, *,
                per_page: int = PAGE_SIZE) -> ReaderPage:
    """Turns ``per_page`` at a time (``page`` is clamped into range) with codings highlighted."""
    doc = project.document(document)
    turns = project.turns(doc.id)
    pages = page_count(len(turns), per_page)
    page = min(max(1, int(page)), pages)
    shown = turns[(page - 1) * per_page: page * per_page]
    codebook = project.codebook()
    names = {c.id: c.name for c in codebook.codes}
    colors = code_colors(codebook)
    codings = project.codings(document=doc.id)
    lo = shown[0].start if shown else 0
    hi = shown[-1].end if shown else 0
    in_view = codings[(codings["start"] < hi) & (codings["end"] > lo)]
    marks = [
        Highlight(int(r.start), int(r.end), int(r.coding_id), r.code, names.get(r.code, r.code),
                  r.status, colors.get(r.code, PALETTE[-1]))
        for r in in_view.itertuples() if r.status in HIGHLIGHTED
    ]
    views = []
    for t in shown:
        text = doc.text[t.start:t.end]
        mine = [h for h in marks if h.start < t.end and h.end > t.start]
        views.append(TurnView(t.idx, t.speaker or "", t.role or "", role_badge(t.role),
                              time_range(t.time_start, t.time_end), text, turn_html(t, text, mine)))
    return ReaderPage(
        document=doc.name, page=page, pages=pages,
        first_turn=(page - 1) * per_page + 1 if shown else 0,
        last_turn=(page - 1) * per_page + len(shown), total_turns=len(turns),
        turns=tuple(views), suggestions=_suggestions(in_view, names),
    )


def _suggestions(codings: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    cols = SUGGESTION_COLUMNS
    if codings.empty:
        return pd.DataFrame(columns=cols)
    rows = codings[codings["status"] == "suggested"].sort_values(["start", "coding_id"])
    return pd.DataFrame({
        "coding_id": rows["coding_id"].astype(int),
        "code": rows["code"],
        "label": [names.get(c, c) for c in rows["code"]],
        "confidence": rows["confidence"],
        "evidence": [evidence_summary(e) for e in rows["evidence"]],
        "text": rows["text"],
        "speaker": rows["speaker"],
        "time": [format_time(t) for t in rows["time_start"]],
        "version": rows["version"].astype(int),
    }, columns=cols).reset_index(drop=True)


def coder_problem(coder: str | None) -> str | None:
    """Why a decision cannot be recorded yet (no coder name), or None."""
    if coder and coder.strip():
        return None
    return "Enter your name as coder in the sidebar first: every decision records who made it."


# --------------------------------------------------------------------------- codebook
@dataclass(frozen=True)
class CodeNode:
    """A code in tree order, with its depth, its path and its codings counted by status."""

    code: Code
    depth: int
    path: str
    counts: dict[str, int]
    color: str

    @property
    def counts_label(self) -> str:
        return " · ".join(f"{self.counts[s]} {s}" for s in STATUSES)


def coding_counts(codings: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Codings per code (index: code id, every code of the codebook) and status (columns)."""
    ids = [c.id for c in codebook.codes]
    if codings.empty:
        return pd.DataFrame(0, index=pd.Index(ids, name="code"), columns=list(STATUSES))
    table = pd.crosstab(codings["code"], codings["status"])
    return table.reindex(index=ids, columns=list(STATUSES), fill_value=0).fillna(0).astype(int)


def codebook_tree(codebook: Codebook, codings: pd.DataFrame) -> list[CodeNode]:
    """Every code in depth-first order (children after their parent, codebook order kept)."""
    counts = coding_counts(codings, codebook)
    colors = code_colors(codebook)
    known = {c.id for c in codebook.codes}
    out: list[CodeNode] = []
    seen: set[str] = set()

    def walk(code: Code, depth: int) -> None:
        if code.id in seen:
            return
        seen.add(code.id)
        row = counts.loc[code.id]
        out.append(CodeNode(code, depth, " / ".join(codebook.path(code.id)),
                            {s: int(row[s]) for s in STATUSES}, colors[code.id]))
        for child in codebook.children(code.id):
            walk(child, depth + 1)

    for code in codebook.codes:
        if code.parent_id is None or code.parent_id not in known:
            walk(code, 0)
    for code in codebook.codes:  # codes caught in a parent cycle
        walk(code, 0)
    return out


def codebook_table(nodes: Sequence[CodeNode]) -> pd.DataFrame:
    """The tree as a table: indented name, id, counts per status, definition."""
    return pd.DataFrame({
        "code": ["\u2003" * n.depth + n.code.name for n in nodes],
        "id": [n.code.id for n in nodes],
        **{s: [n.counts[s] for n in nodes] for s in STATUSES},
        "definition": [n.code.definition for n in nodes],
    })


def rule_text(rule: Rule) -> str:
    """A rule in one line: ``keywords: a, b`` / ``regex: ...`` / ``pattern: ...``."""
    value = rule.value
    is_list = rule.kind == "keywords" and isinstance(value, (list, tuple))
    shown = ", ".join(map(str, value)) if is_list else str(value)
    extra = []
    if rule.exclude:
        extra.append("excludes")
    if rule.roles:
        extra.append("roles " + ", ".join(rule.roles))
    if rule.weight != 1.0:
        extra.append(f"weight {rule.weight}")
    suffix = f" ({'; '.join(extra)})" if extra else ""
    return f"{rule.kind}: {shown}{suffix}"


def code_html(node: CodeNode) -> str:
    """One code's card: name, id, counts, definition, inclusion, exclusion, examples, rules."""
    c = node.code
    fields = [("Definition", esc(c.definition)), ("Use when", esc(c.inclusion)),
              ("Do not use when", esc(c.exclusion))]
    if c.examples:
        items = "".join(f"<li>{esc(e.text)} <em>({esc(e.kind.replace('_', ' '))})</em></li>"
                        for e in c.examples)
        fields.append(("Examples", f"<ul>{items}</ul>"))
    if c.rules:
        items = "".join(f"<li><code>{esc(r.id)}</code> {esc(rule_text(r))}</li>" for r in c.rules)
        fields.append(("Rules", f"<ul>{items}</ul>"))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in fields if v)
    style = f"margin-left: {node.depth * 1.5}rem; border-left-color: {node.color}"
    return (f'<div class="th-code" style="{style}">'
            f'<h4><span class="th-swatch" style="background: {node.color}"></span>{esc(c.name)} '
            f'<span class="th-id">{esc(c.id)}</span></h4>'
            f'<div class="th-head">{esc(node.counts_label)}</div><dl>{body}</dl></div>')


def code_group_label(node: CodeNode, nodes: Sequence[CodeNode]) -> str:
    """The label of a top-level code's expander: name, subcode count, codings counted below it."""
    members = subtree(node, nodes)
    totals = {s: sum(n.counts[s] for n in members) for s in STATUSES}
    subs = len(members) - 1
    sub_text = f"{subs} subcode{'s' if subs != 1 else ''} · " if subs else ""
    return (f"{node.code.name} — {sub_text}{totals['suggested']} suggested"
            f" · {totals['accepted']} accepted")


def subtree(node: CodeNode, nodes: Sequence[CodeNode]) -> list[CodeNode]:
    """``node`` and the nodes after it that are deeper (its descendants, in tree order)."""
    start = nodes.index(node)
    out = [node]
    for other in nodes[start + 1:]:
        if other.depth <= node.depth:
            break
        out.append(other)
    return out


# --------------------------------------------------------------------------- app shell
def status_lines(status: dict[str, Any]) -> list[str]:
    """The project's counts (``Project.status()``) as three short lines for the sidebar."""
    codings = status.get("codings", {})
    return [
        f"{status['documents']:,} documents · {status['participants']:,} participants",
        f"{status['turns']:,} turns · {status['words']:,} words · unit: {status['unit']}",
        f"{status['codes']:,} codes ({status['codebook'] or 'no codebook'})",
        " · ".join(f"{codings.get(s, 0):,} {s}" for s in STATUSES),
    ]


def missing_project_help(path: str) -> str:
    """The commands that create a project at ``path`` (shown when it cannot be opened)."""
    return (f"make sample            # builds sample.thematic from transcripts_sample/\n"
            f"# or, for your own study:\n"
            f"thematic init {path}\n"
            f"thematic ingest TRANSCRIPTS_FOLDER --participants participants.csv -p {path}\n"
            f"thematic codebook import codebooks/peer_listening.yaml -p {path}\n"
            f"THEMATIC_PROJECT={path} streamlit run app.py")


def suggestion_html(row: Any) -> str:
    """A suggestion card's text (a row of :attr:`ReaderPage.suggestions`), escaped."""
    confidence = "" if pd.isna(row.confidence) else f"{float(row.confidence):.2f}"
    where = " · ".join(x for x in (esc(row.speaker), esc(row.time)) if x)
    evidence = f'<div class="th-head">{esc(row.evidence)}</div>' if row.evidence else ""
    return (f'<div><span class="th-speaker">{esc(row.label)}</span>'
            f'<span class="th-time">{confidence}</span></div>'
            f'<div class="th-head">{where}</div>'
            f'<div class="th-text">“{esc(row.text)}”</div>{evidence}')
