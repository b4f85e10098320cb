"""Human-coded corpora for the agreement and learning benchmarks.

Each loader returns a :class:`Corpus`: a built ``thematic`` project (ingested with the
product's own readers and segmenter, cached on disk), its codebook, the evaluation universe at
the ``turn`` and ``sentence`` units, and the people's codings as spans. The corpora:

======== ================================================================= =================
name     what                                                              licence / source
======== ================================================================= =================
sample   the sample study's gold file (3 interviews, 34 codes, sentences)  in this repository
pdpilot  Kerrigan et al., PDPilot user study: 7 interviews coded in MAXQDA BSD-3-Clause, fetched
         by the authors; top-level themes of their code system             at a pinned commit
annomi   Wu et al., AnnoMI: 133 motivational-interviewing dialogues, turns  no licence file:
         annotated by MI experts (client change/sustain talk, therapist     fetched at a pinned
         reflection/question/input)                                         commit, never vendored
serdif   Navarro-Gallinad et al., SERDIF usability study: 17 think-aloud   GPL-3.0, fetched
         sessions with a moderator, 21 Taguette tags (one coder) with      at a pinned commit
         the authors' descriptions
osfocus  Thompson et al., open science in CSD: 4 focus groups of assistant no licence file:
         professors, Word-comment codes nested in 17 subcategories         fetched at a pinned
                                                                           commit, never vendored
napire   NaPiRE 2018 survey: short answers on the effects of requirements- CC-BY-4.0, fetched
         engineering problems, coded by the authors (effect codes in five   at a pinned commit
         categories; examples from pilot respondents). ``napire-pt`` and
         ``napire-es``: the Portuguese and Spanish respondents' answers as
         written; ``napire-pt-en`` (loadable, not in :data:`NAMES`): the
         same Portuguese answers in the English translation the coders read
======== ================================================================= =================

``flakiness``: Gruber & Fraser, test-flakiness survey (ICST 2022), 264 short answers to four
open questions coded by the authors in MAXQDA (195 scored), the themes of their code system as
codes (examples from pilot respondents' answers); no licence file: fetched at a pinned commit,
never vendored.

Fetched corpora are read from ``$THEMATIC_BENCH_CACHE`` (default ``~/.cache/thematic-bench``),
``<cache>/<name>/<commit>/``; nothing is downloaded at run time. :func:`missing_message` says how
to put the files there (``git clone`` + ``git checkout <commit>``).

The codebooks of the public corpora are written the way the held-out study's is (issue 7): a
name and a description holding a definition, ``Use for:`` and ``Not for:``; no rules, no
examples. For ``pdpilot`` the description is the authors' own memo of the theme and the names
of its child codes; for ``annomi`` it paraphrases the annotation scheme's definitions; for
``serdif`` it is the tag's own description (``Not for:`` the opposite tag's, where there is one);
for ``osfocus`` the subcategory's name and the names of its codes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from thematic.analysis import segment_labels
from thematic.models import Code, Codebook

UNITS = ("turn", "sentence")
BUILD_VERSION = "1"  # bump to rebuild cached projects when a loader changes


@dataclass
class Corpus:
    """A human-coded corpus, ingested as a thematic project.

    Attributes
    ----------
    name
        Short name (``sample``, ``pdpilot``, ``annomi``, ``serdif``, ``osfocus``).
    project_path
        The built project file (a cached copy: open a copy to write to it).
    codebook
        The codebook as loaded into the project.
    segments
        Unit (``turn``, ``sentence``) to the evaluation universe: ``project.documents.segments(unit)``
        rows of the coded documents and roles.
    gold
        The people's codings: document, code, start, end (spans in the stored text).
    codes
        The code ids evaluated (codes with at least one gold coding).
    about
        One line on source and licence.
    """

    name: str
    project_path: Path
    codebook: Codebook
    segments: dict[str, pd.DataFrame]
    gold: pd.DataFrame
    codes: list[str]
    about: str
    documents: list[str] = field(default_factory=list)

    def labels(self, unit: str) -> pd.DataFrame:
        """The gold 0/1 matrix of ``unit`` (segment_id x evaluated codes)."""
        return segment_labels(self.segments[unit], self.gold, self.codes)

    def segment_list(self, unit: str) -> list:
        """The evaluation universe of ``unit`` as ``Segment`` objects, each with the
        interviewer's question it answers (``prompt``) and, for turns, their stored sentences,
        as ``thematic code`` gives them."""
        from thematic import Project
        from thematic.suggest.interview_context import attach_prompts, attach_sentences

        with Project.open(self.project_path) as project:
            turns = project.documents.segments("turn")
            sentences = project.documents.segments("sentence") if unit == "turn" else None
        segments = attach_prompts(to_segments(self.segments[unit], unit), to_segments(turns, "turn"))
        if sentences is not None:
            segments = attach_sentences(segments, to_segments(sentences, "sentence"))
        return segments


def cache_root() -> Path:
    """Where fetched corpora and built projects live (outside the repository)."""
    return Path(os.environ.get("THEMATIC_BENCH_CACHE", Path.home() / ".cache" / "thematic-bench"))


def source_dir(name: str, commit: str, repo: str, probe: str) -> Path:
    """The fetched files of a corpus; SystemExit with the fetch commands when missing."""
    folder = cache_root() / name / commit
    if not (folder / probe).exists():
        raise SystemExit(missing_message(name, commit, repo))
    return folder


def missing_message(name: str, commit: str, repo: str) -> str:
    """How to fetch a corpus at its pinned commit into the cache."""
    target = cache_root() / name / commit
    return (
        f"corpus {name!r} is not in {target}. Fetch it once with:\n"
        f"  git clone https://github.com/{repo} /tmp/{name} && "
        f"git -C /tmp/{name} checkout {commit} && mkdir -p {target.parent} && "
        f"cp -r /tmp/{name} {target}"
    )


def code(cid: str, name: str, definition: str, use_for: str = "", not_for: str = "",
         parent: str | None = None) -> Code:
    """A code written like the held-out study's: one description with Use for / Not for."""
    parts = [definition.strip()]
    if use_for:
        parts.append(f"Use for: {use_for.strip()}")
    if not_for:
        parts.append(f"Not for: {not_for.strip()}")
    return Code(id=cid, name=name, parent_id=parent, definition=" ".join(parts))


