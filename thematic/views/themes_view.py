"""What the Themes page shows: the theme tree with counts, each theme's extracts across
participants, the quotes to pick from, and the data of the thematic map.

Frames in (the shapes of the shared data): ``themes`` (theme_id, name, parent, definition,
position), ``theme_codes`` (theme, code), ``project.review.codings()``, exemplar quotes (theme,
coding_id[, position]). A theme's extracts are the accepted codings of its codes (and, with
``subthemes``, of its subthemes' codes). Every piece of project text in HTML is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from thematic.views.common import esc

if TYPE_CHECKING:
    from thematic.models import Codebook

__all__ = ["ThemeNode", "theme_nodes", "theme_tree_table", "theme_code_ids", "theme_extracts",
           "extracts_html", "quote_choices", "map_data", "exemplar_ids", "EXTRACT_COLUMNS",
           "theme_names"]

#: Columns of :func:`theme_extracts`.
EXTRACT_COLUMNS = ["coding_id", "participant", "document", "code", "text", "start", "end",
                   "exemplar"]


@dataclass(frozen=True)
class ThemeNode:
    """One theme in tree order: ``depth`` 0 for a theme, 1 for a subtheme, ..."""

    theme_id: int
    name: str
    parent: str | None
    definition: str
    depth: int
    codes: tuple[str, ...]


def _parent(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def theme_names(themes: pd.DataFrame) -> list[str]:
    """Theme names in tree order (for pickers)."""
    return [n.name for n in theme_nodes(themes, pd.DataFrame(columns=["theme", "code"]))]


def theme_nodes(themes: pd.DataFrame, theme_codes: pd.DataFrame) -> list[ThemeNode]:
    """Themes depth first, siblings by position then name; each with its own code ids.

    >>> themes = pd.DataFrame({"theme_id": [1, 2], "name": ["Care", "Being heard"],
    ...     "parent": [None, "Care"], "definition": ["", ""], "position": [0, 0]})
    >>> links = pd.DataFrame({"theme": ["Being heard"], "code": ["listening"]})
    >>> [(n.name, n.depth, n.codes) for n in theme_nodes(themes, links)]
    [('Care', 0, ()), ('Being heard', 1, ('listening',))]
    """
    if themes is None or themes.empty:
        return []
    ordered = themes.assign(_pos=pd.to_numeric(themes.get("position"), errors="coerce").fillna(0))
    ordered = ordered.sort_values(["_pos", "name"], kind="stable")
    names = set(ordered["name"])
    kids: dict[str | None, list[dict[str, Any]]] = {}
    for record in ordered.to_dict("records"):
        parent = _parent(record.get("parent"))
        kids.setdefault(parent if parent in names else None, []).append(record)
    codes: dict[str, list[str]] = {}
    if theme_codes is not None and not theme_codes.empty:
        for theme, code in zip(theme_codes["theme"], theme_codes["code"]):
            codes.setdefault(str(theme), []).append(str(code))
    out: list[ThemeNode] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for record in kids.get(parent, []):
            name = str(record["name"])
            if name in seen:  # a cycle cannot be stored, but never loop on one
                continue
            seen.add(name)
            out.append(ThemeNode(int(record["theme_id"]), name, _parent(record.get("parent")),
                                 str(record.get("definition") or ""), depth,
                                 tuple(codes.get(name, codes.get(str(record["theme_id"]), [])))))
            walk(name, depth + 1)

    walk(None, 0)
    return out


def theme_code_ids(theme: str, themes: pd.DataFrame, theme_codes: pd.DataFrame, *,
                   subthemes: bool = True) -> list[str]:
    """The code ids of ``theme`` (and, with ``subthemes``, of every theme below it)."""
    nodes = theme_nodes(themes, theme_codes)
    wanted = {theme}
    if subthemes:
        changed = True
        while changed:
            changed = False
            for node in nodes:
                if node.parent in wanted and node.name not in wanted:
                    wanted.add(node.name)
                    changed = True
    return list(dict.fromkeys(c for n in nodes if n.name in wanted for c in n.codes))


def exemplar_ids(quotes: pd.DataFrame | None, theme: str) -> list[int]:
    """The coding ids chosen as ``theme``'s exemplar quotes, in their order."""
    if quotes is None or quotes.empty:
        return []
    mine = quotes[quotes["theme"].astype(str) == theme]
    if "position" in mine:
        mine = mine.sort_values("position", kind="stable")
    return [int(i) for i in mine["coding_id"]]


