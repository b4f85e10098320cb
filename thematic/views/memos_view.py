"""Every memo of the project with what it is about, searchable, each with a way to its target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from thematic.views.common import esc

if TYPE_CHECKING:
    from thematic.models import Codebook

#: What a memo can be about, in the order the page lists the filters.
MEMO_KINDS = ("project", "document", "code", "theme", "coding")
#: Columns of :func:`memo_rows`.
MEMO_ROW_COLUMNS = ["memo_id", "kind", "about", "title", "body", "author", "updated_at",
                    "document", "document_id", "code", "theme", "coding_id", "start"]


def memo_rows(memos: pd.DataFrame, *, documents: pd.DataFrame, codebook: Codebook,
              themes: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """``Project.memos()`` with what each is about in words and where its target is.

    ``about`` reads "the project", a document's name, a code's name, a theme's name, or
    "coding 12 (Relapse): “I nearly used again”"; ``document``/``document_id``/``start`` say
    where a document or coding memo's text is, ``code`` and ``theme`` name the target of the
    others. A target deleted since reads "(deleted)". Newest first.
    """
    if memos.empty:
        return pd.DataFrame(columns=MEMO_ROW_COLUMNS)
    doc_names = dict(zip(documents["id"].astype(str), documents["name"], strict=True)) \
        if not documents.empty else {}
    code_names = {c.id: c.name for c in codebook.codes}
    theme_names = _theme_names(themes)
    by_coding = codings.set_index(codings["coding_id"].astype(str)) if not codings.empty else None
    rows = []
    for m in memos.itertuples():
        target = "" if m.target_id is None or pd.isna(m.target_id) else str(m.target_id)
        row = {"memo_id": int(m.memo_id), "kind": m.target_type, "title": m.title or "",
               "body": m.body or "", "author": m.author or "", "updated_at": m.updated_at,
               "document": None, "document_id": None, "code": None, "theme": None,
               "coding_id": None, "start": None, "about": "the project"}
        if m.target_type == "document":
            row["about"] = doc_names.get(target, f"document {target} (deleted)")
            if target in doc_names:
                row.update(document=doc_names[target], document_id=int(target), start=0)
        elif m.target_type == "code":
            row["about"] = code_names.get(target, f"{target} (deleted)")
            row["code"] = target if target in code_names else None
        elif m.target_type == "theme":
            name = theme_names.get(target, target if target in theme_names.values() else None)
            row["about"] = name or f"theme {target} (deleted)"
            row["theme"] = name
        elif m.target_type == "coding":
            row["about"] = f"coding {target} (deleted)"
            if by_coding is not None and target in by_coding.index:
                c = by_coding.loc[target]
                short = str(c["text"]) if len(str(c["text"])) <= 80 else str(c["text"])[:79] + "…"
                row.update(about=f"coding {target} ({code_names.get(c['code'], c['code'])}): "
                                 f"“{short}”", document=c["document"],
                           document_id=int(c["document_id"]), coding_id=int(target),
                           start=int(c["start"]))
        rows.append(row)
    out = pd.DataFrame(rows, columns=MEMO_ROW_COLUMNS)
    for column in ("document_id", "coding_id", "start"):  # None where there is none, not NaN
        out[column] = pd.Series([None if pd.isna(v) else int(v) for v in out[column]],
                                index=out.index, dtype=object)
    return out.sort_values("updated_at", ascending=False, kind="stable").reset_index(drop=True)


def _theme_names(themes: pd.DataFrame) -> dict[str, str]:
    if themes.empty or "theme_id" not in themes.columns:
        return {}
    return dict(zip(themes["theme_id"].astype(str), themes["name"].astype(str), strict=True))


def filter_memos(rows: pd.DataFrame, text: str | None = None,
                 kinds: Sequence[str] = ()) -> pd.DataFrame:
    """The memos whose title, body, target or author holds ``text`` (any case), of ``kinds``.

    >>> rows = pd.DataFrame({"kind": ["code", "project"], "about": ["Relapse", "the project"],
    ...                      "title": ["", "Plan"], "body": ["Slips are common", "Recruit"],
    ...                      "author": ["ana", "ben"]})
    >>> filter_memos(rows, "slip")["about"].tolist(), filter_memos(rows, kinds=["project"])["title"].tolist()
    (['Relapse'], ['Plan'])
    """
    keep = pd.Series(True, index=rows.index)
    if kinds:
        keep &= rows["kind"].isin(list(kinds))
    needle = (text or "").strip().casefold()
    if needle:
        haystack = (rows["title"].astype(str) + "\n" + rows["body"].astype(str) + "\n"
                    + rows["about"].astype(str) + "\n" + rows["author"].astype(str))
        keep &= haystack.str.casefold().str.contains(needle, regex=False)
    return rows[keep]


def memo_html(row: object) -> str:
    """One memo: what it is about, who wrote it and when, its title and text (escaped)."""
    title = getattr(row, "title", "")
    head = (f'<div class="th-card-meta">{esc(getattr(row, "kind", ""))}: '
            f'<b>{esc(getattr(row, "about", ""))}</b> · {esc(getattr(row, "author", ""))} · '
            f'{esc(str(getattr(row, "updated_at", ""))[:16])}</div>')
    title_html = f'<div class="th-card-code">{esc(title)}</div>' if title else ""
    return (f'<div class="th-card" data-testid="th-memo">{head}{title_html}'
            f'<div class="th-card-quote">{esc(getattr(row, "body", ""))}</div></div>')


__all__ = ["MEMO_KINDS", "MEMO_ROW_COLUMNS", "filter_memos", "memo_html", "memo_rows"]
