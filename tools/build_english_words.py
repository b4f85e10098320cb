"""Build ``thematic/data/english_words.txt.gz``: the word list of the candidate-names step.

A word is listed when its lower-case form is at least as frequent as its capitalised form in
spaCy's English lexeme table (``spacy-lookups-data``, ``en_lexeme_prob``) and its log
probability is at least ``--min-logprob`` (rarer words are left out: a rare capitalised word
mid-sentence is worth a look). Names are not listed by construction (``Carol`` is more frequent
than ``carol``). Run again after upgrading spacy-lookups-data::

    python tools/build_english_words.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from importlib.resources import files
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "thematic" / "data" / "english_words.txt.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-logprob", type=float, default=-17.0)
    args = parser.parse_args()
    source = files("spacy_lookups_data") / "data" / "en_lexeme_prob.json.gz"
    with source.open("rb") as raw, gzip.open(raw) as stream:
        probs: dict[str, float] = json.load(stream)
    words = sorted(w for w, lp in probs.items()
                   if re.fullmatch(r"[a-z][a-z'\-]*", w) and lp >= args.min_logprob
                   and lp >= probs.get(w[:1].upper() + w[1:], float("-inf")))
    # mtime=0: the same table gives the same bytes
    TARGET.write_bytes(gzip.compress("\n".join(words).encode() + b"\n", 9, mtime=0))
    print(f"{len(words)} words -> {TARGET}")


if __name__ == "__main__":
    main()