def theme_extracts(theme: str, themes: pd.DataFrame, theme_codes: pd.DataFrame,
                   codings: pd.DataFrame, *, quotes: pd.DataFrame | None = None,
                   subthemes: bool = True) -> pd.DataFrame:
    """The accepted codings of ``theme``'s codes, by participant then document and place.

    Columns: :data:`EXTRACT_COLUMNS` (``exemplar``: chosen as one of the theme's quotes).
    """
    codes = theme_code_ids(theme, themes, theme_codes, subthemes=subthemes)
    if codings is None or codings.empty or not codes:
        return pd.DataFrame(columns=EXTRACT_COLUMNS)
    rows = codings[(codings["status"] == "accepted") & codings["code"].isin(codes)]
    chosen = set(exemplar_ids(quotes, theme))
    rows = rows.assign(participant=rows["participant"].fillna("").astype(str),
                       exemplar=rows["coding_id"].isin(chosen))
    rows = rows.sort_values(["participant", "document", "start"], kind="stable")
    return rows[EXTRACT_COLUMNS].reset_index(drop=True)


def extracts_html(extracts: pd.DataFrame, code_names: Mapping[str, str] | None = None) -> str:
    """The extracts grouped by participant, exemplar quotes starred; all text escaped.

    >>> frame = pd.DataFrame([{"coding_id": 1, "participant": "P01", "document": "d",
    ...     "code": "c", "text": "<img src=x onerror=1>", "start": 0, "end": 3, "exemplar": True}])
    >>> out = extracts_html(frame)
    >>> "<img" in out, "&lt;img" in out, "★" in out
    (False, True, True)
    """
    if extracts is None or extracts.empty:
        return '<div class="th-head">No accepted codings of this theme\'s codes yet.</div>'
    names = dict(code_names or {})
    parts: list[str] = []
    for participant, group in extracts.groupby("participant", sort=False):
        parts.append(f'<div class="th-code"><h4>{esc(participant or "(no participant)")} '
                     f'<span class="th-id">{len(group)} extract{"s" if len(group) != 1 else ""}'
                     f'</span></h4>')
        for row in group.itertuples():
            star = '<span title="exemplar quote">★ </span>' if row.exemplar else ""
            parts.append(f'<div class="th-text">{star}“{esc(row.text)}” '
                         f'<span class="th-id">{esc(names.get(str(row.code), row.code))} · '
                         f'{esc(row.document)} · #{int(row.coding_id)}</span></div>')
        parts.append("</div>")
    return "".join(parts)


def quote_choices(extracts: pd.DataFrame, *, width: int = 90) -> dict[int, str]:
    """Coding id -> "P01: first words… (#12)" for the exemplar picker (plain text, not
    Markdown; the id keeps two codings of the same passage apart)."""
    out: dict[int, str] = {}
    if extracts is None or extracts.empty:
        return out
    for row in extracts.itertuples():
        text = " ".join(str(row.text).split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        out[int(row.coding_id)] = f"{row.participant or '?'}: {text} (#{int(row.coding_id)})"
    return out


def theme_tree_table(tree: pd.DataFrame, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The theme tree of :func:`thematic.analysis.themes.theme_tree` for reading:
    theme (indented by depth), participants ``n (%)``, codings, documents, codes by name,
    definition; "no codings yet" for an empty theme.

    >>> tree = pd.DataFrame([{"theme": "Care", "parent": None, "depth": 0, "codes": ["c1"],
    ...     "codings": 0, "segments": 0, "documents": 0, "participants": 0,
    ...     "participants_pct": 0.0, "empty": True, "definition": "d"}])
    >>> row = theme_tree_table(tree, {"c1": "Camera"}).iloc[0]
    >>> row["participants"], row["codes"]
    ('no codings yet', 'Camera')
    """
    names = dict(names or {})
    rows = [{"theme": "\u2003" * int(r["depth"]) + str(r["theme"]),
             "participants": ("no codings yet" if r["empty"] else
                              f"{int(r['participants'])} ({float(r['participants_pct']):.0f}%)"),
             "codings": int(r["codings"]), "documents": int(r["documents"]),
             "codes": ", ".join(names.get(str(c), str(c)) for c in r["codes"]),
             "definition": str(r["definition"] or "")}
            for r in tree.to_dict("records")]
    return pd.DataFrame(rows, columns=["theme", "participants", "codings", "documents", "codes",
                                       "definition"])


def map_data(themes: pd.DataFrame, theme_codes: pd.DataFrame,
             codebook: Codebook) -> dict[str, Any]:
    """The mapping the thematic-map plot (:func:`thematic.export.plots.thematic_map`) takes: themes, theme_codes,
    code_names (code id -> name)."""
    return {"themes": themes, "theme_codes": theme_codes,
            "code_names": {c.id: c.name for c in codebook.codes}}

