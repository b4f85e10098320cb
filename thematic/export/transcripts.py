"""De-identified transcripts: one text file per document in a folder.

Files are named by participant id (``P01.txt``), never by the original file name, which often
holds a name (``P01_dana.txt``). The folder gets ``README.txt`` saying whether the texts are
pseudonymised and how, and ``replacements.csv`` listing every replacement's position and kind
(not the original names: that list stays in the project).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.export.files import check_folder, write_bytes, write_text
from thematic.export.registry import register
from thematic.export.tabular import write_table
from thematic.pseudonymise import Pseudonymiser

__all__ = ["REPLACEMENT_COLUMNS", "pseudonymise_documents", "write_transcripts"]

REPLACEMENT_COLUMNS = ["document", "file", "original", "replacement", "start", "end",
                       "new_start", "new_end", "source"]


def _file_names(docs: pd.DataFrame) -> list[str]:
    used: dict[str, int] = {}
    names = []
    for i, row in enumerate(docs.to_dict("records"), start=1):
        pid = row.get("participant")
        base = str(pid) if isinstance(pid, str) and pid else f"document-{i:03d}"
        base = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in base)
        used[base] = used.get(base, 0) + 1
        names.append(f"{base}.txt" if used[base] == 1 else f"{base}-{used[base]}.txt")
    return names


def pseudonymise_documents(documents: pd.DataFrame, pseudonymiser: Pseudonymiser | None
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pseudonymise each document's text.

    Parameters
    ----------
    documents
        Columns ``document``, ``text`` and optional ``participant``.
    pseudonymiser
        None: texts unchanged.

    Returns
    -------
    (documents, replacements)
        ``documents`` with the new ``text`` and a ``file`` name; ``replacements`` one row per
        replacement (:data:`REPLACEMENT_COLUMNS`).
    """
    if "document" not in documents or "text" not in documents:
        raise ParameterError("transcripts need the columns 'document' and 'text'. "
                             f"Got {list(documents.columns)} instead.")
    out = documents.copy()
    out["file"] = _file_names(out)
    rows: list[dict[str, Any]] = []
    texts = []
    for doc, name, text in zip(out["document"], out["file"], out["text"].fillna("")):
        if pseudonymiser is None:
            texts.append(text)
            continue
        done = pseudonymiser.apply(text)
        texts.append(done.text)
        rows += [{"document": doc, "file": name, **r.as_dict()} for r in done.replacements]
    out["text"] = texts
    return out, pd.DataFrame(rows, columns=REPLACEMENT_COLUMNS)


@register("transcripts", "txt", description="De-identified transcripts, one file each")
def write_transcripts(documents: pd.DataFrame, target: str | Path, *, fmt: str = "txt",
                      pseudonymiser: Pseudonymiser | None = None, pseudonymise: bool = True,
                      **_: Any) -> pd.DataFrame:
    """Write each document to ``target/<participant>.txt`` (pseudonymised by default).

    Returns
    -------
    DataFrame
        Every replacement made, with the originals (for the project's record; the file
        written to the folder leaves the originals out).
    """
    if not isinstance(target, (str, Path)):
        raise ParameterError("transcripts are written to a folder: give a folder path.")
    if pseudonymise and pseudonymiser is None:
        raise ParameterError("pseudonymised transcripts need a Pseudonymiser",
                             hint="Pass pseudonymiser=..., or pseudonymise=False for verbatim texts.")
    folder = check_folder(target)
    docs, replacements = pseudonymise_documents(documents, pseudonymiser if pseudonymise else None)
    for name, text in zip(docs["file"], docs["text"]):
        write_text(folder / name, text if text.endswith("\n") else text + "\n")
    public = replacements.drop(columns=["original"])
    buffer = io.BytesIO()
    write_table(public, buffer, fmt="csv")
    write_bytes(folder / "replacements.csv", buffer.getvalue())
    status = (f"Pseudonymised: {len(replacements)} replacements in {len(docs)} transcripts. "
              + (pseudonymiser.describe() if pseudonymiser else "") if pseudonymise
              else "NOT pseudonymised: these transcripts are verbatim.")
    write_text(folder / "README.txt",
               "Transcripts exported by thematic, one file per document, named by participant id.\n"
               f"{status}\nreplacements.csv lists where each replacement is (offsets into these "
               "files: new_start, new_end) and its kind; the original names are not included.\n")
    return replacements
