"""Themes: build themes and subthemes from codes, choose their quotes, chart framework cells.

Each function checks everything first (nothing is written when a check fails) and then makes
its change in one audited unit of work, undone by ``project.review.undo()``. A theme's extracts,
participants and documents follow from its codes' accepted codings (see
:mod:`thematic.analysis`); exemplar quotes must be accepted codings of the theme's own codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from thematic.errors import NotFoundError, ParameterError, ReviewError
from thematic.store import ProjectStore

_KEEP = object()  # "leave unchanged" for edit_theme's parent


def _name(value: str, what: str = "theme name") -> str:
    name = str(value or "").strip()
    if not name:
        raise ParameterError(f"a {what} must not be empty. Got {value!r} instead.")
    if len(name) > 300:
        raise ParameterError(f"a {what} must be at most 300 characters. Got {len(name)}.")
    return name


def _code_ids(store: ProjectStore, codes: Sequence[str]) -> list[int]:
    keys = [str(c).strip() for c in codes if str(c).strip()]
    with store.read() as s:
        found = store.themes.code_ids(s, keys)
    missing = [k for k in keys if k not in found]
    if missing:
        raise NotFoundError(f"code(s) {', '.join(missing)} are not in the codebook",
                            remedy="list-codes")
    return [found[k] for k in keys]


def _check_parent(store: ProjectStore, parent: str | None, theme_id: int | None) -> int | None:
    """The parent's row id; refuses a parent that is the theme itself or inside it."""
    if parent is None or str(parent).strip() == "":
        return None
    with store.read() as s:
        parent_row = store.themes.row(s, str(parent).strip())
        parents = store.themes.parents(s)
    if theme_id is not None:
        node: int | None = parent_row.id
        while node is not None:
            if node == theme_id:
                raise ReviewError(f"theme {parent_row.name!r} cannot be the parent: it is the "
                                  "theme itself or one of its subthemes (a cycle)",
                                  hint="Choose a parent outside the theme's own tree.")
            node = parents.get(node)
    return int(parent_row.id)


def add_theme(store: ProjectStore, name: str, *, codes: Sequence[str] = (),
              parent: str | None = None, definition: str = "", position: int | None = None,
              actor: str) -> int:
    """Add a theme (or a subtheme of ``parent``) grouping ``codes``; returns its id.

    Raises
    ------
    ParameterError
        An empty name.
    ReviewError
        A theme of that name exists.
    NotFoundError
        A code or the parent does not exist.
    """
    name = _name(name)
    with store.read() as s:
        if store.themes.by_name(s, name) is not None:
            raise ReviewError(f"a theme called {name!r} already exists",
                              hint="Choose another name, or edit that theme.")
    code_ids = _code_ids(store, codes)
    parent_id = _check_parent(store, parent, None)
    with store.unit(actor, "add theme") as uow:
        theme_id = store.themes.add(uow, name=name, parent_id=parent_id,
                                    definition=definition or "", position=position)
        store.themes.set_codes(uow, theme_id, code_ids)
    return theme_id


def edit_theme(store: ProjectStore, name: str, *, new_name: str | None = None,
               parent: object = _KEEP, definition: str | None = None,
               position: int | None = None, codes: Sequence[str] | None = None,
               add_codes: Sequence[str] = (), remove_codes: Sequence[str] = (),
               actor: str) -> None:
    """Rename, move (``parent``: a theme name, or None for the top level), redefine, reorder,
    or change the codes of a theme (``codes`` replaces them; ``add_codes`` and
    ``remove_codes`` change them).

    Raises
    ------
    NotFoundError
        The theme, a code or the new parent does not exist.
    ReviewError
        The new name is taken, or the new parent is inside the theme (a cycle).
    """
    with store.read() as s:
        theme = store.themes.row(s, name)
        theme_id, current = int(theme.id), store.themes.theme_code_ids(s, theme.id)
        changes: dict[str, object] = {}
        if new_name is not None and _name(new_name) != theme.name:
            if store.themes.by_name(s, _name(new_name)) is not None:
                raise ReviewError(f"a theme called {_name(new_name)!r} already exists",
                                  hint="Choose another name.")
            changes["name"] = _name(new_name)
    if parent is not _KEEP:
        changes["parent_id"] = _check_parent(store, parent if parent is None else str(parent),
                                             theme_id)
    if definition is not None:
        changes["definition"] = definition
    if position is not None:
        if not isinstance(position, int):
            raise ParameterError(f"position must be an integer. Got {position!r} instead.")
        changes["position"] = position
    new_codes: list[int] | None = None
    if codes is not None or add_codes or remove_codes:
        base = _code_ids(store, codes) if codes is not None else sorted(current)
        drop = set(_code_ids(store, remove_codes))
        new_codes = [c for c in [*base, *_code_ids(store, add_codes)] if c not in drop]
    if not changes and new_codes is None:
        raise ParameterError(f"nothing to change for theme {name!r}. Give a new name, parent, "
                             "definition, position or codes.")
    with store.unit(actor, "edit theme") as uow:
        if changes:
            store.themes.update(uow, theme_id, **changes)
        if new_codes is not None:
            store.themes.set_codes(uow, theme_id, new_codes)


