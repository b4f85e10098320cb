"""Transformers and the Hugging Face hub, kept off the researcher's terminal.

The library never prints: loading or exporting a model shows no weight-loading progress bars and
no warnings meant for model developers. Offline by default (nothing is downloaded at run time).
"""

from __future__ import annotations

import os


def quiet_transformers() -> None:
    """Offline mode and no progress bars or info logs from ``transformers`` (when installed)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # sentence-transformers and the ONNX export need it; nothing to quiet
        return
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
