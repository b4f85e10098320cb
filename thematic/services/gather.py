"""Gather a :class:`~thematic.export.report.ReportData` from a project, through the analysis
functions (:mod:`thematic.analysis`), for the exports and the report.

Reads the project through :class:`~thematic.services.reads.ProjectReads`; every part that
cannot be computed (one document for saturation, a single coder for agreement) is left out and
explained in the returned notes, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from thematic.errors import ThematicError
from thematic.export.adapters import agreement_report, framework_cells, saturation_result
from thematic.export.methods import MethodsRecord, methods_record
from thematic.export.report import ReportData
from thematic.models import Codebook
from thematic.pseudonymise import Pseudonymiser
from thematic.services.reads import ProjectReads

__all__ = ["codebook_themes", "documents_with_text", "gather_report_data", "pick_coders",
           "themes_or_codebook"]


def codebook_themes(codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Themes standing in from the codebook: top-level codes as themes, their children as
    subthemes, each with its own code and its descendants' codes."""
    rows, links = [], []
    index = codebook.by_id()

    def below(code_id: str) -> list[str]:
        out, stack, seen = [], [code_id], set()
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            out.append(cur)
            stack.extend(c.id for c in codebook.children(cur))
        return out
    position = 0
    for top in codebook.children(None):
        position += 1
        rows.append({"theme_id": top.id, "name": top.name, "parent": None,
                     "definition": top.definition, "position": position})
        kids = codebook.children(top.id)
        links.append({"theme": top.name, "code": top.id})
        if not kids:
            continue
        for k, child in enumerate(kids, start=1):
            rows.append({"theme_id": child.id, "name": child.name, "parent": top.name,
                         "definition": child.definition, "position": k})
            links += [{"theme": child.name, "code": c} for c in below(child.id) if c in index]
    return (pd.DataFrame(rows, columns=["theme_id", "name", "parent", "definition", "position"]),
            pd.DataFrame(links, columns=["theme", "code"]))


def themes_or_codebook(reads: ProjectReads) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """The project's themes and their codes; when it has none, :func:`codebook_themes`
    (the last value says which: True when the codebook stands in)."""
    themes = reads.themes()
    if themes.empty:
        return (*codebook_themes(reads.codebook()), True)
    return themes, reads.theme_codes(), False


def documents_with_text(reads: ProjectReads) -> pd.DataFrame:
    """Each document's name, its one participant (None for a group) and its text."""
    documents = reads.documents()
    rows = []
    for name, people in zip(documents["name"], documents["participants"]):
        ids = [p.strip() for p in str(people or "").split(",") if p.strip()]
        rows.append({"document": name, "participant": ids[0] if len(ids) == 1 else None,
                     "text": reads.document(name).text})
    return pd.DataFrame(rows, columns=["document", "participant", "text"])


def pick_coders(codings: pd.DataFrame) -> list[str]:
    """The two people with the most hand codings on documents they both coded ([] if none)."""
    manual = codings[codings["source"] == "manual"] if "source" in codings else codings.iloc[:0]
    docs = manual.groupby("coder")["document"].apply(set).to_dict()
    counts = manual["coder"].value_counts()
    people = [str(c) for c in counts.index]
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if docs[a] & docs[b]:
                return sorted([a, b])
    return []


def _interview_order(participants: pd.DataFrame, documents: pd.DataFrame,
                     codings: pd.DataFrame) -> list[str]:
    names = list(documents["name"]) if "name" in documents else list(codings["document"].unique())
    dates = next((c for c in participants.columns if "date" in c.lower()), None)
    if dates is None or "participant" not in codings:
        return names
    when = participants.set_index("participant")[dates]
    person = codings.drop_duplicates("document").set_index("document")["participant"]
    return sorted(names, key=lambda d: (str(when.get(person.get(d), "")) or "~", d))


def gather_report_data(reads: ProjectReads, *, attributes: Sequence[str] | None = None,
                       coders: Sequence[str] | None = None, unit: str | None = None,
                       quotes: int = 2, pseudonymiser: Pseudonymiser | None = None,
                       n_boot: int = 200, random_state: int = 0,
                       transcripts: bool = True) -> tuple[ReportData, list[str]]:
    """Everything a report needs, computed from the project's frames.

    Parameters
    ----------
    attributes
        Participant attributes printed after quotes and crossed with codes (default: the
        participants' ``role`` when it exists).
    coders
        The two coders to compare (default: :func:`pick_coders`).
    unit
        The unit of agreement and co-occurrence (default: the project's unit).
    pseudonymiser
        Replaces names in quotes, framework cells, disagreements and transcripts (None:
        verbatim; the outputs say so).
    n_boot, random_state
        Bootstrap draws and seed (saturation and agreement intervals).

    Returns
    -------
    (ReportData, notes)
    """
    notes: list[str] = []
    participants = reads.participants()
    everything = reads.codings()
    unit = unit or reads.settings().unit
    segments = reads.segments(unit)
    codebook = reads.codebook()
    attrs = list(attributes) if attributes is not None else (
        ["role"] if "role" in participants.columns else [])
    themes, links, standing_in = themes_or_codebook(reads)
    if standing_in:
        notes.append("No themes defined yet: the codebook's top-level codes stand in as themes "
                     "and their children as subthemes.")
    if pseudonymiser is not None:
        notes.append(pseudonymiser.describe())
    data = ReportData(participants=participants, codings=everything, themes=themes,
                      theme_codes=links, exemplars=reads.theme_quotes(),
                      codebook=codebook, pseudonymiser=pseudonymiser, attributes=attrs,
                      quotes=quotes)
    _tables(data, reads, segments, codebook, themes, links)
    _saturation(data, reads.documents(), n_boot=n_boot, random_state=random_state, notes=notes)
    pair = list(coders) if coders else pick_coders(everything)
    agreement = _agreement(data, segments, pair, unit, n_boot=n_boot,
                           random_state=random_state, notes=notes)
    data.methods = _methods(data, reads, codebook, unit=unit, agreement=agreement)
    if transcripts:
        data.documents = documents_with_text(reads)
    return data, notes


