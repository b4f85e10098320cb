"""Accounts, signed-in sessions and failed sign-ins of a project (revision 0003).

Only hashes are stored: argon2id hashes of passwords (made in ``thematic.services.accounts``)
and SHA-256 hashes of session tokens. Account changes are recorded in the audit history as
notes that never carry a hash, and are not undone by ``undo``. :meth:`Accounts.authorize`
checks the acting account of every audited unit of work (see :mod:`thematic.access`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from thematic import access
from thematic.errors import AccessError, NotFoundError
from thematic.store.audit import UnitOfWork
from thematic.store.base import Aggregate, Reader
from thematic.store.orm import AccountRow, AccountSessionRow, SignInFailureRow, utcnow


@dataclass(frozen=True)
class Account:
    """A person who may sign in: name, role, when made and last changed (password or role)."""

    name: str
    role: str
    created_at: datetime
    changed_at: datetime


def name_key(name: str) -> str:
    """The key names are unique on: case-folded (``Alice`` and ``alice`` are one account)."""
    return name.casefold()


def _account(row: AccountRow) -> Account:
    return Account(row.name, row.role, row.created_at, row.changed_at)


class Accounts(Aggregate):
    """The project's accounts and their sessions."""

    def __init__(self, project_id: int, read: Reader, write: Reader) -> None:
        super().__init__(project_id, read)
        self._write = write

    # ------------------------------------------------------------------ reads
    def exist(self, session: Session | None = None) -> bool:
        """Whether the project has any account (without: single-user, everything allowed)."""
        q = select(AccountRow.id).where(AccountRow.project_id == self.project_id).limit(1)
        if session is not None:
            return session.scalar(q) is not None
        with self.read() as s:
            return s.scalar(q) is not None

    def list(self) -> list[Account]:
        """Every account, by name."""
        with self.read() as s:
            rows = s.scalars(select(AccountRow).where(AccountRow.project_id == self.project_id)
                             .order_by(AccountRow.name_key)).all()
            return [_account(r) for r in rows]

    def get(self, name: str) -> Account | None:
        """The account called ``name`` (any case), or None."""
        with self.read() as s:
            row = self._row(s, name)
            return _account(row) if row else None

    def password_hash(self, name: str) -> str | None:
        """The stored hash of ``name``'s password (None: no such account). For sign-in only."""
        with self.read() as s:
            row = self._row(s, name)
            return row.password_hash if row else None

    def _row(self, s: Session, name: str) -> AccountRow | None:
        return s.scalars(select(AccountRow).where(
            AccountRow.project_id == self.project_id,
            AccountRow.name_key == name_key(name))).first()

    def _need(self, s: Session, name: str) -> AccountRow:
        row = self._row(s, name)
        if row is None:
            raise NotFoundError(f"no account named {name[:64]!r} in this project",
                                remedy="list-accounts")
        return row

    # ------------------------------------------------------------------ authorisation
    def authorize(self, session: Session, actor: str | None, action: str) -> str | None:
        """Check that ``actor`` may make a change of kind ``action``; returns the account's
        own spelling of the name (None and anything when the project has no accounts).

        Raises AccessError: no actor, no such account, or a role that does not allow it.
        """
        return self._check(session, actor, access.permission_for(action), action)

    def require(self, actor: str | None, permission: str, what: str) -> str | None:
        """Check, outside a change, that ``actor`` has ``permission`` (exports, reads that
        need a role); ``what`` names it in the message."""
        with self.read() as s:
            return self._check(s, actor, permission, what)

    def _check(self, session: Session, actor: str | None, permission: str,
               action: str) -> str | None:
        row = self._row(session, actor.strip()) if actor and actor.strip() else None
        if row is None and not self.exist(session):
            return actor
        if not actor or not actor.strip():
            raise AccessError("this project has accounts: say which account is acting",
                              hint="Sign in (in the app), or name your account as the actor.")
        if row is None:
            raise AccessError(f"no account named {actor.strip()[:64]!r} in this project",
                              remedy="list-accounts")
        if not access.allows(row.role, permission):
            needed = access.lowest_role(permission)
            raise AccessError(
                f"{row.name} is {access.a_role(row.role)}: {access.a_role(row.role)} cannot "
                f"{access.PERMISSION_WORDS[permission]} ('{action}')",
                hint=f"An owner can make {row.name} {access.a_role(needed)}.")
        return row.name

    def role_of(self, session: Session, name: str | None) -> str | None:
        """The role of account ``name`` (None: no such account)."""
        row = self._row(session, name) if name else None
        return row.role if row else None

    def owners(self, session: Session) -> int:
        """How many owners the project has."""
        return int(session.scalar(select(func.count(AccountRow.id)).where(
            AccountRow.project_id == self.project_id, AccountRow.role == "owner")) or 0)

    # ------------------------------------------------------------------ writes (audited as notes)
    def add(self, uow: UnitOfWork, name: str, role: str, password_hash: str) -> None:
        """Add an account (the name must be free, any case)."""
        if self._row(uow.session, name) is not None:
            raise AccessError(f"an account named {name!r} exists already",
                              hint="Choose another name, or change its password or role.")
        now = utcnow()
        uow.session.add(AccountRow(project_id=self.project_id, name=name, name_key=name_key(name),
                                   role=role, password_hash=password_hash, created_at=now,
                                   changed_at=now))
        uow.session.flush()
        uow.note("accounts", name, {"change": "add", "role": role})

    def remove(self, uow: UnitOfWork, name: str) -> None:
        """Remove an account; its sessions end with it (its work stays, under its name)."""
        row = self._need(uow.session, name)
        uow.note("accounts", row.name, {"change": "remove", "role": row.role})
        uow.session.delete(row)
        uow.session.flush()

    def set_password(self, uow: UnitOfWork, name: str, password_hash: str) -> None:
        """Change a password; the account's open sessions end."""
        row = self._need(uow.session, name)
        row.password_hash, row.changed_at = password_hash, utcnow()
        uow.session.execute(delete(AccountSessionRow).where(AccountSessionRow.account_id == row.id))
        uow.note("accounts", row.name, {"change": "password"})

    def set_role(self, uow: UnitOfWork, name: str, role: str) -> str:
        """Change a role (it applies to the account's next action); returns the old one."""
        row = self._need(uow.session, name)
        old, row.role = row.role, role
        uow.session.flush()
        uow.note("accounts", row.name, {"change": "role", "role": role, "was": old})
        return old

    # ------------------------------------------------------------------ sessions
    def open_session(self, name: str, token_hash: str, expires_at: datetime) -> Account:
        """Record a signed-in session of ``name``."""
        with self._write() as s, s.begin():
            row = self._need(s, name)
            now = utcnow()
            s.add(AccountSessionRow(token_hash=token_hash, account_id=row.id, created_at=now,
                                    last_seen=now, expires_at=expires_at))
            return _account(row)

    def session_account(self, token_hash: str, idle: timedelta) -> Account | None:
        """The account of a live session (seen within ``idle``, not expired, opened after the
        password last changed), marking it seen now; None for an ended or unknown session."""
        now = utcnow()
        with self._write() as s, s.begin():
            found = s.execute(
                select(AccountSessionRow, AccountRow)
                .join(AccountRow, AccountRow.id == AccountSessionRow.account_id)
                .where(AccountSessionRow.token_hash == token_hash,
                       AccountRow.project_id == self.project_id)).first()
            if found is None:
                return None
            sess, row = found
            if now >= sess.expires_at or now - sess.last_seen > idle or \
                    sess.created_at < row.changed_at:
                s.delete(sess)
                return None
            sess.last_seen = now
            return _account(row)

    def close_session(self, token_hash: str) -> None:
        """End a session (sign out)."""
        with self._write() as s, s.begin():
            s.execute(delete(AccountSessionRow).where(AccountSessionRow.token_hash == token_hash))

    # ------------------------------------------------------------------ failed sign-ins
    def failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        """Failed sign-ins for a name key after ``since``: (count, when the last was)."""
        with self.read() as s:
            row = s.get(SignInFailureRow, (self.project_id, key))
            if row is None or row.last_at < since:
                return 0, None
            return row.failures, row.last_at

    def record_failure(self, key: str, since: datetime) -> int:
        """Count one more failed sign-in for ``key`` (older than ``since`` start afresh)."""
        for attempt in (1, 2):  # two processes may count the first failure of a name at once
            try:
                return self._count_failure(key, since)
            except IntegrityError:
                if attempt == 2:
                    raise
        return 0

    def _count_failure(self, key: str, since: datetime) -> int:
        now = utcnow()
        with self._write() as s, s.begin():
            s.execute(delete(SignInFailureRow).where(
                SignInFailureRow.project_id == self.project_id, SignInFailureRow.last_at < since))
            row = s.get(SignInFailureRow, (self.project_id, key), with_for_update=True)
            if row is None:
                row = SignInFailureRow(project_id=self.project_id, name_key=key, failures=0,
                                       last_at=now)
                s.add(row)
            row.failures, row.last_at = row.failures + 1, now
            return row.failures

    def clear_failures(self, key: str) -> None:
        """Forget the failed sign-ins of ``key`` (after a successful one)."""
        with self._write() as s, s.begin():
            s.execute(delete(SignInFailureRow).where(
                SignInFailureRow.project_id == self.project_id, SignInFailureRow.name_key == key))


__all__ = ["Account", "Accounts", "name_key"]
