"""Who may do what in a project with accounts: roles, permissions and the action table.

A project without accounts is single-user and everything is allowed (as before accounts
existed). Once it has accounts, every change names the account making it (the audited unit of
work's ``actor``) and that account's role must allow the change's action:

- **viewer** reads the project, marks documents read, and exports pseudonymised outputs;
- **coder** also codes by hand (also every result of a search), decides suggestions (their
  own decisions in independent review; the one shared decision in shared review), runs
  suggestion engines and topic runs, saves searches, writes memos, imports their own
  codings, exports outputs with names left in, and undoes their own changes;
- **owner** also edits the codebook (add, edit, move, merge, split, delete codes; topic
  adoptions), themes, settings, pseudonyms, participants' attributes and accounts, ingests and
  imports documents,
  records consensus decisions, exports identifying data, and may undo anyone's change.

An action this table does not know needs ``manage`` (an owner): a new kind of change is
closed until someone decides who may make it.

Examples
--------
>>> allows("coder", permission_for("accept"))
True
>>> allows("viewer", permission_for("accept"))
False
>>> permission_for("a new kind of change")
'manage'
"""

from __future__ import annotations

ROLES = ("viewer", "coder", "owner")

READ = "read"                    # see the project: documents, codings, analyses
READ_MARKS = "read marks"        # mark documents read or unread (one's own bookkeeping)
EXPORT = "export"                # pseudonymised outputs
EXPORT_IDENTIFYING = "export identifying"  # outputs with names left in (verbatim, raw tables)
CODE = "code"                    # code by hand, decide suggestions, run engines, memos
MANAGE = "manage"                # codebook, themes, settings, accounts, consensus, documents

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "viewer": frozenset({READ, READ_MARKS, EXPORT}),
    "coder": frozenset({READ, READ_MARKS, EXPORT, EXPORT_IDENTIFYING, CODE}),
    "owner": frozenset({READ, READ_MARKS, EXPORT, EXPORT_IDENTIFYING, CODE, MANAGE}),
}

#: The permission each audited action needs (the ``action`` of ``ProjectStore.unit``).
ACTION_PERMISSIONS: dict[str, str] = {
    # deciding and coding
    "accept": CODE, "reject": CODE, "suggest": CODE, "code": CODE, "edit span": CODE,
    "recode": CODE, "import codings": CODE, "undo": CODE, "topics run": CODE,
    "add memo": CODE, "edit memo": CODE, "delete memo": CODE, "attach recording": CODE,
    "mark read": READ_MARKS, "mark unread": READ_MARKS, "own password": READ,
    "code results": CODE, "code set": CODE, "save set": CODE, "remove set": CODE,
    # the codebook, themes, settings, documents, consensus
    "consensus": MANAGE, "settings": MANAGE, "set role": MANAGE, "ingest": MANAGE,
    "import": MANAGE, "load codebook": MANAGE, "add code": MANAGE, "edit code": MANAGE,
    "move code": MANAGE, "delete code": MANAGE, "merge codes": MANAGE, "split code": MANAGE,
    "adopt topic": MANAGE, "map topic": MANAGE, "merge topics": MANAGE,
    "rename topic": MANAGE, "reject topic": MANAGE,
    "add theme": MANAGE, "edit theme": MANAGE, "remove theme": MANAGE,
    "add theme quote": MANAGE, "remove theme quote": MANAGE, "framework summary": MANAGE,
    "pseudonym": MANAGE, "remove pseudonym": MANAGE, "confirm names": MANAGE,
    "edit pseudonym list": MANAGE, "edit attributes": MANAGE, "add attribute": MANAGE,
    "accounts": MANAGE,
}

#: What each permission lets a person do, for messages ("a viewer cannot <this>").
PERMISSION_WORDS = {
    READ: "read the project", READ_MARKS: "mark documents read", EXPORT: "export",
    EXPORT_IDENTIFYING: "export outputs that are not pseudonymised",
    CODE: "code or decide", MANAGE: "change the codebook, themes, settings or accounts",
}


def permission_for(action: str) -> str:
    """The permission an audited action needs (unknown actions: ``manage``)."""
    return ACTION_PERMISSIONS.get(action, MANAGE)


def allows(role: str | None, permission: str) -> bool:
    """Whether ``role`` has ``permission`` (an unknown role has none)."""
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())


def lowest_role(permission: str) -> str:
    """The least role that has ``permission`` (for hints: "ask an owner")."""
    return next((r for r in ROLES if allows(r, permission)), "owner")


def a_role(role: str) -> str:
    """The role with its article: "a coder", "an owner"."""
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"


__all__ = ["a_role", "ACTION_PERMISSIONS", "CODE", "EXPORT", "EXPORT_IDENTIFYING", "MANAGE", "READ",
           "READ_MARKS", "ROLES", "ROLE_PERMISSIONS", "allows", "lowest_role",
           "permission_for"]
