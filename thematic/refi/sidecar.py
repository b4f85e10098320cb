"""Check thematic's own sidecar (``thematic/sidecar.json``) before anything in it is believed.

The sidecar restores what REFI-QDA cannot hold (suggestions, decisions, confidence,
evidence, runs, rules ...), so a hand-edited or hostile one could store a coding spanning
``[-50, 1000000000)``, a decision by someone the project never had, a status or rule key
outside our vocabularies, or a rule that breaks every later ``thematic code``. Every value is
checked here, once, at the boundary:

- offsets are whole numbers inside their document's text, ``start < end``;
- statuses, sources and attribute types come from :mod:`thematic.models`' vocabularies;
- a coder or decider must be a user the file declares (``<Users>``): a decision by anyone
  else is not kept (the coding stays, as its REFI coder's, or as a suggestion);
- rules go through the codebook's own validation (the YAML reader and its checks);
- runs, memos, themes, participants and documents must have the shape we write.

What fails is reported on the project's outcomes (one line each) and left out; nothing here
raises.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from thematic.models import ATTRIBUTE_TYPES, SOURCES, STATUSES
from thematic.refi.model import ExProject
from thematic.refi.offsets import shown, whole_number

MEMO_TARGETS = ("project", "document", "code", "theme", "coding")
_TEXT_FIELDS = ("engine", "input_hash", "status", "actor")
_MAP_FIELDS = ("params", "versions", "stats")


def _is_date(value: Any) -> bool:
    if value is None or value in ("", "NaT", "None"):  # older exports wrote pandas' missing time
        return True
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    def __init__(self, ex: ExProject) -> None:
        self.ex = ex
        self.users = {u.name for u in ex.users}
        self.texts = {s.guid: len(s.text) for s in ex.sources}

    def report(self, name: str, reason: str) -> None:
        self.ex.skip("sidecar", name, reason)

    def section(self, side: dict[str, Any], key: str, kind: type) -> Any:
        value = side.get(key)
        if value is None:
            return kind()
        if not isinstance(value, kind):
            self.report(key, f"is not a {'list' if kind is list else 'mapping'}; left out")
            return kind()
        return value

    def decision_fields(self, name: str, record: dict[str, Any]) -> dict[str, Any]:
        """``record`` with its status, source, confidence, evidence, coders and dates checked."""
        out: dict[str, Any] = {}
        for key, value in record.items():
            problem = self.field_problem(key, value)
            if problem is None:
                out[key] = value
            else:
                self.report(name, problem)
        return out

    def field_problem(self, key: str, value: Any) -> str | None:
        if key == "status" and value not in STATUSES:
            return f"unknown status {shown(value)} (one of {', '.join(STATUSES)}); left out"
        if key == "source" and value not in SOURCES:
            return f"unknown source {shown(value)} (one of {', '.join(SOURCES)}); left out"
        if key == "confidence" and value is not None and not (
            isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and 0 <= value <= 1
        ):
            return f"confidence {shown(value)} is not a number from 0 to 1; left out"
        if key == "evidence" and value is not None and not isinstance(value, dict):
            return "its evidence is not a mapping; left out"
        if key in ("coder", "decided_by") and value is not None and not (isinstance(value, str) and value in self.users):
            return (f"{key.replace('_', ' ')} {shown(value, 40)} is not a user the file declares; "
                    "the decision is not kept")
        if key in ("decided_at", "created") and not _is_date(value):
            return f"{key.replace('_', ' ')} {shown(value)} is not a date and time; left out"
        if key == "run_id" and value is not None and not isinstance(value, str) and whole_number(value) is None:
            return f"run id {shown(value)} is not a number or a name; left out"
        return None


def check_sidecar(side: dict[str, Any], ex: ExProject) -> dict[str, Any]:
    """The parts of ``side`` that hold up against ``ex``; the rest reported on ``ex``.

    Parameters
    ----------
    side
        The sidecar as read (its namespace already checked).
    ex
        The project read from the same archive (users, sources and their texts).

    Returns
    -------
    dict
        A sidecar every value of which is of our vocabulary and inside the file.
    """
    check = _Checker(ex)
    out: dict[str, Any] = {"version": side.get("version"), "namespace": side.get("namespace")}
    out["runs"] = _runs(check, check.section(side, "runs", list))
    out["codings"] = _codings(check, check.section(side, "codings", dict))
    out["suggestions"] = _suggestions(check, check.section(side, "suggestions", list))
    out["codes"] = _codes(check, check.section(side, "codes", dict))
    out["documents"] = _documents(check, check.section(side, "documents", dict))
    out["participants"] = _participants(check, check.section(side, "participants", dict))
    out["attribute_types"] = _attribute_types(check, check.section(side, "attribute_types", dict))
    out["memos"] = _memos(check, check.section(side, "memos", dict))
    out["themes"] = _themes(check, check.section(side, "themes", dict))
    return out


def _codings(check: _Checker, codings: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for guid, record in codings.items():
        if not isinstance(record, dict):
            check.report(f"coding {guid}", "is not a mapping; left out")
            continue
        kept = check.decision_fields(f"coding {guid}", record)
        if "decided_by" in record and "decided_by" not in kept:
            kept.pop("status", None)  # REFI says it was accepted by its creating user
            kept.pop("decided_at", None)
        out[guid] = kept
    return out


def _suggestions(check: _Checker, suggestions: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, record in enumerate(suggestions):
        name = f"suggestion {i}"
        if not isinstance(record, dict):
            check.report(name, "is not a mapping; left out")
            continue
        doc, start, end = record.get("document"), record.get("start"), record.get("end")
        if not isinstance(doc, str) or doc not in check.texts:
            check.report(name, "its document is not in the file; left out")
            continue
        if not (isinstance(start, int) and isinstance(end, int) and _is_whole(start) and _is_whole(end)):
            check.report(name, f"offsets [{shown(start)}, {shown(end)}) are not whole numbers; left out")
            continue
        if not 0 <= start < end <= check.texts[doc]:
            check.report(name, f"offsets [{start}, {end}) are not inside its document "
                               f"(0 to {check.texts[doc]}); left out")
            continue
        if not isinstance(record.get("code"), str):
            check.report(name, "its code is not a code id; left out")
            continue
        kept = check.decision_fields(name, record)
        if "decided_by" in record and "decided_by" not in kept and kept.get("status") in ("accepted", "rejected"):
            kept["status"] = "suggested"
            kept.pop("decided_at", None)
            check.report(name, "kept as a suggestion (its decider is not a user of the file)")
        out.append(kept)
    return out


def _runs(check: _Checker, runs: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, run in enumerate(runs):
        name = f"run {i}"
        problem = None
        if not isinstance(run, dict):
            problem = "is not a mapping"
        else:
            bad = [k for k in _TEXT_FIELDS if run.get(k) is not None and not isinstance(run[k], str)]
            bad += [k for k in _MAP_FIELDS if run.get(k) is not None and not isinstance(run[k], dict)]
            if run.get("seed") is not None and not _is_whole(run["seed"]):
                bad.append("seed")
            bad += [k for k in ("started_at", "finished_at") if not _is_date(run.get(k))]
            if bad:
                problem = f"{', '.join(bad)} not of the kind thematic writes"
        if problem is not None:
            check.report(name, f"{problem}; the run is left out (its suggestions keep no run)")
            continue
        out.append(run)
    return out


def _codes(check: _Checker, codes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code_id, extra in codes.items():
        rules = extra.get("rules") if isinstance(extra, dict) else None
        if not rules:
            continue
        problems = rule_problems(code_id, rules)
        if problems:
            for p in problems[:3]:
                check.report(f"rules of code {code_id}", f"{p}; the code's rules are left out")
            continue
        out[code_id] = {"rules": rules}
    return out


def rule_problems(code_id: str, rules: Any) -> list[str]:
    """Why the sidecar rules of a code fail the codebook's own validation (empty when they pass).

    The rules are written as the YAML a researcher would write and read back through the
    codebook reader, so types, keys, kinds, ids and regular expressions are checked exactly
    as for a codebook file.
    """
    import yaml

    from thematic.codebook.loader import parse_codebook_with_warnings
    from thematic.codebook.schema import RULE_FIELDS, RULE_KINDS
    from thematic.errors import CodebookError

    if not isinstance(rules, list):
        return ["rules are not a list"]
    written = []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            return [f"rule {i} is not a mapping"]
        unknown = [str(k) for k in rule if k not in ("kind", "value", *RULE_FIELDS)]
        if unknown:
            return [f"rule {i}: unknown key(s) {', '.join(shown(k) for k in unknown)}"]
        kind = rule.get("kind")
        if not isinstance(kind, str) or kind not in RULE_KINDS:
            return [f"rule {i}: unknown rule kind {shown(kind)}"]
        entry = {k: v for k, v in rule.items() if k not in ("kind", "value")}
        entry[kind] = rule.get("value")
        written.append(entry)
    try:
        text = yaml.safe_dump({"codes": [{"id": "sidecar-code", "name": "code", "definition": "code",
                                          "rules": written}]}, allow_unicode=True)
        parse_codebook_with_warnings(text, source=None)
    except (RecursionError, yaml.YAMLError):
        return ["rules are nested too deeply to be rules"]
    except CodebookError as e:
        found = [p.message for p in (e.problems or []) if p.severity == "error"]
        return [m.replace("codes[0].", "") for m in found] or [e.message]
    return []


def _documents(check: _Checker, documents: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for guid, record in documents.items():
        fmt = record.get("format") if isinstance(record, dict) else None
        if fmt is not None and not (isinstance(fmt, str) and fmt.isalnum() and len(fmt) <= 12):
            check.report(f"document {guid}", f"format {shown(fmt)} is not a file format; left out")
            fmt = None
        out[guid] = {"format": fmt}
    return out


def _participants(check: _Checker, people: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, record in people.items():
        name = record.get("name") if isinstance(record, dict) else None
        if name is not None and not isinstance(name, str):
            check.report(f"participant {key}", "its name is not text; left out")
            name = None
        out[key] = {"name": name}
    return out


def _attribute_types(check: _Checker, types: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, kind in types.items():
        if kind in ATTRIBUTE_TYPES:
            out[name] = kind
        else:
            check.report(f"attribute {name}", f"unknown type {shown(kind)} (one of {', '.join(ATTRIBUTE_TYPES)}); "
                                              "the file's own type is used")
    return out


def _memos(check: _Checker, memos: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for guid, record in memos.items():
        ok = (isinstance(record, dict) and record.get("target_type") in MEMO_TARGETS
              and (record.get("ref") is None or isinstance(record.get("ref"), str)))
        if not ok:
            check.report(f"memo {guid}", "its target is not one thematic writes; the file's own is used")
            continue
        out[guid] = record
    return out


def _themes(check: _Checker, themes: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for guid, record in themes.items():
        if not isinstance(record, dict):
            check.report(f"theme {guid}", "is not a mapping; left out")
            continue
        parent, position = record.get("parent"), record.get("position")
        if parent is not None and not isinstance(parent, str):
            check.report(f"theme {guid}", "its parent is not a theme; left out")
            parent = None
        if position is not None and not _is_whole(position):
            check.report(f"theme {guid}", f"position {shown(position)} is not a whole number; left out")
            position = None
        out[guid] = {"parent": parent, "position": position}
    return out