def remove_theme(store: ProjectStore, name: str, *, actor: str) -> list[str]:
    """Remove a theme with its subthemes, quotes and summaries (codes and codings stay).

    Returns the names removed, subthemes first.
    """
    with store.read() as s:
        theme_id = int(store.themes.row(s, name).id)
    with store.unit(actor, "remove theme") as uow:
        return store.themes.delete(uow, theme_id)


def add_theme_quote(store: ProjectStore, theme: str, coding_id: int, *,
                    actor: str) -> bool:
    """Choose an accepted coding of one of the theme's own codes as an exemplar quote.

    Returns False when it was already chosen.

    Raises
    ------
    ReviewError
        The coding is not accepted, or its code is not one of the theme's codes.
    """
    with store.read() as s:
        row = store.themes.row(s, theme)
        code_row_id, code_key, status = store.themes.coding(s, int(coding_id))
        own = store.themes.theme_code_ids(s, row.id)
        theme_id = int(row.id)
    own_keys = sorted(store.themes.codes_frame().query("theme == @theme")["code"])
    if code_row_id not in own:
        raise ReviewError(f"coding {coding_id} is coded {code_key!r}, which is not a code of "
                          f"theme {theme!r} (its codes: {', '.join(own_keys) or 'none'})",
                          hint="Choose a quote among the theme's own codes' accepted codings.")
    if status != "accepted":
        raise ReviewError(f"coding {coding_id} is {status}, not accepted",
                          hint="Only accepted codings can be a theme's quotes; accept it first.")
    with store.unit(actor, "add theme quote") as uow:
        return store.themes.add_quote(uow, theme_id, int(coding_id))


def remove_theme_quote(store: ProjectStore, theme: str, coding_id: int, *,
                       actor: str) -> bool:
    """Remove an exemplar quote of a theme; False when it was not one."""
    with store.read() as s:
        theme_id = int(store.themes.row(s, theme).id)
    with store.unit(actor, "remove theme quote") as uow:
        return store.themes.remove_quote(uow, theme_id, int(coding_id))


def set_framework_summary(store: ProjectStore, participant: str, summary: str, *,
                          theme: str | None = None, code: str | None = None,
                          quote_ids: Sequence[int] = (), actor: str) -> None:
    """Write the analyst's summary of one framework cell (participant x theme, or x code).

    Raises
    ------
    ParameterError
        Neither or both of ``theme`` and ``code``.
    NotFoundError
        The participant, theme, code or a quoted coding does not exist.
    """
    if (theme is None) == (code is None):
        raise ParameterError("a framework summary is for one theme or one code. Got "
                             f"theme={theme!r}, code={code!r} instead.")
    with store.read() as s:
        participant_id = store.themes.participant_id(s, str(participant))
        theme_id = int(store.themes.row(s, theme).id) if theme is not None else None
        for coding_id in quote_ids:
            store.themes.coding(s, int(coding_id))
    code_id = _code_ids(store, [code])[0] if code is not None else None
    with store.unit(actor, "framework summary") as uow:
        store.themes.set_summary(uow, participant_id=participant_id, theme_id=theme_id,
                                 code_id=code_id, summary=str(summary or ""),
                                 quote_ids=[int(q) for q in quote_ids], author=actor)
