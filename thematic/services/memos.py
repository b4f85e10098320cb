"""Memos, documents marked as read, and recordings attached to documents.

Each function is one audited transaction (undoable). A memo belongs to the project, a document,
a code, a theme or a coding; its target must exist. A recording (audio or video) is copied
beside the project file, into ``<project>.media/``, and referenced with its SHA-256, so that the
app can play each timestamped turn from its moment.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from pathlib import Path

import pandas as pd

from thematic.errors import NotFoundError, ParameterError, ProjectError
from thematic.models import MEMO_TARGETS
from thematic.store import ProjectStore
from thematic.store.database import sqlite_path

MEDIA_TYPES = ("audio/", "video/")


def _target_id(store: ProjectStore, target: str, target_id: int | str | None) -> str | None:
    if target not in MEMO_TARGETS:
        raise ParameterError(f"a memo's target must be one of {', '.join(MEMO_TARGETS)}. "
                             f"Got {target!r} instead.")
    if target == "project":
        return None
    if target_id is None or str(target_id).strip() == "":
        raise ParameterError(f"a memo on a {target} needs the {target}'s id or name")
    if target == "document":
        return str(store.documents.get(target_id).id)
    if target == "code":
        if not store.codebook.has_code(str(target_id)):
            raise NotFoundError(f"no code '{target_id}' in this project", code_id=str(target_id))
        return str(target_id)
    if target == "coding":
        try:
            number = int(str(target_id).strip())
        except ValueError:
            raise ParameterError(f"a coding id is a number. Got {str(target_id)[:40]!r} instead",
                                 remedy="list-codings") from None
        return str(store.codings.get(number).id)
    return _theme_id(store, str(target_id).strip())


def _theme_id(store: ProjectStore, ref: str) -> str:
    """A theme's id from its name or id; NotFoundError when the project has no such theme."""
    themes = store.themes.frame()
    by_name = dict(zip(themes["name"].astype(str), themes["theme_id"])) if not themes.empty else {}
    ids = {str(t) for t in by_name.values()}
    if ref in by_name:
        return str(by_name[ref])
    if ref in ids:
        return ref
    listed = ", ".join(repr(n) for n in list(by_name)[:8])
    raise NotFoundError(f"no theme {ref[:60]!r} in this project",
                        hint=(f"Themes: {listed}." if listed else "The project has no themes yet; "
                              "add one first."))


def add_memo(store: ProjectStore, body: str, *, actor: str, target: str = "project",
             target_id: int | str | None = None, title: str = "") -> int:
    """Write a memo; returns its id."""
    ref = _target_id(store, target, target_id)
    with store.unit(actor, "add memo") as uow:
        return store.memos.add(uow, target_type=target, target_id=ref, title=title, body=body,
                               author=actor)


def edit_memo(store: ProjectStore, memo_id: int, *, actor: str, title: str | None = None,
              body: str | None = None) -> None:
    """Change a memo's title and/or body."""
    with store.unit(actor, "edit memo") as uow:
        store.memos.edit(uow, memo_id, title=title, body=body)


def delete_memo(store: ProjectStore, memo_id: int, *, actor: str) -> None:
    """Delete a memo."""
    with store.unit(actor, "delete memo") as uow:
        store.memos.delete(uow, memo_id)


def memos(store: ProjectStore, *, target: str | None = None,
          target_id: int | str | None = None) -> pd.DataFrame:
    """Memos (all, or those of one target). Columns: memo_id, target_type, target_id, title,
    body, author, created_at, updated_at."""
    ref = None if target is None or target_id is None else _target_id(store, target, target_id)
    return store.memos.frame(target_type=target, target_id=ref)


def mark_read(store: ProjectStore, document: int | str, *, actor: str, read: bool = True) -> bool:
    """Mark a document as read (or not) by ``actor``; returns whether it changed."""
    doc = store.documents.get(document)
    with store.unit(actor, "mark read" if read else "mark unread") as uow:
        return store.memos.mark_read(uow, doc.id, actor, read=read)


def media_folder(store: ProjectStore) -> Path:
    """Where recordings are kept: ``<project file>.media/`` (or ``./thematic-media`` for a
    project on a database server)."""
    path = sqlite_path(store.url)
    return path.with_name(path.name + ".media") if path is not None else Path("thematic-media")


def attach(store: ProjectStore, document: int | str, media: str | Path, *, actor: str) -> int:
    """Attach an audio or video recording to a document; returns the attachment id.

    The file is copied into :func:`media_folder` under its hash (the same recording attached
    twice is stored once). Raises ParameterError for a file that is not audio or video.
    """
    source = Path(media)
    if not source.is_file():
        raise NotFoundError("no such recording", path=str(source), hint="Give the path of an audio or video file.")
    media_type = mimetypes.guess_type(source.name)[0] or ""
    if not media_type.startswith(MEDIA_TYPES):
        raise ParameterError(f"a recording must be an audio or video file. Got {media_type or 'an unknown type'} instead",
                             path=str(source), hint="Attach .mp3, .m4a, .wav, .ogg, .mp4, .webm or .mov files.")
    doc = store.documents.get(document)
    digest = _sha256(source)
    existing = store.memos.attachments(document_id=doc.id)
    if digest in set(existing["sha256"]):
        return int(existing.loc[existing["sha256"] == digest, "attachment_id"].iloc[0])
    folder = media_folder(store)
    target = folder / f"{digest[:16]}{source.suffix.lower()}"
    copied = not target.exists()
    part = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if copied:
            shutil.copyfile(source, part)
            part.replace(target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ProjectError(f"cannot copy the recording into the project's media folder: "
                           f"{exc.strerror or exc}", path=str(target),
                           hint="Check that the project's folder is writable and has space.") from exc
    try:
        with store.unit(actor, "attach recording") as uow:
            return store.memos.attach(uow, doc.id, path=str(target), sha256=digest,
                                      media_type=media_type)
    except BaseException:
        if copied:  # the project does not hold it: nothing is left on disk either
            target.unlink(missing_ok=True)
        raise


def prune_media(store: ProjectStore) -> list[Path]:
    """Remove recordings in :func:`media_folder` that no attachment refers to any more (after
    an undo); returns the files removed."""
    if sqlite_path(store.url) is None:  # a server's media folder may be shared: leave it
        return []
    folder = media_folder(store)
    if not folder.is_dir():
        return []
    kept = {Path(p).name for p in store.memos.attachments()["path"]}
    removed = []
    for path in folder.iterdir():
        if path.is_file() and path.name not in kept:
            try:
                path.unlink()
                removed.append(path)
            except OSError:  # pragma: no cover - left for the next undo
                continue
    return removed


def attachments(store: ProjectStore, document: int | str | None = None) -> pd.DataFrame:
    """Recordings attached to documents. Columns: attachment_id, document_id, document, path,
    sha256, media_type, added_at."""
    doc_id = store.documents.get(document).id if document is not None else None
    return store.memos.attachments(document_id=doc_id)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
