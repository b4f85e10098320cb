"""Benchmark: wall and processor time of one fine-tune of MiniLM at the product's defaults.

The fine-tune's cost is capped by its steps (``EncoderFineTuner.max_steps`` of ``batch_size``
pairs, texts cut at 64 tokens), not by the number of decisions: a project with 160 or 5,000
decisions trains the same 120 steps once it has enough pairs. The pairs here come from the
sample transcripts' turns (about 250 characters each, so most fill the 64 tokens) with seeded
codes and decisions; only their number and length matter for the time.

    python benchmarks/bench_finetune_speed.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thematic.suggest.finetune import EncoderFineTuner, contrastive_pairs  # noqa: E402


def turn_texts(limit: int = 500) -> list[str]:
    """Turns of the sample transcripts longer than 60 characters, without their speaker label."""
    texts = []
    for path in sorted((ROOT / "transcripts_sample").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) > 60 and ":" in line[:30]:
                texts.append(line.split(":", 1)[1].strip())
    return texts[:limit]


def main() -> None:
    texts = turn_texts()
    rng = np.random.default_rng(0)
    labels = pd.DataFrame([(i, f"c{rng.integers(10)}", int(rng.random() < 0.5), 1.0, "decision")
                           for i in range(len(texts))], columns=["segment_id", "code", "label", "weight", "kind"])
    pairs = contrastive_pairs(dict(enumerate(texts)), labels)
    tuner = EncoderFineTuner()
    print(f"{len(texts)} decisions, {len(pairs)} pairs, mean {int(np.mean([len(t) for t in texts]))} characters; "
          f"{tuner.max_steps} steps of {tuner.batch_size} pairs at most; {os.cpu_count()} cores")
    t0, c0 = time.perf_counter(), time.process_time()
    tuner.fit(pairs, Path(tempfile.mkdtemp()) / "model")
    print(f"fine-tune: wall {time.perf_counter() - t0:.1f} s, processor {time.process_time() - c0:.1f} s")


if __name__ == "__main__":
    main()
