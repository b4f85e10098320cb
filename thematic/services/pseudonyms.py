"""De-identification use cases: the project's pseudonymiser, candidate names and confirming them.

The shells (``thematic pseudonym candidates|confirm``, the app's pseudonyms page) call
:func:`name_candidates` to list what may be a name, then :func:`confirm_names` to add the
chosen ones to the pseudonym list (one audited, undoable step).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from thematic.errors import ParameterError
from thematic.name_candidates import find_candidates
from thematic.pseudonymise import Pseudonymiser, load_ner, name_parts, speaker_entries
from thematic.store import ProjectStore
from thematic.store.pseudonyms import KINDS

__all__ = ["DEFAULT_REPLACEMENTS", "confirm_names", "name_candidates", "pseudonymiser_for"]

#: What a confirmed candidate is replaced by unless the person says otherwise.
DEFAULT_REPLACEMENTS = {"name": "[name]", "place": "[place]", "organisation": "[organisation]",
                        "other": "[redacted]"}


def _texts(store: ProjectStore) -> dict[str, str]:
    docs = store.documents.frame()
    return {str(name): store.documents.get(str(name)).text for name in docs.get("name", [])}


def pseudonymiser_for(store: ProjectStore, *, ner: Any = "auto",
                      count_candidates: bool = True) -> Pseudonymiser:
    """The project's pseudonymiser: participants' names, speaker labels that are names, the
    pseudonym list and (``ner="auto"``) an installed NER pipeline, with public ids for
    documents, participants and speakers; ``count_candidates`` also counts the candidate
    names in no list, which :meth:`~thematic.pseudonymise.Pseudonymiser.describe` reports."""
    unit = "turn"
    names = Pseudonymiser.for_project(store.participants.frame(),
                                      speakers=store.documents.segments_frame(unit),
                                      pseudonyms=store.pseudonyms.frame(), ner=ner,
                                      documents=store.documents.frame())
    if count_candidates:
        found = _candidates(store, names)
        names.unreviewed = int((found["status"] == "new").sum()) if not found.empty else 0
    return names


def _candidates(store: ProjectStore, names: Pseudonymiser) -> pd.DataFrame:
    participants = store.participants.frame()
    full = [n for n in participants.get("name", []) if isinstance(n, str) and n.strip()]
    people = full + [p for n in full for p in name_parts(n)]
    speakers = [e.original for e in speaker_entries(store.documents.segments_frame("turn"))]
    listed = list(store.pseudonyms.frame()["original"])
    return find_candidates(_texts(store), participants=people, speakers=speakers,
                           listed=listed, ner=names.ner)


def name_candidates(store: ProjectStore, *, ner: Any = "auto", include_known: bool = False) -> pd.DataFrame:
    """Words in the project's documents that may be names of people or places.

    Parameters
    ----------
    ner
        ``"auto"`` (an installed trained pipeline, if any), None, a pipeline name, a spaCy
        ``Language`` or a function ``text -> [(start, end, label)]``.
    include_known
        Also list participants' names, speaker labels and names already in the pseudonym
        list (status ``participant``, ``speaker``, ``listed``).

    Returns
    -------
    DataFrame
        :data:`thematic.name_candidates.CANDIDATE_COLUMNS`; ``frame.attrs["ner"]`` says
        whether a NER pipeline was used.
    """
    if ner == "auto" or isinstance(ner, str):
        nlp, status = load_ner(None if ner == "auto" else ner)
    else:
        nlp, status = ner, ("named-entity detection not used" if ner is None
                            else "names detected with the given pipeline")
    found = _candidates(store, Pseudonymiser(ner=nlp, ner_status=status))
    if not include_known and not found.empty:
        found = found[found["status"] == "new"].reset_index(drop=True)
    found.attrs["ner"] = status
    return found


def confirm_names(store: ProjectStore, originals: Sequence[str], *, kind: str = "name",
                  replacement: str | None = None, actor: str) -> int:
    """Add each of ``originals`` to the pseudonym list in one undoable step; returns how many
    were added (names already listed keep their replacement).

    Parameters
    ----------
    kind
        ``name``, ``place``, ``organisation`` or ``other``.
    replacement
        What exports print instead (default :data:`DEFAULT_REPLACEMENTS` for the kind).
    """
    if kind not in KINDS:
        raise ParameterError(f"kind must be one of {list(KINDS)}. Got {kind!r} instead.")
    wanted = [" ".join(o.split()) for o in originals if isinstance(o, str) and o.strip()]
    if not wanted:
        raise ParameterError("give at least one name to confirm",
                             remedy="list-name-candidates")
    listed = {str(o).casefold() for o in store.pseudonyms.frame()["original"]}
    new = [o for o in dict.fromkeys(wanted) if o.casefold() not in listed]
    if not new:
        return 0
    with store.unit(actor, "confirm names") as uow:
        for original in new:
            store.pseudonyms.set(uow, original, replacement or DEFAULT_REPLACEMENTS[kind],
                                 kind=kind)
    return len(new)
