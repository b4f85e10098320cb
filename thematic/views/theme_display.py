"""Themes for the app: a table of themes, each theme's extracts across participants."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from thematic.views.common import code_colors, esc, mark_color

if TYPE_CHECKING:
    from thematic.models import Codebook

EXTRACT_COLUMNS = ["coding_id", "participant", "document", "speaker", "code", "text", "start", "end"]


def theme_table(themes: pd.DataFrame, theme_codes: pd.DataFrame, theme_quotes: pd.DataFrame,
                codebook: Codebook) -> pd.DataFrame:
    """One row per theme: theme, parent, codes (names), exemplars (count), definition."""
    names = {c.id: c.name for c in codebook.codes}
    rows = []
    for t in themes.itertuples():
        codes = theme_codes.loc[theme_codes["theme"] == t.name, "code"] if not theme_codes.empty else []
        n_quotes = int((theme_quotes["theme"] == t.name).sum()) if not theme_quotes.empty else 0
        parent = t.parent if isinstance(t.parent, str) else ""
        rows.append({"theme": t.name, "parent": parent,
                     "codes": ", ".join(names.get(str(c), str(c)) for c in codes),
                     "exemplars": n_quotes, "definition": t.definition or ""})
    return pd.DataFrame(rows, columns=["theme", "parent", "codes", "exemplars", "definition"])


def theme_extracts(codings: pd.DataFrame, theme_codes: pd.DataFrame, theme: str) -> pd.DataFrame:
    """The accepted codings of ``theme``'s codes, by participant, document and place."""
    if codings.empty or theme_codes.empty:
        return pd.DataFrame(columns=EXTRACT_COLUMNS)
    codes = set(theme_codes.loc[theme_codes["theme"] == theme, "code"].astype(str))
    rows = codings[codings["code"].astype(str).isin(codes) & (codings["status"] == "accepted")]
    rows = rows.sort_values(["participant", "document", "start"], na_position="last", kind="stable")
    return rows[EXTRACT_COLUMNS].reset_index(drop=True)


def extracts_html(extracts: pd.DataFrame, codebook: Codebook, *, limit: int = 300) -> str:
    """The extracts grouped under each participant, every piece of text escaped."""
    names = {c.id: c.name for c in codebook.codes}
    colors = code_colors(codebook)
    out: list[str] = []
    for participant, group in extracts.head(limit).groupby("participant", sort=False, dropna=False):
        who = participant if isinstance(participant, str) else "(no participant)"
        out.append(f'<div class="th-turn th-role-participant"><div class="th-head">'
                   f'<span class="th-speaker">{esc(who)}</span>{len(group)} extracts</div>')
        for r in group.itertuples():
            color = mark_color(colors.get(str(r.code), "#999999"))
            out.append(f'<div class="th-text"><mark class="th-mark th-accepted" '
                       f'style="background: {color}">{esc(r.text)}</mark> '
                       f'<span class="th-tag">{esc(names.get(str(r.code), r.code))} · '
                       f'{esc(r.document)}</span></div>')
        out.append("</div>")
    return "".join(out)


def cooccurring(codings: pd.DataFrame, code_a: str, code_b: str) -> pd.DataFrame:
    """The codings of ``code_a`` and ``code_b`` in the segments both codes touch (the quotes
    behind a co-occurrence cell), in document order."""
    if codings.empty or "segment_id" not in codings:
        return pd.DataFrame(columns=EXTRACT_COLUMNS)
    a = codings[codings["code"].astype(str) == str(code_a)]
    b = codings[codings["code"].astype(str) == str(code_b)]
    shared = set(a["segment_id"].dropna()) & set(b["segment_id"].dropna())
    rows = codings[codings["segment_id"].isin(shared)
                   & codings["code"].astype(str).isin([str(code_a), str(code_b)])]
    return rows.sort_values(["document", "start"], kind="stable")[EXTRACT_COLUMNS].reset_index(drop=True)


__all__ = ["cooccurring", "EXTRACT_COLUMNS", "theme_table", "theme_extracts", "extracts_html"]
