"""The project as pseudonymised outputs see it: every frame cites public ids.

:class:`PublicView` wraps a project (anything with ``participants()``, ``documents()``,
``document()``, ``codings()``, ``segments()`` ...) and a
:class:`~thematic.pseudonymise.Pseudonymiser` that carries :class:`~thematic.public_ids.PublicIds`.
Its frames name documents, participants and speakers by public id and drop participants' names
and file paths, so an exporter that reads the view cannot cite ``P01_dana`` or ``Dana``. Texts
(quotes, transcripts) stay as stored: exporters pseudonymise them and record each replacement.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from thematic.errors import NotFoundError
from thematic.pseudonymise import Pseudonymiser
from thematic.public_ids import PublicIds

__all__ = ["PublicView", "public_view"]


class PublicView:
    """Read methods of ``project`` with public ids; anything else is the project's own."""

    def __init__(self, project: Any, ids: PublicIds) -> None:
        self._project = project
        self.public_ids = ids
        self._names = {v: k for k, v in ids.documents.items()}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._project, name)

    def participants(self) -> pd.DataFrame:
        return self.public_ids.frame(self._project.participants())

    def documents(self) -> pd.DataFrame:
        return self.public_ids.frame(self._project.documents())

    def codings(self, **options: Any) -> pd.DataFrame:
        if isinstance(options.get("document"), str):
            options["document"] = self._stored(options["document"])
        return self.public_ids.frame(self._project.codings(**options))

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        return self.public_ids.frame(self._project.segments(unit))

    def framework_summaries(self) -> pd.DataFrame:
        return self.public_ids.frame(self._project.framework_summaries())

    def document(self, ref: int | str) -> Any:
        """The stored document, named by its public id (its original file name left out)."""
        stored = self._project.document(self._stored(ref) if isinstance(ref, str) else ref)
        return dataclasses.replace(stored, name=self.public_ids.document(stored.name),
                                   original_name="")

    def _stored(self, public: str) -> str:
        if public not in self._names:
            raise NotFoundError(f"no document cited as {public!r}",
                                hint="Use the public ids the outputs cite (P01, D01...).")
        return self._names[public]


def public_view(project: Any, pseudonymiser: Pseudonymiser | None) -> Any:
    """``project`` seen through ``pseudonymiser``'s public ids (the project itself when None)."""
    if pseudonymiser is None or pseudonymiser.public is None:
        return project
    return PublicView(project, pseudonymiser.public)
