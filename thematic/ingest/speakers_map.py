"""Map the speaker labels of transcripts to participants (REFI-QDA cases).

NVivo and ATLAS.ti match speakers to cases by name; researchers name files after participant
ids (``P01_dana.txt``). We do both, in this order, and never guess between two candidates:

1. the label is a participant id (``P01``), case-insensitively;
2. the label is a participant's name, or its first name when that first name is unique;
3. the file name starts with a participant id and the document has exactly one
   non-interviewer speaker (or no speaker labels at all);
4. a generic role label (``R:``, ``A:``, ``Respondent:``, ``Speaker 2:``) names nobody: it
   becomes the document's participant (its name), or ``document/label`` when a document
   has several such speakers (a focus group);
5. otherwise a new participant is created whose id is the label.

Interviewers are not participants: their turns keep their label and role only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from thematic.ingest.speakers import is_role_label
from thematic.models import INTERVIEWER_ROLES, Document

_PERSON_ID = re.compile(r"^[A-Za-z]{1,3}[-_]?\d{1,4}$")  # P01, R12: an identity, not a role
_ID_PREFIX = re.compile(r"^([A-Za-z]{1,3}[-_]?\d{1,4})(?=$|[^0-9A-Za-z]|_)")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def id_from_filename(name: str, known_ids: Iterable[str]) -> str | None:
    """The participant id a file name starts with (``P01_dana.txt`` -> ``P01``), if known."""
    match = _ID_PREFIX.match(name)
    if not match:
        return None
    lookup = {_norm(k).replace("-", "").replace("_", ""): k for k in known_ids}
    return lookup.get(_norm(match.group(1)).replace("-", "").replace("_", ""))


def map_speakers(
    document: Document,
    roles: Mapping[str, str],
    participants: Mapping[str, str | None],
) -> dict[str | None, str | None]:
    """Return ``{speaker label: participant id or None}`` for one document.

    Parameters
    ----------
    document
        The document whose turns' speakers are mapped.
    roles
        Speaker label -> role (``interviewer`` labels map to None).
    participants
        Known participant id -> name (or None).
    """
    by_id = {_norm(k): k for k in participants}
    by_name: dict[str, str] = {}
    first_names: dict[str, list[str]] = {}
    for key, name in participants.items():
        if name:
            by_name[_norm(name)] = key
            first_names.setdefault(_norm(name).split(" ")[0], []).append(key)

    speakers = list(dict.fromkeys(t.speaker for t in document.turns))
    others = [s for s in speakers if s is None or roles.get(s) not in INTERVIEWER_ROLES]
    file_id = id_from_filename(document.name, participants)
    mapping: dict[str | None, str | None] = {}
    for speaker in speakers:
        if speaker is not None and roles.get(speaker) in INTERVIEWER_ROLES:
            mapping[speaker] = None
            continue
        label = _norm(speaker) if speaker else ""
        if label and label in by_id:
            mapping[speaker] = by_id[label]
        elif label and label in by_name:
            mapping[speaker] = by_name[label]
        elif label and len(first_names.get(label, [])) == 1:
            mapping[speaker] = first_names[label][0]
        elif file_id and len(others) == 1:
            mapping[speaker] = file_id
        elif speaker is None:
            mapping[speaker] = file_id
        elif is_role_label(speaker) and not _PERSON_ID.match(speaker.strip()):
            mapping[speaker] = document.name if len(others) == 1 else f"{document.name}/{speaker}"
        else:
            mapping[speaker] = speaker
    return mapping
