"""The theme table for papers: themes, subthemes, description, participants n (%), quotes.

:func:`build_theme_table` is pure: it takes the shared frames (themes, theme_codes, codings,
participants) and returns a :class:`ThemeTable`, which the writers in
:mod:`thematic.export.theme_table_io` render as docx, xlsx, csv, markdown and LaTeX, and whose
:attr:`ThemeTable.long` is the machine-readable form (one row per quote).

Accepted frames
---------------
themes
    ``theme_id, name, parent`` (parent theme's name or None), ``definition, position``.
theme_codes
    ``theme`` (a theme's name or id), ``code`` (code id). A code may serve several themes.
codings
    ``project.review.codings()`` (only ``status == "accepted"`` rows count by default).
participants
    ``project.participants.frame()``: ``participant``, ``name``, one column per attribute.
exemplars
    optional ``theme`` (name or id), ``coding_id``, in the order chosen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from thematic.errors import ParameterError
from thematic.pseudonymise import Pseudonymiser

__all__ = ["LONG_COLUMNS", "ROW_COLUMNS", "Quote", "ThemeTable", "build_theme_table"]

#: Columns of :attr:`ThemeTable.rows`.
ROW_COLUMNS = ["theme_id", "level", "theme", "subtheme", "description", "participants_n",
               "participants_pct", "codings_n", "codes", "quotes"]
#: Columns of :attr:`ThemeTable.long` (then ``attr:NAME`` per chosen attribute).
LONG_COLUMNS = ["theme_id", "theme", "subtheme", "rank", "chosen", "coding_id", "code",
                "document_id", "document", "participant", "start", "end", "time_start",
                "time_end", "quote", "pseudonymised", "replacements", "source", "status",
                "coder", "decided_by", "decided_at", "run_id", "confidence"]
REPLACEMENT_COLUMNS = ["coding_id", "original", "replacement", "start", "end", "new_start",
                       "new_end", "source"]
NO_CODINGS = "No accepted codings yet for this theme's codes."


@dataclass(frozen=True)
class Quote:
    """One illustrative quote as printed: text, then the participant id and attributes."""

    text: str
    participant: str
    attributes: tuple[str, ...] = ()

    @property
    def attribution(self) -> str:
        return ", ".join([self.participant or "unattributed", *[a for a in self.attributes if a]])

    def render(self, open_q: str = "\u201c", close_q: str = "\u201d") -> str:
        return f"{open_q}{self.text}{close_q} ({self.attribution})"


@dataclass
class ThemeTable:
    """The built table: ``rows`` (see :data:`ROW_COLUMNS`), ``long`` (:data:`LONG_COLUMNS`),
    the participant total ``n_total`` and the footnotes."""

    rows: pd.DataFrame
    long: pd.DataFrame
    n_total: int
    footnotes: list[str] = field(default_factory=list)
    pseudonymised: bool = True
    title: str = "Themes, subthemes and illustrative quotes"
    #: Every replacement made in the quotes, with the originals (for the project's record only:
    #: the exported long form leaves the originals out). Columns: coding_id, original,
    #: replacement, start, end, new_start, new_end, source (offsets into the quote).
    replacements: pd.DataFrame = field(default_factory=pd.DataFrame)

    def display_rows(self) -> list[dict[str, Any]]:
        """Rows as printed: theme shown once, ``n (%)`` and the quotes' lines."""
        out = []
        last = None
        for row in self.rows.to_dict("records"):
            theme = row["theme"] if row["theme"] != last else ""
            last = row["theme"]
            quotes = [q.render() for q in row["quotes"]] or ([NO_CODINGS] if row["codings_n"] == 0 else [])
            out.append({"theme": theme, "subtheme": row["subtheme"], "description": row["description"],
                        "n": f"{row['participants_n']} ({row['participants_pct']:.0f}%)",
                        "quotes": quotes, "level": row["level"]})
        return out


def _theme_key(themes: pd.DataFrame) -> Callable[[Any], str | None]:
    by_id = {str(k): n for k, n in zip(themes["theme_id"], themes["name"])}
    names = set(themes["name"])

    def key(value: Any) -> str | None:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return value if value in names else by_id.get(str(value))
    return key


