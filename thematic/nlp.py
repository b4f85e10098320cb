"""The spaCy pipeline thematic uses, loaded once and lazily.

A trained pipeline (``en_core_web_sm`` and friends) is used when installed; otherwise
``spacy.blank(lang)`` with a rule-based ``sentencizer`` and, when ``spacy-lookups-data`` is
installed, a lookup lemmatizer. Nothing is ever downloaded.

spaCy is imported through :func:`import_spacy`, which keeps spaCy's array library (thinc) from
importing PyTorch: none of these pipelines runs on PyTorch, and importing it costs 2-3 s of
every command that reads words (ingest, the rules, the codebook words).
"""

from __future__ import annotations

import logging
import sys
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Token

log = logging.getLogger(__name__)

TRAINED_PIPELINES = {"en": ("en_core_web_sm", "en_core_web_md", "en_core_web_lg")}


#: The packages transformer pipelines run on (through PyTorch): with one of them installed,
#: spaCy is imported as usual.
TRANSFORMER_PACKAGES = ("spacy_transformers", "spacy_curated_transformers")


def import_spacy() -> ModuleType:
    """The ``spacy`` module. Imported first here, it is imported with PyTorch out of sight:
    thinc, spaCy's array library, imports PyTorch whenever it is installed (it is, for the
    fine-tune), yet only transformer pipelines run on it. Unless PyTorch is already loaded or a
    transformer pipeline could be (:data:`TRANSFORMER_PACKAGES` installed). PyTorch stays
    importable afterwards as usual."""
    from importlib.util import find_spec

    if ("spacy" in sys.modules or "torch" in sys.modules
            or any(find_spec(name) is not None for name in TRANSFORMER_PACKAGES)):
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


def load_nlp(lang: str = "en", *, prefer_trained: bool = True) -> Language:
    """Return the shared spaCy pipeline for ``lang``.

    The pipeline always has sentence boundaries (``doc.sents``) and lemmas where a lemmatizer
    is available (``token.lemma_``; empty otherwise, use :func:`lemma_of`).
    """
    return _load_nlp(lang, prefer_trained)


@lru_cache(maxsize=4)
def _load_nlp(lang: str, prefer_trained: bool) -> Language:
    """:func:`load_nlp`, built once per (language, prefer_trained) however it is called."""
    spacy = import_spacy()

    if prefer_trained:
        for name in TRAINED_PIPELINES.get(lang, ()):
            try:
                nlp = spacy.load(name, exclude=["ner"])
            except OSError:
                continue
            log.info("using trained spaCy pipeline %s", name)
            return nlp
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    try:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    except Exception as exc:  # spacy-lookups-data missing: lemmas fall back to lower case
        if "lemmatizer" in nlp.pipe_names:
            nlp.remove_pipe("lemmatizer")
        log.info("no lookup lemmatizer (%s); matching on lower-case text", exc)
    return nlp


def pipeline_info(nlp: Language) -> dict[str, str]:
    """Name, version and components of ``nlp``: recorded with every run."""
    spacy = import_spacy()

    meta = nlp.meta
    return {
        "spacy": spacy.__version__,
        "pipeline": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "pipeline_version": str(meta.get("version", "")),
        "components": ",".join(nlp.pipe_names),
    }


def lemma_of(token: Token) -> str:
    """The token's lower-case lemma, or its lower-case text when there is no lemma."""
    lemma = token.lemma_
    return (lemma or token.text).lower()
