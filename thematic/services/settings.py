"""A project's settings and its speakers' roles: each change one audited transaction by ``actor``.

The settings and their defaults are :class:`thematic.models.Settings`; every value is checked
against the vocabulary of :mod:`thematic.models` before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

from thematic.errors import NotFoundError, ParameterError
from thematic.models import APPROACHES, REVIEW_MODES, SPEAKER_ROLES, UNITS, Settings
from thematic.store import ProjectStore

__all__ = ["set_approach", "set_interviewers", "set_review_mode", "set_speaker_role", "set_unit"]


def _one_of(what: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ParameterError(f"{what} must be one of {', '.join(allowed)}. Got {value!r} instead.")
    return value


def set_unit(store: ProjectStore, unit: str, *, actor: str) -> Settings:
    """The unit of coding and analysis: "turn" or "sentence"."""
    _one_of("unit", unit, UNITS)
    with store.unit(actor, "settings") as uow:
        return store.update_settings(uow, unit=unit)


def set_approach(store: ProjectStore, approach: str, *, actor: str) -> Settings:
    """The study's approach: "reflexive", "codebook" or "coding-reliability".

    Coding-reliability studies compare coders (agreement); reflexive ones do not.
    """
    _one_of("approach", approach, APPROACHES)
    with store.unit(actor, "settings") as uow:
        return store.update_settings(uow, approach=approach)


def set_review_mode(store: ProjectStore, mode: str, *, actor: str) -> Settings:
    """Shared review (one current decision, anyone may change it) or independent review (one
    decision per coder, then a consensus)."""
    _one_of("review mode", mode, REVIEW_MODES)
    with store.unit(actor, "settings") as uow:
        return store.update_settings(uow, review_mode=mode)


def set_interviewers(store: ProjectStore, names: Sequence[str], *, actor: str) -> Settings:
    """Speaker labels that are always interviewers (applied to the existing turns too)."""
    with store.unit(actor, "settings") as uow:
        settings = store.update_settings(uow, interviewers=list(names))
        for name in names:
            store.documents.set_speaker_role(uow, name, "interviewer")
        return settings


def set_speaker_role(store: ProjectStore, speaker: str, role: str, *, actor: str) -> int:
    """Override the detected role of a speaker label everywhere. Returns the turns changed.

    Raises
    ------
    ParameterError
        ``role`` is not one of :data:`~thematic.models.SPEAKER_ROLES`.
    NotFoundError
        No turn of the project has the speaker label ``speaker`` (the message lists some).
    """
    if role not in SPEAKER_ROLES:
        raise ParameterError(f"role must be one of {', '.join(SPEAKER_ROLES)}. "
                             f"Got {role[:40]!r} instead.")
    known = store.documents.speaker_roles()
    if speaker not in known:
        close = get_close_matches(speaker, [k for k in known if k], n=3)
        raise NotFoundError(
            f"no turn has the speaker label {speaker!r}",
            hint=(f"Did you mean {', '.join(map(repr, close))}? " if close else "")
            + "Each document lists its speakers; labels are case-sensitive.",
        )
    with store.unit(actor, "set role") as uow:
        return store.documents.set_speaker_role(uow, speaker, role)
