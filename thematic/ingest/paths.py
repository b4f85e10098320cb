"""What an import reads: files, folders (searched recursively) and glob patterns.

Rules, so that an import reads what the person meant and nothing else:

- A named file is read whatever its suffix (its reader then says if there is none).
- A folder is searched recursively for supported suffixes, passing over hidden files,
  Office lock files (``~$...``) and READMEs. Symbolic links to folders are not followed, so a
  link loop cannot make it read a file twice or reach outside the folder. A folder holding no
  supported file is an error that lists what it does hold. A file whose link resolves outside
  the folder is passed over.
- A glob pattern (``*``, ``?``, ``[``) is matched below its fixed leading folder only (no
  symlinked folders either); a match that resolves outside that folder is dropped.
- Each file is read once, by its resolved path.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from thematic.errors import IngestError

_MAGIC = frozenset("*?[")


def ignored(path: Path) -> bool:
    """Files a folder import passes over: hidden, Office lock files, READMEs."""
    return path.name.startswith((".", "~$")) or path.stem.upper() in {"README", "LICENSE"}


def _walk(folder: Path) -> Iterator[Path]:
    """Every file below ``folder``, sorted, never following symlinked folders."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            yield Path(root) / name


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _split_glob(text: str) -> tuple[Path, str]:
    """``'a/b/**/*.txt'`` -> ``(Path('a/b'), '**/*.txt')``."""
    parts = Path(text).parts
    fixed: list[str] = []
    for part in parts:
        if _MAGIC & set(part):
            break
        fixed.append(part)
    base = Path(*fixed) if fixed else Path(".")
    rest = str(Path(*parts[len(fixed):])) if len(fixed) < len(parts) else ""
    return base, rest


def _glob(text: str) -> list[Path]:
    base, rest = _split_glob(text)
    if not base.is_dir() or not rest:
        return []
    # pathlib's "**" does not descend into symlinked folders (glob.glob does, and loops)
    return sorted(p for p in base.glob(rest) if p.is_file() and _inside(p, base))


def _what_is_there(folder: Path) -> str:
    kinds = Counter(p.suffix.lower() or "(no suffix)" for p in _walk(folder) if not ignored(p))
    if not kinds:
        return "it holds no files"
    listed = ", ".join(f"{n} {suffix}" for suffix, n in kinds.most_common(6))
    return f"it holds {listed}"


def expand(paths: Iterable[str | Path], suffixes: Sequence[str]) -> list[tuple[Path, bool]]:
    """Resolved files to read, each with whether it was named (True) or found (False).

    Raises
    ------
    IngestError
        A path does not exist, a pattern matches no file, or a folder holds no supported file
        (the message says what it holds and which suffixes are supported).
    """
    found: list[tuple[Path, bool]] = []
    for item in paths:
        text = str(item)
        if _MAGIC & set(text):
            matches = _glob(text)
            if not matches:
                raise IngestError(f"no file matches '{text}'",
                                  hint="Check the pattern (it is matched inside its folder only).")
            found.extend((m, True) for m in matches)
            continue
        path = Path(text)
        if path.is_dir():
            files = [p for p in _walk(path)
                     if p.suffix.lower() in suffixes and not ignored(p) and _inside(p, path)]
            if not files:
                raise IngestError(
                    f"the folder holds no file thematic can read ({_what_is_there(path)})",
                    path=path,
                    hint="Supported: " + ", ".join(suffixes) + ". Convert the files (e.g. .doc "
                    "to .docx) or choose the folder that holds the transcripts.",
                )
            found.extend((p, False) for p in files)
        elif path.exists():
            found.append((path, True))
        else:
            raise IngestError("no such file or folder", path=text, hint="Check the path.")
    unique: dict[Path, bool] = {}
    for p, named in found:
        key = p.resolve()
        unique[key] = unique.get(key, False) or named
    return list(unique.items())


__all__ = ["expand", "ignored"]
