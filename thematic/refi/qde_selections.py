"""The sources and selections of a REFI project: text found or reported, codings placed or refused.

Part of :class:`thematic.refi.qde_read` (see there for the quirks handled). A source whose
text is missing, empty or unreadable is skipped with every coding and comment it carries
listed; a PDF whose plain-text representation is missing is read from the PDF itself, and
its selections (counted over the tool's own text) are not trusted. A selection whose offsets
are not whole numbers, fall outside the text or inside a character, or do not cover the
quote it names is refused (``unplaced``); an empty selection is skipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from thematic.errors import ArchiveLimitError, ExchangeError, UnsafeArchiveError
from thematic.refi.model import ExCoding, ExNote, ExProject, ExSource, Unplaced
from thematic.refi.offsets import OffsetMap, choose_convention, shown, whole_number
from thematic.refi.qde_places import Places
from thematic.refi.qde_sources import RawText, representation_text, source_text
from thematic.refi.qde_xml import kid as _kid
from thematic.refi.qde_xml import kids as _kids
from thematic.refi.qde_xml import text_of as _text_of

_LINE_NAME = re.compile(r"^line:\s*\d+$", re.IGNORECASE)
_OFFSETS_IN_ORIGIN = re.compile(r"offsets (\S+)")
_MEDIA = {"PictureSource": "a picture", "AudioSource": "an audio file", "VideoSource": "a video"}
_SELECTIONS = ("PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection",
               "VideoSelection", "TranscriptSelection")


class SourceReader:
    """Reads ``<Sources>`` into ``out`` (mixed into the project reader)."""

    path: Path
    places: Places
    out: ExProject
    note_refs: dict[str, list[str]]
    note_spans: dict[str, tuple[str, int, int]]
    spans: dict[str, tuple[str, int, int]]
    code_names: dict[str, str]
    ambiguous: dict[str, list[str]]

    def _refs(self, el: Any, tag: str, owner: str | None) -> None:
        for ref in _kids(el, tag):
            if ref.get("targetGUID"):
                self.note_refs.setdefault(ref.get("targetGUID"), []).append(owner or "project")

    def _sources(self, root: Any) -> None:
        box = _kid(root, "Sources")
        if box is None:
            return
        kept: list[tuple[Any, Any, RawText, bool]] = []  # (source, holder of selections, text, trusted)
        for el in box:
            name = self._source_name(el)
            if el.tag in _MEDIA:
                self._skip_source(el, name, f"{_MEDIA[el.tag]} (thematic reads text only)")
            elif el.tag == "TextSource":
                text = self._try(lambda el=el, name=name: self._text(el, name), name)
                if isinstance(text, str):
                    self._skip_source(el, name, text)
                else:
                    kept.append((el, el, text, True))
            elif el.tag == "PDFSource":
                self._pdf(el, name, kept)
            else:
                self._skip_source(el, name, f"<{el.tag}> is not a kind of source REFI-QDA 1.5 defines")
        self._place(kept)

    def _source_name(self, el: Any) -> str:
        name = (el.get("name") or "").strip()
        transcript = _kid(el, "Transcript")
        if not name and transcript is not None:  # ATLAS.ti: a media source named by its transcript
            name = (transcript.get("name") or "").strip()
        return name or "source"

    def _try(self, read: Any, name: str) -> RawText | str:
        """The text ``read()`` returns, or why it cannot be had (unsafe archives still stop)."""
        try:
            text: RawText = read()
        except (UnsafeArchiveError, ArchiveLimitError):
            raise
        except ExchangeError as e:
            what = e.message
            for prefix in (f"source '{name}': ", f"source '{name}' "):
                what = what[len(prefix):] if what.startswith(prefix) else what
            return what + (f" ({e.hint.rstrip('.')})" if e.hint else "")
        if not text.text.strip():
            return "its text is empty"
        return text

    def _pdf(self, el: Any, name: str, kept: list[tuple[Any, Any, RawText, bool]]) -> None:
        pdf_selections = _kids(el, "PDFSelection")
        if pdf_selections:
            self._skip_codings(pdf_selections, name, "a PDF area selection (thematic reads text only)")
            self.out.skip("selection", name, f"{len(pdf_selections)} PDF area selection(s) (thematic reads text only)")
        rep = _kid(el, "Representation")
        pdf_path = el.get("path") or el.get("currentPath") or ""
        read_pdf = lambda: representation_text(places=self.places, name=name, path=pdf_path, where=self.path)  # noqa: E731
        if rep is None:
            text = self._try(read_pdf, name)
            if isinstance(text, str):
                self._skip_source(el, name, text)
            else:
                kept.append((el, el, text, True))
            return
        text = self._try(lambda: self._text(rep, name), name)
        if not isinstance(text, str):
            kept.append((el, rep, text, True))
            return
        from_pdf = self._try(read_pdf, name) if pdf_path else "it has no PDF file"
        if isinstance(from_pdf, str):
            self._skip_source(el, name, text)
            return
        self.out.convert("source", name, f"its plain-text representation cannot be read ({text}); its text is read from the PDF")
        self._skip_codings(_kids(rep, "PlainTextSelection"), name,
                           "its offsets count the tool's text of the PDF, which is not in the file")
        kept.append((el, rep, from_pdf, False))

    def _skip_source(self, el: Any, name: str, reason: str) -> None:
        selections = [s for tag in _SELECTIONS for s in el.iter(tag)]
        codings = [c for s in selections for c in _kids(s, "Coding")] + _kids(el, "Coding")
        comments = [s for s in selections if _text_of(s, "Description").strip()]
        lost = [f"{len(codings)} coding(s)"] if codings else []
        lost += [f"{len(comments)} comment(s)"] if comments else []
        more = f"; its {' and '.join(lost)} are not imported" if lost else ""
        self.out.skip("source", name, reason + more)
        for s in comments:
            self.out.skip("comment", name, f"{_text_of(s, 'Description').strip()[:60]!r} at {_where(s)}: "
                                           "its source is not imported")
        self._skip_codings(selections, name, "its source is not imported", whole=_kids(el, "Coding"))

    def _skip_codings(self, selections: list[Any], source: str, reason: str, whole: list[Any] | None = None) -> None:
        for sel in selections:
            where = _where(sel)
            for c in _kids(sel, "Coding"):
                self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on '{source}' at {where}: {reason}")
        for c in whole or []:
            self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on the whole of '{source}': {reason}")

    def _code_of(self, coding: Any) -> str:
        ref = _kid(coding, "CodeRef")
        guid = str(ref.get("targetGUID") or "") if ref is not None else ""
        return f"'{self.code_names.get(guid, guid or 'no code')}'"

    def _place(self, kept: list[tuple[Any, Any, RawText, bool]]) -> None:
        spans = [[_span(s) for s in _kids(h, "PlainTextSelection")] if ok else [] for _, h, _, ok in kept]
        origin = self.out.origin
        declared = _OFFSETS_IN_ORIGIN.search(origin)
        convention = declared.group(1) if declared else choose_convention(
            origin, [t.text for _, _, t, _ in kept],
            [[(a, b) for a, b in ss if a is not None and b is not None] for ss in spans])
        names: Counter[str] = Counter()
        for el, holder, text, trusted in kept:
            omap = OffsetMap(text.text, convention if text.kind == "text" else "codepoint-crlf1")
            name = self._source_name(el)
            names[name] += 1
            if names[name] > 1:
                self.out.convert("source", name, f"several sources are named '{name}'; this one is '{name} ({names[name]})'")
                name = f"{name} ({names[name]})"
            source = ExSource(
                guid=el.get("guid"), name=name, text=omap.text, kind=text.kind,  # type: ignore[arg-type]
                description=_text_of(el, "Description"), creator=el.get("creatingUser"),
                created=el.get("creationDateTime"), modified=el.get("modifiedDateTime"),
            )
            self.out.sources.append(source)
            self.out.conventions[source.guid] = omap.convention
            self._refs(el, "NoteRef", source.guid)
            for coding in _kids(el, "Coding"):  # a coding of the whole source
                self._coding(coding, source, source.guid, 0, len(source.text), None)
            if trusted:
                for sel in _kids(holder, "PlainTextSelection"):
                    self._selection(sel, source, omap)

    def _text(self, el: Any, name: str) -> RawText:
        inline = _kid(el, "PlainTextContent")
        return source_text(
            places=self.places,
            name=name,
            inline=(inline.text or "") if inline is not None else None,
            plain_path=el.get("plainTextPath"),
            rich_path=el.get("richTextPath"),
            where=self.path,
        )

    # ------------------------------------------------------------------ selections
    def _selection(self, sel: Any, source: ExSource, omap: OffsetMap) -> None:
        guid = sel.get("guid")
        raw_s, raw_e = sel.get("startPosition"), sel.get("endPosition")
        s, e = whole_number(raw_s), whole_number(raw_e)
        codings = _kids(sel, "Coding")
        start = omap.to_normalised(s) if s is not None else None
        end = omap.to_normalised(e) if e is not None else None
        reason, wrong = None, True
        if s is None or e is None:
            reason = f"offsets [{shown(raw_s)}, {shown(raw_e)}) are not whole numbers"
        elif start is None or end is None:
            reason = (f"offsets [{s}, {e}) fall outside the source or inside a character "
                      f"(its length is {omap.foreign_length} in {omap.convention})")
        elif s == e or start == end:
            reason, wrong = f"offsets [{s}, {e}) select no text", False
        elif start > end:
            reason = f"offsets [{s}, {e}) end before they start"
        else:
            reason = _quote_mismatch(sel.get("name"), source.text, start, end)
        if reason is not None:
            self._unplaced(sel, source, reason, s, e, wrong=wrong)
            return
        assert start is not None and end is not None
        self.spans[guid] = (source.guid, start, end)
        for coding in codings:
            self._coding(coding, source, guid, start, end, sel)
        if codings:  # a note on a coded selection is a memo on those codings
            self._refs(sel, "NoteRef", guid)
        for ref in _kids(sel, "NoteRef"):
            self.note_spans[ref.get("targetGUID")] = (source.guid, start, end)
        desc = _text_of(sel, "Description").strip()
        if desc:  # MAXQDA, ATLAS.ti: a commented selection, with or without codes
            self.out.notes.append(
                ExNote(
                    guid=guid,
                    name=sel.get("name") or f"Comment on {source.name}",
                    text=desc,
                    creator=sel.get("creatingUser"),
                    created=sel.get("creationDateTime"),
                    targets=[source.guid],
                    span=(source.guid, start, end),
                )
            )

    def _unplaced(self, sel: Any, source: ExSource, reason: str, s: int | None, e: int | None, *, wrong: bool) -> None:
        codings = _kids(sel, "Coding")
        for c in codings:
            if wrong:
                self.out.unplaced.append(
                    Unplaced(source.name, sel.get("guid"), reason, s, e, self._code_of(c).strip("'"), c.get("guid") or "")
                )
            else:
                self.out.skip("coding", c.get("guid") or "", f"{self._code_of(c)} on '{source.name}': {reason}")
        if not codings and (_text_of(sel, "Description").strip() or _kids(sel, "NoteRef")):
            self.out.skip("comment", source.name, f"a comment at [{s}, {e}): {reason}")

    def _coding(self, el: Any, source: ExSource, selection: str, start: int, end: int, sel: Any) -> None:
        ref = _kid(el, "CodeRef")
        code = ref.get("targetGUID") if ref is not None else None
        if code is None:
            self.out.skip("coding", el.get("guid") or "", f"on '{source.name}': it has no CodeRef")
            return
        if code in self.ambiguous:
            names = ", ".join(f"'{n}'" for n in self.ambiguous[code][:5])
            self.out.unplaced.append(Unplaced(
                source.name, selection, f"its code guid {code} names several codes ({names})",
                start, end, names, el.get("guid") or ""))
            return
        user = el.get("creatingUser") or (sel.get("creatingUser") if sel is not None else None)
        created = el.get("creationDateTime") or (sel.get("creationDateTime") if sel is not None else None)
        self.out.codings.append(ExCoding(el.get("guid"), selection, source.guid, code, start, end, user, created))

    # ------------------------------------------------------------------ links, notes, sets


def _where(sel: Any) -> str:
    """Where a selection is, as its tool counts: ``[start, end)``, ``page 2``, or ``[2274, 7000) ms``."""
    if sel.tag == "PDFSelection":
        return f"page {_pos(sel.get('page'))}"
    if sel.tag == "PictureSelection":
        return f"({shown(sel.get('firstX'))}, {shown(sel.get('firstY'))})"
    if sel.tag in ("AudioSelection", "VideoSelection"):
        return f"[{_pos(sel.get('begin'))}, {_pos(sel.get('end'))}) ms"
    return f"[{_pos(sel.get('startPosition'))}, {_pos(sel.get('endPosition'))})"


def _pos(value: Any) -> str:
    number = whole_number(value)
    return str(number) if number is not None else shown(value)


def _span(sel: Any) -> tuple[int | None, int | None]:
    return whole_number(sel.get("startPosition")), whole_number(sel.get("endPosition"))


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return " ".join(text.split())


def _quote_mismatch(name: str | None, text: str, start: int, end: int) -> str | None:
    """Why the selection's name (when it is a quote of the source) does not match its span."""
    if not name or _LINE_NAME.match(name.strip()):
        return None
    quote = _squash(name).rstrip(".…").strip()
    if len(quote) < 4:
        return None
    covered = _squash(text[start:end])
    if covered.startswith(quote) or quote.startswith(covered):
        return None
    if quote in _squash(text):  # the quote is in the source, but not where the offsets point
        return f"the selection's text '{quote[:40]}' is not at its offsets (found '{covered[:40]}')"
    return None  # the name is a label, not a quote