def write_transcripts(folder: Path, documents: dict[str, list[tuple[str, str]]]) -> None:
    """Write ``{name: [(speaker, text), ...]}`` as ``Speaker: text`` .txt transcripts."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, turns in documents.items():
        lines = [f"{speaker}: {' '.join(text.split())}" for speaker, text in turns if text.strip()]
        (folder / f"{name}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def build_cached(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """A project built once by ``build(path)`` and kept in the cache under ``key``."""
    digest = hashlib.sha256(f"{BUILD_VERSION}:{key}".encode()).hexdigest()[:12]
    path = cache_root() / "projects" / f"{name}-{digest}.thematic"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
            scratch = Path(tmp) / path.name
            build(scratch)
            scratch.replace(path)
    return path


def answer_gold(rows: Sequence[tuple[str, str, int, int]], codes: Sequence[Code],
                min_answers: int) -> tuple[pd.DataFrame, list[str]]:
    """A survey's gold codings (document, code, start, end) from its coded answers, and the codes
    evaluated: those with at least ``min_answers`` coded answers."""
    gold = pd.DataFrame(list(rows), columns=["document", "code", "start", "end"])
    counts = gold.drop_duplicates(["document", "start", "code"])["code"].value_counts()
    return gold, [c.id for c in codes if counts.get(c.id, 0) >= min_answers]


def universe(project_path: Path, documents: Sequence[str], roles: Sequence[str]) -> dict[str, pd.DataFrame]:
    """``project.documents.segments(unit)`` of ``documents`` and speaker ``roles``, for both units."""
    from thematic import Project

    out = {}
    with Project.open(project_path) as project:
        for unit in UNITS:
            frame = project.documents.segments(unit)
            keep = frame["document"].isin(list(documents)) & frame["role"].isin(list(roles))
            out[unit] = frame[keep].reset_index(drop=True)
    return out


@dataclass(frozen=True)
class CorpusInfo:
    """A corpus a module of this package provides.

    ``family``: corpora of one family (a corpus and its variants) are never "another corpus"
    when defaults are chosen leave-one-corpus-out; ``kind``: what the material is
    (``interview``, ``focus group``, ``think-aloud``, ``dialogue``, ``survey``...), from the
    module's ``KIND``; ``language``: from its ``LANGUAGE`` (default ``en``).
    """

    name: str
    loader: Callable[[], Corpus]
    family: str
    kind: str
    language: str = "en"


def registry() -> dict[str, CorpusInfo]:
    """Every corpus of this package: each module with a ``load()`` is one (its name the
    module's), and its ``VARIANTS`` are more of the same family (a variant is a loader, or a
    name that the module's ``load(name)`` takes). A new corpus is one new module; the
    benchmarks pick it up. Kind: the module's ``KIND``, else "interview" for :data:`INTERVIEWS`
    and "survey" for the rest; language: :data:`LANGUAGE`, else the module's ``LANGUAGE``, "en"."""
    import importlib
    import pkgutil
    from functools import partial

    out: dict[str, CorpusInfo] = {}
    for found in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{found.name}")
        if not callable(getattr(module, "load", None)):
            continue
        kind = str(getattr(module, "KIND", "interview" if found.name in INTERVIEWS else "survey"))
        variants = {found.name: module.load}
        for name, loader in getattr(module, "VARIANTS", {}).items():
            variants[name] = loader if callable(loader) else partial(module.load, name)
        for name, loader in variants.items():
            language = LANGUAGE.get(name, str(getattr(module, "LANGUAGE", "en")))
            out[name] = CorpusInfo(name, loader, found.name, kind, language)
    return out


def load(name: str) -> Corpus:
    """Load a corpus by name (any of :func:`registry`)."""
    corpora = registry()
    if name not in corpora:
        raise SystemExit(f"corpus must be one of {sorted(corpora)}. Got {name!r} instead.")
    return corpora[name].loader()


NAMES = ("sample", "pdpilot", "annomi", "serdif", "osfocus", "napire", "napire-pt", "napire-es",
         "flakiness")
INTERVIEWS = ("sample", "pdpilot", "serdif", "osfocus")
"""The corpora of interviews, focus groups and think-aloud sessions (talk, not survey answers)."""
FAMILY = {"sample-defs": "sample", "napire-pt": "napire", "napire-es": "napire",
          "napire-pt-en": "napire"}
"""Variants of one corpus (same codebook and coders): never "another corpus" when a default is
chosen on some corpora and scored on the others."""
LANGUAGE = {"napire-pt": "pt", "napire-es": "es"}
"""The language of a corpus's answers where it is not English."""


def to_segments(frame: pd.DataFrame, unit: str) -> list:
    """``Segment`` objects of a ``project.documents.segments(unit)`` frame (turn ids from document/turn)."""
    from thematic.models import Segment

    return [
        Segment(int(r.segment_id), int(r.document_id), int(r.document_id) * 100_000 + int(r.turn),
                unit, int(r.start), int(r.end), str(r.text), r.speaker, r.role, r.participant)
        for r in frame.itertuples()
    ]


class DiskEmbeddingCache:
    """An ``EmbeddingCache`` in one ``.npz`` file per model under the cache root."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or cache_root()) / "embeddings"
        self._data: dict[str, dict[str, object]] = {}

    def _file(self, model: str) -> Path:
        return self.root / (hashlib.sha256(model.encode()).hexdigest()[:16] + ".npz")

    def _load(self, model: str) -> dict[str, object]:
        if model not in self._data:
            import numpy as np

            path = self._file(model)
            self._data[model] = dict(np.load(path)) if path.exists() else {}
        return self._data[model]

    def get(self, model: str, keys: list[str]) -> dict:
        data = self._load(model)
        return {k: data[k] for k in keys if k in data}

    def put(self, model: str, vectors: dict) -> None:
        """Add vectors; what another process wrote in the meantime is kept (merged on write)."""
        import numpy as np

        data = self._load(model)
        data.update(vectors)
        path = self._file(model)
        if path.exists():  # another benchmark may have added vectors since this one read
            with np.load(path) as on_disk:
                data.update({k: on_disk[k] for k in on_disk.files if k not in data})
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, **data)
        tmp.replace(path)