def _tree(themes: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """Top-level themes in order, each with its descendants (depth-first, in order)."""
    order = themes.sort_values(["position", "name"], kind="stable")
    children: dict[str | None, list[str]] = {}
    for name, parent in zip(order["name"], order["parent"]):
        parent = parent if isinstance(parent, str) and parent else None
        children.setdefault(parent, []).append(name)

    def below(name: str, seen: set[str]) -> list[str]:
        out = []
        for child in children.get(name, []):
            if child not in seen:
                seen.add(child)
                out += [child, *below(child, seen)]
        return out
    return [(top, below(top, {top})) for top in children.get(None, [])]


def _pick(cands: pd.DataFrame, k: int, chosen: list[int]) -> list[tuple[dict[str, Any], str]]:
    """Exemplars first, then distinct participants, extracts of 8-60 words near 25 words."""
    picks: list[tuple[dict[str, Any], str]] = []
    spans: set[tuple[Any, Any, Any]] = set()
    if chosen:
        by_id = cands.drop_duplicates("coding_id").set_index("coding_id", drop=False)
        for cid in chosen:
            if cid in by_id.index and len(picks) < k:
                row = by_id.loc[cid].to_dict()
                picks.append((row, "exemplar"))
                spans.add((row["document_id"], row["start"], row["end"]))
    if len(picks) >= k or cands.empty:
        return picks
    words = cands["_words"].to_numpy() if "_words" in cands else _word_counts(cands["text"])
    score = np.abs(words - 25) + 1000 * ((words < 8) | (words > 60))
    order = np.lexsort((cands["coding_id"].to_numpy(), cands["start"].to_numpy(),
                        cands["document"].astype(str).to_numpy(), score))
    keys = cands[["document_id", "start", "end", "participant"]].to_numpy()[order]
    people = {p["participant"] for p, _ in picks}
    for strict in (True, False):
        for pos, (doc, start, end, pid) in zip(order, keys):
            if len(picks) >= k:
                return picks
            if (doc, start, end) in spans or (strict and pid in people):
                continue
            picks.append((cands.iloc[pos].to_dict(), "auto"))
            spans.add((doc, start, end))
            people.add(pid)
    return picks


def _word_counts(texts: pd.Series) -> np.ndarray:
    """Words per text (whitespace-separated), fast: C-level ``str.split`` per text."""
    return np.fromiter((len(t.split()) if isinstance(t, str) else 0 for t in texts), dtype=np.int64,
                       count=len(texts))


_OPEN_TAIL = re.compile(r"\s*[\[(][^\])]*$")
_CLOSE_HEAD = re.compile(r"^[^\[(]*[\])]\s*")


def _clean(text: str) -> str:
    """One line; a bracket the segment cut in half (``... after all. [``) is dropped."""
    text = " ".join(str(text).split())
    text = _OPEN_TAIL.sub("", text)
    return _CLOSE_HEAD.sub("", text).strip()


def _clip(text: str, max_words: int) -> str:
    words = _clean(text).split(" ")
    return " ".join(words) if len(words) <= max_words else " ".join(words[:max_words]) + " [\u2026]"


def build_theme_table(themes: pd.DataFrame, theme_codes: pd.DataFrame, codings: pd.DataFrame,
                      participants: pd.DataFrame, *, exemplars: pd.DataFrame | None = None,
                      quotes: int = 2, attributes: Sequence[str] = (),
                      pseudonymiser: Pseudonymiser | None = None, pseudonymise: bool = True,
                      statuses: Sequence[str] = ("accepted",), n_total: int | None = None,
                      max_words: int = 60) -> ThemeTable:
    """Build the theme table from the shared frames (see the module docstring).

    Parameters
    ----------
    quotes
        Illustrative quotes per row, 0 to 3.
    attributes
        Participant attributes printed after each quote's id (``("role", "age_band")``).
    pseudonymiser
        Replaces names in quotes; by default one built from ``participants`` and the codings'
        speakers (no NER).
    pseudonymise
        False prints quotes verbatim (the table's footnote says so).
    statuses
        Coding statuses that count (default: accepted only).
    n_total
        The sample size N (default: the participants in ``participants``).
    max_words
        Longer quotes are cut at this many words and end with ``[…]``.

    Returns
    -------
    ThemeTable

    Raises
    ------
    ParameterError
        For ``quotes`` outside 0-3, an attribute that does not exist, or missing columns.
    """
    _check_inputs(themes, theme_codes, participants, quotes=quotes, attributes=attributes)
    key = _theme_key(themes)
    n = int(n_total if n_total is not None else participants["participant"].nunique())
    coded = codings[codings["status"].isin(list(statuses))] if "status" in codings else codings
    coded = coded.assign(_words=_word_counts(coded["text"]))
    link = theme_codes.assign(theme=theme_codes["theme"].map(key)).dropna(subset=["theme"])
    per_theme = link.merge(coded, on="code", how="inner")
    groups = {name: g for name, g in per_theme.groupby("theme", sort=False)}
    codes_of = link.groupby("theme")["code"].apply(list).to_dict()
    chosen = _chosen_exemplars(exemplars, key)
    if pseudonymise and pseudonymiser is None:
        pseudonymiser = Pseudonymiser.for_project(participants, speakers=codings, ner=None)
    printer = _QuotePrinter(max_words, pseudonymiser if pseudonymise else None, attributes,
                            participants.set_index("participant")[list(attributes)] if attributes else None)
    ids = dict(zip(themes["name"], themes["theme_id"]))
    defs = dict(zip(themes["name"], themes["definition"].fillna("")))
    empty = pd.DataFrame(columns=per_theme.columns)

    rows: list[dict[str, Any]] = []
    for top, descendants in _tree(themes):
        for level, name in [("theme", top), *[("subtheme", d) for d in descendants]]:
            if level == "theme":
                members = [top, *descendants]
            else:
                members = [name, *[d for d in descendants if _is_below(themes, d, name)]]
            found = [groups[m] for m in members if m in groups]
            own = pd.concat(found, ignore_index=True) if found else empty
            pool = groups.get(name, empty) if (level == "theme" and descendants) else own
            people = own["participant"].dropna().nunique() if not own.empty else 0
            picks = _pick(pool, quotes, chosen.get(name, [])) if quotes else []
            subtheme = name if level == "subtheme" else ""
            rows.append({"theme_id": ids[name], "level": level, "theme": top, "subtheme": subtheme,
                         "description": " ".join(str(defs.get(name, "")).split()),
                         "participants_n": int(people),
                         "participants_pct": round(100.0 * people / n, 1) if n else 0.0,
                         "codings_n": int(own["coding_id"].nunique()) if not own.empty else 0,
                         "codes": codes_of.get(name, []),
                         "quotes": printer.quotes(picks, ids[name], top, subtheme)})
    rows_frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    attr_cols = [f"attr:{a}" for a in attributes]
    long_frame = pd.DataFrame(printer.long, columns=LONG_COLUMNS + attr_cols)
    return ThemeTable(rows_frame, long_frame, n, _footnotes(n, attributes, pseudonymise,
                                                            pseudonymiser, statuses, max_words),
                      pseudonymised=pseudonymise,
                      replacements=pd.DataFrame(printer.replacements, columns=REPLACEMENT_COLUMNS))


def _check_inputs(themes: pd.DataFrame, theme_codes: pd.DataFrame, participants: pd.DataFrame, *,
                  quotes: int, attributes: Sequence[str]) -> None:
    """``quotes`` in 0-3, the attributes exist, the frames have their columns."""
    if not 0 <= quotes <= 3:
        raise ParameterError(f"quotes must be between 0 and 3. Got {quotes} instead.")
    missing_attrs = [a for a in attributes if a not in participants.columns]
    if missing_attrs:
        raise ParameterError(f"no participant attribute named {', '.join(map(repr, missing_attrs))}",
                             hint=f"Attributes: {', '.join(c for c in participants.columns if c not in ('participant', 'name')) or 'none'}.")
    for name, frame, cols in (("themes", themes, ("theme_id", "name", "parent", "definition", "position")),
                              ("theme_codes", theme_codes, ("theme", "code"))):
        absent = [c for c in cols if c not in frame.columns]
        if absent:
            raise ParameterError(f"{name} must have the columns {list(cols)}. Missing {absent}.")


def _chosen_exemplars(exemplars: pd.DataFrame | None,
                      key: Callable[[Any], str | None]) -> dict[str, list[int]]:
    """Theme name -> the coding ids a person chose as its exemplars, in their order."""
    chosen: dict[str, list[int]] = {}
    if exemplars is not None and not exemplars.empty:
        for th, cid in zip(exemplars["theme"].map(key), exemplars["coding_id"]):
            if th is not None:
                chosen.setdefault(th, []).append(int(cid))
    return chosen


@dataclass
class _QuotePrinter:
    """Prints the picked quotes of a row: clipped, pseudonymised (when a pseudonymiser is
    given), cited with the participant's attributes; keeps the long rows and replacements."""

    max_words: int
    pseudonymiser: Pseudonymiser | None
    attributes: Sequence[str]
    attr_values: pd.DataFrame | None
    long: list[dict[str, Any]] = field(default_factory=list)
    replacements: list[dict[str, Any]] = field(default_factory=list)

    def quotes(self, picks: Sequence[tuple[dict[str, Any], str]], theme_id: Any, theme: str,
               subtheme: str) -> list[Quote]:
        printed = []
        values = self.attr_values
        for rank, (c, how) in enumerate(picks, start=1):
            raw = _clip(c["text"], self.max_words)
            done = self.pseudonymiser.apply(raw) if self.pseudonymiser else None
            text = done.text if done else raw
            pid = c["participant"] if isinstance(c["participant"], str) else ""
            attrs = tuple(str(values.loc[pid, a]) for a in self.attributes
                          if values is not None and pid in values.index and pd.notna(values.loc[pid, a]))
            printed.append(Quote(text, pid, attrs))
            if done is not None:
                self.replacements += [{"coding_id": c["coding_id"], **r.as_dict()} for r in done.replacements]
            self.long.append(_long_row(theme_id, theme, subtheme, rank, how, c, text, done,
                                       self.attributes, values))
        return printed


def _is_below(themes: pd.DataFrame, name: str, ancestor: str) -> bool:
    parents = dict(zip(themes["name"], themes["parent"]))
    cur, seen = parents.get(name), set()
    while isinstance(cur, str) and cur and cur not in seen:
        if cur == ancestor:
            return True
        seen.add(cur)
        cur = parents.get(cur)
    return False


def _long_row(theme_id: Any, theme: str, subtheme: str, rank: int, how: str, c: dict[str, Any],
              text: str, done: Any, attributes: Sequence[str], attr_values: Any) -> dict[str, Any]:
    row = {"theme_id": theme_id, "theme": theme, "subtheme": subtheme, "rank": rank, "chosen": how,
           "quote": text, "pseudonymised": done is not None,
           "replacements": json.dumps([{k: v for k, v in r.as_dict().items() if k != "original"}
                                       for r in done.replacements] if done else [],
                                      ensure_ascii=False)}
    for col in LONG_COLUMNS:
        if col not in row:
            row[col] = c.get(col)
    pid = c.get("participant")
    if done is not None:  # document names often hold names (P01_dana): cite the participant
        row["document"] = pid if isinstance(pid, str) and pid else f"document-{c.get('document_id')}"
    for a in attributes:
        ok = attr_values is not None and isinstance(pid, str) and pid in attr_values.index
        row[f"attr:{a}"] = attr_values.loc[pid, a] if ok else None
    return row


def _footnotes(n: int, attributes: Sequence[str], pseudonymise: bool, pseudonymiser: Any,
               statuses: Sequence[str], max_words: int) -> list[str]:
    counted = " or ".join(statuses)
    notes = [f"N = {n} participants. n (%) is the number (and percentage of N) of participants "
             f"with at least one {counted} coding of the theme's codes; a theme's n includes its "
             "subthemes."]
    follow = "the participant's id" + (f" and {', '.join(a.replace('_', ' ') for a in attributes)}"
                                      if attributes else "")
    conv = (f"Quotes are verbatim extracts followed by {follow}; [\u2026] marks omitted speech "
            f"(extracts are cut at {max_words} words).")
    if pseudonymise:
        conv += " Quotes are pseudonymised: names are replaced by ids or descriptions in square brackets."
        if pseudonymiser is not None:
            conv += " " + pseudonymiser.describe()
    else:
        conv += " Quotes are NOT pseudonymised."
    return [*notes, conv]
