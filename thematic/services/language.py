"""The documents' language and the embedding model chosen for it (suggestion and topic runs).

A run that names no embedding model gets the one for the language of the segments it codes
(:func:`thematic.suggest.languages.choose_backend`: MiniLM for English, a multilingual model
for the other languages); a named model is used as named. Either way the run records
the detected language and whether the model serves it (:class:`LanguageFit`), and the CLI and
the app say it in one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from thematic.models import INTERVIEWER_ROLES
from thematic.suggest.e5_backend import E5_MODEL, E5_NAMES
from thematic.suggest.languages import (
    LanguageFit,
    choose_backend,
    chosen_model,
    detect_language,
    language_fit,
)
from thematic.suggest.use_backend import USE_MODEL, USE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from thematic.store import ProjectStore


def backend_for_texts(backend: Any, texts: Sequence[str], *, random_state: int = 0) -> tuple[Any, LanguageFit]:
    """The embedding backend for a run over ``texts``, and how it fits their language.

    Parameters
    ----------
    backend
        None (choose by language), a name (see
        :func:`thematic.suggest.registry.make_backend`) or a backend object.
    texts
        The segments' texts the run embeds.
    random_state
        Seed of a TF-IDF backend.
    """
    from thematic.suggest.embeddings import TfidfSvdBackend
    from thematic.suggest.registry import make_backend

    guess = detect_language(texts)
    if backend is None:
        chosen = choose_backend(guess)
        if isinstance(chosen, TfidfSvdBackend):
            chosen = TfidfSvdBackend(random_state=random_state)
    else:
        chosen = make_backend(backend, random_state=random_state)
    return chosen, language_fit(chosen, guess)


def project_language(store: ProjectStore, backend: str | None = None) -> LanguageFit:
    """The language of the project's participant turns and how the model a run would use fits
    it: ``backend=None`` is the model chosen for that language, else a model name
    (``"minilm"``, ``"e5"``, ``"tfidf"`` or a sentence-transformers name). Loads no model."""
    frame = store.documents.segments_frame("turn")
    if not frame.empty:
        frame = frame[~frame["role"].isin(sorted(INTERVIEWER_ROLES))]
    guess = detect_language(frame["text"].astype(str).tolist() if not frame.empty else [])
    return language_fit(chosen_model(guess) if backend is None else _model_name(backend), guess)


def _model_name(backend: str) -> str | None:
    key = backend.lower()
    if key in ("tfidf", "tf-idf", "tfidf-svd"):
        return None
    if key in ("minilm", "minilm-fp32", "all-minilm-l6-v2"):
        return "all-MiniLM-L6-v2"
    if key in E5_NAMES:
        return E5_MODEL
    if key in USE_NAMES:
        return USE_MODEL
    return backend
