"""Public ids: what pseudonymised outputs cite instead of file names and speaker names.

A study's stored keys often hold names: a document is named after its file (``P01_dana``), a
participant without a participants file is keyed by its speaker label (``Dana``). Outputs that
leave the project cite :class:`PublicIds` instead:

- a participant keeps its id when the id looks like one (``P01``, ``R012``, ``17``, ``S-3``)
  and is nobody's name; otherwise it gets the next free ``P01``, ``P02``... in the order the
  project lists participants;
- a document with one participant is cited by that participant's public id (``P01``; a second
  document of the same person ``P01-2``); a group document (none or several participants) by
  ``D01``, ``D02``... in document order;
- a speaker label of a participant becomes the participant's public id; any other speaker its
  role (``Interviewer``).

Examples
--------
>>> import pandas as pd
>>> people = pd.DataFrame({"participant": ["Dana", "P07"], "name": [None, "Helen Okafor"]})
>>> docs = pd.DataFrame({"name": ["dana_interview", "P07_helen"], "participants": ["Dana", "P07"]})
>>> ids = assign_public_ids(people, docs)
>>> ids.participant("Dana"), ids.participant("P07"), ids.document("P07_helen")
('P01', 'P07', 'P07')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

__all__ = ["PublicIds", "assign_public_ids", "looks_like_id"]

_ID = re.compile(r"^[A-Za-z]{0,4}[-_ ]?\d{1,6}[A-Za-z]?$")
#: Stand-ins for a value the mapping does not know (never the value itself).
UNKNOWN_PARTICIPANT = "[participant]"
UNKNOWN_DOCUMENT = "[document]"
UNKNOWN_SPEAKER = "[speaker]"


def looks_like_id(value: str, names: Iterable[str] = ()) -> bool:
    """True for ``P01``, ``R012``, ``17``, ``S-3``: short letters then digits, nobody's name."""
    value = value.strip()
    if not _ID.match(value):
        return False
    folded = value.casefold()
    return not any(folded == str(n).strip().casefold() for n in names if isinstance(n, str))


@dataclass(frozen=True)
class PublicIds:
    """Stored keys -> the labels outputs cite. Unknown keys map to a neutral stand-in."""

    participants: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)
    speakers: Mapping[str, str] = field(default_factory=dict)

    def participant(self, key: Any) -> Any:
        """The public id of a stored participant id (None and NaN pass through)."""
        if not isinstance(key, str) or not key:
            return key
        return self.participants.get(key, key if looks_like_id(key) else UNKNOWN_PARTICIPANT)

    def document(self, name: Any) -> Any:
        """The public label of a document name."""
        if not isinstance(name, str) or not name:
            return name
        return self.documents.get(name, UNKNOWN_DOCUMENT)

    def speaker(self, label: Any) -> Any:
        """The public label of a speaker label."""
        if not isinstance(label, str) or not label:
            return label
        return self.speakers.get(label, self.participants.get(label, UNKNOWN_SPEAKER))

    def participant_list(self, value: Any) -> Any:
        """A comma-separated list of participant ids, each made public."""
        if not isinstance(value, str) or not value.strip():
            return value
        return ", ".join(str(self.participant(p.strip())) for p in value.split(",") if p.strip())

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its ``document``, ``participant``, ``speaker`` (and a documents
        frame's ``name``/``participants``/``speakers``) columns made public, and the columns
        that hold names or paths (``name`` of participants, ``original_name``) removed."""
        out = frame.copy()
        if "participant" in out:
            out["participant"] = out["participant"].map(self.participant)
            out = out.drop(columns=[c for c in ("name",) if c in out])
        for column, convert in (("document", self.document), ("speaker", self.speaker),
                                ("participants", self.participant_list)):
            if column in out:
                out[column] = out[column].map(convert)
        if "speakers" in out:
            out["speakers"] = out["speakers"].map(
                lambda v: ", ".join(sorted({str(self.speaker(s.strip())) for s in v.split(",")
                                            if s.strip()})) if isinstance(v, str) else v)
        if "original_name" in out:
            out = out.drop(columns=["original_name"])
        if "name" in out and "participants" in out:  # a documents frame
            out["name"] = out["name"].map(self.document)
        return out


def _participant_ids(participants: pd.DataFrame) -> dict[str, str]:
    if participants.empty or "participant" not in participants:
        return {}
    keys = [str(k) for k in participants["participant"] if isinstance(k, str) and k]
    names = [n for n in participants.get("name", pd.Series(dtype=object)) if isinstance(n, str)]
    name_parts = names + [p for n in names for p in re.split(r"[\s\-'’]+", n) if len(p) > 1]
    kept = {k: k for k in keys if looks_like_id(k, name_parts)}
    taken = set(kept.values())
    width = max(2, len(str(len(keys))))
    out: dict[str, str] = {}
    n = 0
    for key in keys:
        if key in kept:
            out[key] = key
            continue
        while True:
            n += 1
            label = f"P{n:0{width}d}"
            if label not in taken:
                break
        taken.add(label)
        out[key] = label
    return out


def _document_ids(documents: pd.DataFrame, people: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if documents.empty or "name" not in documents:
        return out
    owners = documents["participants"] if "participants" in documents else [None] * len(documents)
    used: dict[str, int] = {}
    groups = 0
    width = max(2, len(str(len(documents))))
    for name, listed in zip(documents["name"], owners):
        ids = [p.strip() for p in str(listed or "").split(",") if p.strip()]
        if len(ids) == 1:
            base = people.get(ids[0], ids[0] if looks_like_id(ids[0]) else UNKNOWN_PARTICIPANT)
            used[base] = used.get(base, 0) + 1
            out[str(name)] = base if used[base] == 1 else f"{base}-{used[base]}"
        else:
            groups += 1
            out[str(name)] = f"D{groups:0{width}d}"
    return out


def _speaker_ids(speakers: pd.DataFrame | None, people: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if speakers is None or speakers.empty or "speaker" not in speakers:
        return out
    cols = [c for c in ("speaker", "participant", "role") if c in speakers]
    for row in speakers[cols].drop_duplicates().to_dict("records"):
        label = row.get("speaker")
        if not isinstance(label, str) or not label or label in out:
            continue
        pid = row.get("participant")
        if isinstance(pid, str) and pid:
            out[label] = people.get(pid, UNKNOWN_PARTICIPANT)
        else:
            role = row.get("role")
            out[label] = str(role).replace("_", " ").capitalize() if isinstance(role, str) and role \
                else "Speaker"
    return out


def assign_public_ids(participants: pd.DataFrame, documents: pd.DataFrame,
                      speakers: pd.DataFrame | None = None) -> PublicIds:
    """The public ids of a project's participants, documents and speakers.

    Parameters
    ----------
    participants
        ``project.participants.frame()``: ``participant`` (stored id), optional ``name``.
    documents
        ``project.documents.frame()``: ``name`` and ``participants`` (comma-separated ids).
    speakers
        Segments or codings: ``speaker``, ``participant``, ``role``.
    """
    people = _participant_ids(participants)
    return PublicIds(people, _document_ids(documents, people), _speaker_ids(speakers, people))
