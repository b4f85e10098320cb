"""An exchange project -> what to write into a project (:class:`ImportPlan`), import side.

Pure: the service writes the plan through the store in one transaction. Users become coders;
codes come back with their ids and definition / inclusion / exclusion when the description
is ours; codings are ``accepted`` with source ``import`` and their coder and date (unless our
sidecar says otherwise); cases become participants with typed attributes; notes become memos
(a note on a span becomes a memo on its document that quotes the span); sets become themes.
Every element that cannot be kept is listed in ``dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from thematic.models import Code, Rule
from thematic.refi.convert import attribute_types, codes_from_exchange, our_value
from thematic.refi.model import ExProject, Outcome, OutcomeLog, Unplaced
from thematic.refi.offsets import shown


@dataclass
class PlanDocument:
    """A document to add; ``participants`` are the keys of the cases linked to it."""

    ref: str  # the source guid
    name: str
    text: str
    kind: str
    participants: list[str] = field(default_factory=list)
    format: str | None = None


@dataclass
class PlanCoding:
    """A coding to add on document ``document`` (a source guid)."""

    ref: str  # the coding guid (or a sidecar suggestion's index)
    document: str
    code: str  # our code id
    start: int
    end: int
    coder: str | None
    created: str | None
    source: str = "import"
    status: str = "accepted"
    confidence: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    run: int | None = None  # the run's index in ``ImportPlan.runs``
    decided_by: str | None = None
    decided_at: str | None = None


@dataclass
class PlanMemo:
    """A memo; ``target`` is a source guid, code id, coding ref or theme ref (per ``target_type``)."""

    title: str
    body: str
    target_type: str  # project | document | code | coding | theme
    target: str | None
    author: str | None
    created: str | None


@dataclass
class PlanTheme:
    """A theme with its codes (our ids); ``parent`` is another theme's ref."""

    ref: str
    name: str
    definition: str
    codes: list[str]
    parent: str | None = None
    position: int = 0


@dataclass
class ImportPlan(OutcomeLog):
    """Everything an import writes, and what it could not keep (``outcomes``)."""

    name: str
    origin: str
    coders: list[str]
    codes: list[Code]
    documents: list[PlanDocument]
    codings: list[PlanCoding]
    participants: dict[str, dict[str, Any]]  # key -> {"name": ..., "attributes": {...}}
    attribute_types: dict[str, str]
    memos: list[PlanMemo]
    themes: list[PlanTheme]
    runs: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def summary(self) -> str:
        """One line: what the plan imports."""
        return (
            f"{len(self.documents)} documents, {len(self.codes)} codes, {len(self.codings)} codings, "
            f"{len(self.participants)} participants, {len(self.memos)} memos, {len(self.themes)} themes, "
            f"{len(self.coders)} coders"
        )


def plan_import(ex: ExProject) -> ImportPlan:
    """The plan of importing ``ex`` (its sidecar, when ours, restores what REFI cannot hold)."""
    side = ex.sidecar or {}
    users = {u.guid: u.name for u in ex.users}
    codes, code_ids = codes_from_exchange(ex)
    codes = [_with_rules(c, side.get("codes", {}).get(c.id)) for c in codes]
    by_case = {c.guid: c.name for c in ex.cases}
    plan = ImportPlan(
        name=ex.name,
        origin=ex.origin,
        coders=sorted(set(users.values())),
        codes=codes,
        documents=[],
        codings=[],
        participants={},
        attribute_types={},
        memos=[],
        themes=[],
        runs=list(side.get("runs", [])),
        outcomes=list(ex.outcomes),
        unplaced=list(ex.unplaced),
    )
    docs_side = side.get("documents", {})
    case_docs: dict[str, list[str]] = {}
    for case in ex.cases:
        for g in case.sources:
            case_docs.setdefault(g, []).append(case.name)
    for s in ex.sources:
        plan.documents.append(
            PlanDocument(
                s.guid,
                s.name,
                s.text,
                s.kind,
                case_docs.get(s.guid, []),
                docs_side.get(s.guid, {}).get("format"),
            )
        )
    _codings(ex, plan, side, users, code_ids)
    _participants(ex, plan, side)
    _memos(ex, plan, side, users, code_ids, by_case)
    _themes(ex, plan, side, code_ids)
    return plan


def _with_rules(code: Code, extra: dict[str, Any] | None) -> Code:
    """A code with the match rules our sidecar kept for it (REFI-QDA has no place for them)."""
    if not extra or not extra.get("rules"):
        return code
    rules = tuple(
        Rule(**{**r, "roles": tuple(r["roles"]) if r.get("roles") is not None else None})
        for r in extra["rules"]
    )
    return replace(code, rules=rules)


def _run_index(value: Any, runs: list[dict[str, Any]]) -> int | None:
    if value is None:
        return None
    for i, run in enumerate(runs):
        if run.get("run_id") == value or run.get("id") == value:
            return i
    return None


