"""A methods paragraph drafted from the project's record: sample, coders, approach, engines
and versions, what people decided.

:func:`methods_record` gathers the facts from the shared frames into a :class:`MethodsRecord`;
:func:`draft_methods` words them. The draft is a starting point for the analyst to edit; it
states only what the record shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from thematic.export import docx_util
from thematic.export.files import Target, write_bytes, write_text
from thematic.export.registry import register
from thematic.export.text import markdown_escape

__all__ = ["MethodsRecord", "draft_methods", "methods_record", "write_methods"]

_ENGINE_NAMES = {"rules": "a rule-based engine over the codebook's keyword and phrase rules",
                 "rule": "a rule-based engine over the codebook's keyword and phrase rules",
                 "semantic": "a semantic-similarity engine comparing sentence embeddings with code definitions and examples",
                 "classifier": "a classifier trained on the analysts' decisions",
                 "topics": "a topic model (BERTopic)"}


@dataclass
class MethodsRecord:
    """The facts a methods section reports (every field from the project's record)."""

    participants: int = 0
    attributes: dict[str, str] = field(default_factory=dict)
    documents: int = 0
    words: int = 0
    unit: str = "sentence"
    approach: str = "thematic analysis"
    coders: list[str] = field(default_factory=list)
    codebook: str = ""
    codes: int = 0
    engines: list[dict[str, Any]] = field(default_factory=list)
    accepted: int = 0
    rejected: int = 0
    undecided: int = 0
    manual: int = 0
    imported: int = 0
    themes: int = 0
    subthemes: int = 0
    agreement: str = ""
    pseudonymised: bool = True
    software: str = ""
    #: What the pseudonymisation replaced and did not check (``Pseudonymiser.describe``).
    deidentification: str = ""


def _describe_attribute(values: pd.Series) -> str | None:
    values = values.dropna()
    if values.empty:
        return None
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().all() and values.nunique() > 6:
        return f"median {numeric.median():g}, range {numeric.min():g}-{numeric.max():g}"
    if values.nunique() > 8:
        return None
    counts = values.astype(str).value_counts()
    return ", ".join(f"{v} {n}" for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


_VERSION = re.compile(r"^\d+(\.\d+)+")


def _versions(raw: Any) -> str:
    """Library versions of a run (``spacy 3.8.2, thematic 0.1.0``); other settings left out."""
    if not isinstance(raw, Mapping):
        return ""
    keep = [f"{k} {v}" for k, v in sorted(raw.items())
            if isinstance(v, str) and _VERSION.match(v) and not k.endswith("_version")]
    return ", ".join(keep[:5])


def methods_record(*, participants: pd.DataFrame, codings: pd.DataFrame,
                   documents: pd.DataFrame | None = None, runs: pd.DataFrame | None = None,
                   coders: Sequence[str] = (), codebook_label: str = "", codes: int = 0,
                   themes: pd.DataFrame | None = None, unit: str = "sentence",
                   attributes: Sequence[str] | None = None, approach: str = "thematic analysis",
                   agreement: str = "", pseudonymised: bool = True) -> MethodsRecord:
    """Gather a :class:`MethodsRecord` from the shared frames.

    Parameters
    ----------
    participants, codings, documents, runs
        ``project.participants.frame()``, ``codings()``, ``documents()``, ``runs()``.
    coders
        The people who coded or decided (default: ``decided_by`` and manual ``coder`` values).
    attributes
        Attributes described (default: all with at most 8 values, and numeric ones).
    """
    attrs: dict[str, str] = {}
    for col in attributes if attributes is not None else participants.columns:
        if col in ("participant", "name") or col not in participants.columns:
            continue
        text = _describe_attribute(participants[col])
        if text:
            attrs[col.replace("_", " ")] = text
    status = codings["status"] if "status" in codings else pd.Series(dtype=str)
    source = codings["source"] if "source" in codings else pd.Series(dtype=str)
    automatic = ~source.isin(["manual", "import"])
    people = set(coders)
    if not people:
        for col in ("decided_by",):
            if col in codings:
                people |= {c for c in codings[col].dropna().unique() if c}
        if "coder" in codings:
            people |= {c for c in codings.loc[source == "manual", "coder"].dropna().unique() if c}
    engines: list[dict[str, Any]] = []
    if runs is not None and not runs.empty:
        for engine, group in runs.groupby("engine", sort=True):
            last = group.iloc[-1]
            engines.append({"engine": engine, "runs": len(group), "versions": _versions(last.get("versions"))})
    n_sub = 0
    if themes is not None and not themes.empty:
        n_sub = int(themes["parent"].map(lambda p: isinstance(p, str) and bool(p)).sum())
    from thematic import __version__ as version  # noqa: PLC0415

    return MethodsRecord(
        participants=int(participants["participant"].nunique()) if not participants.empty else 0,
        attributes=attrs,
        documents=len(documents) if documents is not None else int(codings["document"].nunique()),
        words=int(documents["words"].sum()) if documents is not None and "words" in documents else 0,
        unit=unit, approach=approach, coders=sorted(people), codebook=codebook_label, codes=codes,
        engines=engines, accepted=int(((status == "accepted") & automatic).sum()),
        rejected=int(((status == "rejected") & automatic).sum()),
        undecided=int(((status == "suggested") & automatic).sum()),
        manual=int((source == "manual").sum()), imported=int((source == "import").sum()),
        themes=(len(themes) - n_sub) if themes is not None else 0, subthemes=n_sub,
        agreement=agreement, pseudonymised=pseudonymised, software=f"thematic {version}")


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def draft_methods(record: MethodsRecord) -> list[str]:
    """The methods text as paragraphs (plain text)."""
    sample = f"The sample comprised {_plural(record.participants, 'participant')}"
    if record.attributes:
        sample += " (" + "; ".join(f"{k}: {v}" for k, v in record.attributes.items()) + ")"
    data = (f"{sample}. We analysed {_plural(record.documents, 'transcript')}"
            + (f" ({record.words:,} words)" if record.words else "")
            + f", coded at the level of the {record.unit}, following {record.approach}.")
    if record.codebook or record.codes:
        data += (f" The codebook{' (' + record.codebook + ')' if record.codebook else ''} held "
                 f"{_plural(record.codes, 'code')}.")
    coding = f"Coding was done in {record.software}"
    if record.coders:
        coding += " by " + (", ".join(record.coders[:-1]) + " and " + record.coders[-1]
                            if len(record.coders) > 1 else record.coders[0])
    coding += "."
    if record.engines:
        used = []
        for e in record.engines:
            text = _ENGINE_NAMES.get(e["engine"], f"the {e['engine']} engine")
            text += f" ({_plural(e['runs'], 'run')}{'; ' + e['versions'] if e['versions'] else ''})"
            used.append(text)
        coding += (" Automatic coding suggestions came from " + "; ".join(used) + ". Suggestions "
                   "were never counted until a person decided them: "
                   f"{record.accepted:,} were accepted and {record.rejected:,} rejected"
                   + (f", and {record.undecided:,} were left undecided and are not reported"
                      if record.undecided else "") + ".")
    else:
        coding += " No automatic suggestions were used."
    coding += f" {_plural(record.manual, 'coding')} {'was' if record.manual == 1 else 'were'} made by hand"
    coding += f" and {record.imported:,} imported." if record.imported else "."
    paragraphs = [data, coding]
    if record.agreement:
        paragraphs.append(record.agreement)
    tail = []
    if record.themes:
        tail.append(f"Codes were grouped into {_plural(record.themes, 'theme')}"
                    + (f" and {_plural(record.subthemes, 'subtheme')}" if record.subthemes else "") + ".")
    if record.pseudonymised:
        tail.append("Quotes are pseudonymised. " + (record.deidentification or
                    "Participants' names are replaced by their ids; other names only where "
                    "listed in the project's pseudonym list."))
    if tail:
        paragraphs.append(" ".join(tail))
    return paragraphs


@register("methods", "md", "txt", "docx", description="A methods paragraph from the record")
def write_methods(record: MethodsRecord, target: Target, *, fmt: str, **_: Any) -> None:
    """Write :func:`draft_methods` as Markdown, plain text or Word."""
    paragraphs = draft_methods(record)
    note = "Draft generated from the project record; check and edit before use."
    if fmt == "txt":
        write_text(target, "\n\n".join(paragraphs) + "\n")
    elif fmt == "md":
        body = "\n\n".join(markdown_escape(p) for p in paragraphs)
        write_text(target, f"## Methods (draft)\n\n{body}\n\n*{note}*\n")
    else:
        doc = docx_util.new_document(size=11)
        doc.add_heading("Methods (draft)", level=2)
        for para in paragraphs:
            doc.add_paragraph(para)
        doc.add_paragraph().add_run(note).italic = True
        write_bytes(target, docx_util.docx_bytes(doc))