def _methods(data: ReportData, reads: ProjectReads, codebook: Codebook, *, unit: str,
             agreement: str) -> MethodsRecord:
    """The methods record of the report: its sample, codebook version, units, agreement and
    de-identification."""
    version = reads.store.codebook.latest_version()
    methods = methods_record(participants=data.participants, codings=data.codings,
                             documents=reads.documents(), runs=reads.runs(),
                             codebook_label=str(version.label if version else codebook.name),
                             codes=len(codebook.codes), themes=data.themes, unit=unit,
                             attributes=data.attributes or None, agreement=agreement,
                             pseudonymised=data.pseudonymiser is not None)
    if data.pseudonymiser is not None:
        methods.deidentification = data.pseudonymiser.describe()
    return methods


def _accepted(data: ReportData) -> pd.DataFrame:
    return data.codings[data.codings["status"] == "accepted"]


def _tables(data: ReportData, reads: ProjectReads, segments: pd.DataFrame, codebook: Codebook,
            themes: pd.DataFrame, links: pd.DataFrame) -> None:
    """Counts, the matrices (codes and themes by participant, codes by each attribute),
    co-occurrence and the framework cells of the accepted codings."""
    from thematic import analysis

    accepted, people = _accepted(data), data.participants
    code_names = {c.id: c.name for c in codebook.codes}
    data.counts = analysis.frequencies(accepted, codes=[c.id for c in codebook.codes],
                                       segments=segments, participants=people)
    matrix = analysis.participant_matrix(accepted, segments=segments, participants=people)
    data.matrices["code-participant"] = matrix.rename(index=code_names)
    if not links.empty:
        data.matrices["theme-participant"] = analysis.participant_matrix(
            accepted, by="theme", value="presence", theme_codes=links, themes=themes,
            segments=segments, participants=people)
    for attr in data.attributes:
        wide = analysis.attribute_matrix(accepted, people, attr, form="wide")
        data.matrices[f"code-{attr}"] = wide.rename(index=code_names)
    if accepted.empty:
        return
    square = analysis.cooccurrence(accepted, form="square", segments=segments)
    data.cooccurrence = square.rename(index=code_names, columns=code_names)
    summaries = reads.framework_summaries()
    summaries = summaries[summaries["code"].notna()]  # cells of the code columns
    long = analysis.framework_matrix(accepted, summaries, by="code", participants=people)
    data.framework = framework_cells(long, links, code_names=code_names, themes=themes,
                                     pseudonymiser=data.pseudonymiser)


def _saturation(data: ReportData, documents: pd.DataFrame, *, n_boot: int, random_state: int,
                notes: list[str]) -> None:
    """Code accumulation in interview order, the saturation point and its bootstrap (or a
    note saying why they are left out)."""
    from thematic import analysis

    accepted = _accepted(data)
    order = _interview_order(data.participants, documents, accepted)
    try:
        accumulation = analysis.code_accumulation(accepted, order=order)
        boot = analysis.saturation_bootstrap(accepted, n_boot=n_boot, random_state=random_state,
                                             documents=order)
        point = analysis.saturation_point(accepted, order=order)
        data.saturation = saturation_result(accumulation, boot, point)
    except ThematicError as exc:
        notes.append(f"Saturation left out: {exc}")


def _agreement(data: ReportData, segments: pd.DataFrame, pair: Sequence[str], unit: str, *,
               n_boot: int, random_state: int, notes: list[str]) -> str:
    """The agreement report of two coders over the participants' segments; returns the
    sentence the methods paragraph says of it ("" when it is left out, with a note why)."""
    from thematic import analysis

    if len(pair) != 2:
        notes.append("Agreement left out: fewer than two people hand-coded the same documents.")
        return ""
    everything, names = data.codings, data.pseudonymiser
    try:
        mine = everything[everything["coder"].isin(pair) & (everything["status"] != "rejected")]
        units = segments[segments["role"] == "participant"] if "role" in segments else segments
        labels = analysis.unit_labels(mine, units)
        table = analysis.intercoder_agreement(labels, list(pair), n_boot=n_boot,
                                              random_state=random_state)
        dis = analysis.disagreements(labels, list(pair), units=units)
        if names is not None:
            dis = dis.assign(text=dis["text"].map(lambda t: names(t) if isinstance(t, str) else t))
        data.agreement = agreement_report(table, dis, unit=unit)
    except ThematicError as exc:
        notes.append(f"Agreement left out: {exc}")
        return ""
    pooled = data.agreement["summary"]
    kappa, alpha = pooled["Pooled Cohen's kappa"], pooled["Pooled Krippendorff's alpha"]
    return (f"Two coders ({pooled['Coders']}) coded {pooled['Units coded by both']} participant "
            f"{unit}s in common; pooled Cohen's kappa {kappa}, Krippendorff's alpha {alpha} "
            "(95% bootstrap intervals).")
