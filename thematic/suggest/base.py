"""The contract every suggestion engine follows, and small helpers they share.

An engine turns segments and a codebook into :class:`~thematic.models.Suggestion` objects.
It is configured once (parameters stored in ``__init__`` without logic, scikit-learn style),
reports that configuration with :meth:`Engine.get_params` and the library and model versions
with :meth:`Engine.versions`, so that a run can be stored and repeated (DESIGN invariant 3).
Engines never persist anything and never print; progress goes through a callback.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from thematic.errors import ParameterError
from thematic.models import Code, Codebook, Segment, Suggestion
from thematic.progress import Progress  # noqa: E402  (the one progress signature)


@runtime_checkable
class Engine(Protocol):
    """A suggestion engine.

    Attributes
    ----------
    name
        The engine's name; also the ``source`` of the suggestions it makes.
    """

    name: str

    def get_params(self) -> dict[str, Any]:
        """The engine's configuration, JSON-serialisable, enough to rebuild it."""
        ...

    def versions(self) -> dict[str, str]:
        """Versions of the libraries and models the engine uses."""
        ...

    def suggest(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        *,
        progress: Progress | None = None,
    ) -> list[Suggestion]:
        """Suggest codes for ``segments`` (the caller already chose which segments to code)."""
        ...


@runtime_checkable
class FittableEngine(Engine, Protocol):
    """An engine that learns from the analyst's decisions before it suggests (scikit-learn
    style: parameters in ``__init__``, ``fit`` returns ``self``, learned state ends in ``_``,
    randomness from a ``random_state`` parameter, never from global seeds).

    The suggestion service calls ``fit`` with the project's labelled segments before
    ``suggest``; the run records the engine's parameters and what it was fitted on.
    """

    def fit(
        self,
        segments: Sequence[Segment],
        codebook: Codebook,
        labels: Any,
    ) -> FittableEngine:
        """Learn from ``labels``: a DataFrame with columns segment_id, code, label (1: the
        code applies, 0: it does not) and weight (rejected suggestions and hand codings weigh
        1; segments coded only with other codes less)."""
        ...


@runtime_checkable
class ReportingEngine(Engine, Protocol):
    """An engine that says, per code, what it did in its last run and why."""

    def code_report(self) -> Any:
        """A DataFrame with columns ``code`` and ``why`` (and any others the engine has)."""
        ...


class ParamsMixin:
    """``get_params``/``set_params``/``repr`` from the ``__init__`` signature (scikit-learn style).

    Every ``__init__`` parameter must be stored under the same attribute name. Values that
    are not JSON scalars are described by :func:`describe_param` so that ``get_params()`` can
    be stored with a run.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self) -> dict[str, Any]:
        """The ``__init__`` parameters, JSON-serialisable.

        Returns
        -------
        dict
            Parameter name to value; objects (backends, caches, pipelines) are described by
            their name and their own parameters.
        """
        return {name: describe_param(getattr(self, name)) for name in self._param_names()}

    def set_params(self, **params: Any) -> ParamsMixin:
        """Set ``__init__`` parameters; returns ``self``.

        Raises
        ------
        ValueError
            If a name is not a parameter of this engine.
        """
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ParameterError(
                    f"{key!r} must be one of the parameters {sorted(valid)}. Got {key!r} instead."
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._param_names())
        return f"{type(self).__name__}({args})"


def describe_param(value: Any) -> Any:
    """A JSON-serialisable description of a parameter value.

    Scalars, lists and dicts of scalars are returned as they are; an object with
    ``get_params`` becomes ``{"class": ..., "name": ..., "params": ...}``; a spaCy pipeline is
    described by its meta; anything else by its class name.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [describe_param(v) for v in value]
    if isinstance(value, dict):
        return {str(k): describe_param(v) for k, v in value.items()}
    if hasattr(value, "get_params"):
        out: dict[str, Any] = {"class": type(value).__name__, "params": value.get_params()}
        name = getattr(value, "name", None)
        if isinstance(name, str):
            out["name"] = name
        return out
    if hasattr(value, "pipe_names") and hasattr(value, "meta"):
        meta = value.meta
        return {"class": "Language", "pipeline": f"{meta.get('lang', '')}_{meta.get('name', '')}"}
    return {"class": type(value).__name__}


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> None:
    """Raise ``ValueError`` "``name`` must be X. Got Y instead." unless ``value`` is in range."""
    kind = "an integer" if integer else "a number"
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type:
        raise ParameterError(f"{name} must be {kind}. Got {value!r} instead.")
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ParameterError(f"{name} must be {kind} in [{lo}, {hi}]. Got {value!r} instead.")


def codebook_key(codebook: Codebook) -> str:
    """The codebook's content hash, or a hash of its codes when it has none."""
    if codebook.content_hash:
        return codebook.content_hash
    payload = json.dumps(
        [_code_payload(c) for c in codebook.codes], sort_keys=True, default=repr
    ).encode("utf-8")
    return "sha256:" + hashlib.sha256(payload).hexdigest()


def _code_payload(code: Code) -> list[Any]:
    return [
        code.id,
        code.name,
        code.parent_id,
        code.definition,
        code.inclusion,
        code.exclusion,
        [[e.text, e.kind] for e in code.examples],
        [[r.id, r.kind, r.value, r.exclude, r.roles, r.weight] for r in code.rules],
    ]


def text_key(text: str) -> str:
    """The cache key of a text: the hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report(progress: Progress | None, done: int, total: int, stage: str = "suggest") -> None:
    """Call ``progress(stage, done, total)`` when a callback is given."""
    if progress is not None:
        progress(stage, done, total)


def installed_versions(*distributions: str) -> dict[str, str]:
    """The installed version of each of ``distributions`` (those not installed are left out)."""
    import importlib.metadata as md

    out = {}
    for dist in distributions:
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            continue
    return out