def _codings(
    ex: ExProject,
    plan: ImportPlan,
    side: dict[str, Any],
    users: dict[str, str],
    code_ids: dict[str, str],
) -> None:
    extra = side.get("codings", {})
    sources = {s.guid for s in ex.sources}
    for c in ex.codings:
        if c.code not in code_ids:
            plan.skip("coding", c.guid, f"its code {c.code} is not in the codebook")
            continue
        if c.source not in sources:
            continue
        coder = users.get(c.coder) if c.coder else None
        more = extra.get(c.guid, {})
        plan.codings.append(
            PlanCoding(
                c.guid,
                c.source,
                code_ids[c.code],
                c.start,
                c.end,
                more.get("coder", coder),
                c.created,
                source=more.get("source", "import"),
                status=more.get("status", "accepted"),
                confidence=more.get("confidence"),
                evidence=more.get("evidence") or {},
                run=_run_index(more.get("run_id"), plan.runs),
                decided_by=more.get("decided_by", coder),
                decided_at=more.get("decided_at", c.created),
            )
        )
    known = set(code_ids.values())
    for i, s in enumerate(side.get("suggestions", [])):
        if s.get("document") not in sources or s.get("code") not in known:
            plan.skip("suggestion", str(i), "its document or code is not imported")
            continue
        plan.codings.append(
            PlanCoding(
                f"suggestion:{i}",
                s["document"],
                s["code"],
                int(s["start"]),
                int(s["end"]),
                s.get("coder"),
                None,
                source=s.get("source") or "import",
                status=s.get("status") or "suggested",
                confidence=s.get("confidence"),
                evidence=s.get("evidence") or {},
                run=_run_index(s.get("run_id"), plan.runs),
                decided_by=s.get("decided_by"),
                decided_at=s.get("decided_at"),
            )
        )


def _participants(ex: ExProject, plan: ImportPlan, side: dict[str, Any]) -> None:
    names = {v.guid: v.name for v in ex.variables}
    plan.attribute_types = attribute_types(ex, side.get("attribute_types"))
    people = side.get("participants", {})
    for case in ex.cases:
        attrs: dict[str, Any] = {}
        for g, v in case.values.items():
            if g not in names or v is None:
                continue
            kind = plan.attribute_types.get(names[g], "text")
            value = our_value(v, kind)
            if not _fits(value, kind):
                plan.convert("case", case.name, f"{names[g]} {shown(value)} is not a {kind}; left out")
                continue
            attrs[names[g]] = value
        if case.name in plan.participants:
            plan.convert("case", case.name, "two cases have this name; their attributes are merged")
            plan.participants[case.name]["attributes"].update(attrs)
            continue
        plan.participants[case.name] = {
            "name": people.get(case.name, {}).get("name"),
            "attributes": attrs,
        }


def _fits(value: Any, kind: str) -> bool:
    """Whether a foreign value can be stored as an attribute of ``kind`` without being lost."""
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "date":
        from datetime import date

        if isinstance(value, date):
            return True
        try:
            date.fromisoformat(str(value)[:10])
        except ValueError:
            return False
    return True


def _memos(
    ex: ExProject,
    plan: ImportPlan,
    side: dict[str, Any],
    users: dict[str, str],
    code_ids: dict[str, str],
    by_case: dict[str, str],
) -> None:
    ours = side.get("memos", {})
    sources = {s.guid: s for s in ex.sources}
    selections = {c.selection: c.guid for c in ex.codings}
    sets = {s.guid for s in ex.sets}
    for n in ex.notes:
        author = users.get(n.creator) if n.creator else None
        kind, target = "project", None
        if n.guid in ours:
            kind, target = ours[n.guid]["target_type"], ours[n.guid]["ref"]
            if kind == "code":
                target = code_ids.get(target)
        elif any(t in selections for t in n.targets):
            kind, target = "coding", next(selections[t] for t in n.targets if t in selections)
        elif n.span is not None and n.span[0] in sources:
            src, start, end = n.span
            quote = " ".join(sources[src].text[start:end].split())
            plan.memos.append(
                PlanMemo(
                    f"{n.name} on “{quote[:60]}” [{start}, {end})",
                    n.text,
                    "document",
                    src,
                    author,
                    n.created,
                )
            )
            continue
        else:
            for t in n.targets:
                if t in sources:
                    kind, target = "document", t
                elif t in code_ids:
                    kind, target = "code", code_ids[t]
                elif t in selections:
                    kind, target = "coding", selections[t]
                elif t in sets:
                    kind, target = "theme", t
                elif t in by_case:
                    plan.convert("note", n.name, f"it is on case '{by_case[t]}'; kept as a project memo")
                else:
                    continue
                break
        plan.memos.append(
            PlanMemo(
                n.name,
                n.text,
                kind if target is not None or kind == "project" else "project",
                target,
                author,
                n.created,
            )
        )


def _themes(
    ex: ExProject, plan: ImportPlan, side: dict[str, Any], code_ids: dict[str, str]
) -> None:
    ours = side.get("themes", {})
    for i, s in enumerate(ex.sets):
        codes = [code_ids[g] for g in s.codes if g in code_ids]
        if s.sources:
            plan.skip("set", s.name, f"its {len(s.sources)} source member(s) (themes group codes)")
        more = ours.get(s.guid, {})
        plan.themes.append(
            PlanTheme(
                s.guid,
                s.name,
                s.description,
                codes,
                more.get("parent"),
                int(more.get("position") if more.get("position") is not None else i),
            )
        )
