"""Accounts and sign-in (``project.accounts``). See :mod:`thematic.services.accounts`."""

from __future__ import annotations

from thematic.project.base import Namespace
from thematic.services import accounts as accounts_service
from thematic.services.accounts import SignedIn
from thematic.store.accounts import Account


class Accounts(Namespace):
    """Who may sign in to the project, and as what (a team server). Without accounts the
    project is single-user and every change is allowed."""

    def list(self) -> list[Account]:
        """The accounts (name, role, created_at, changed_at), by name; never a hash."""
        return accounts_service.accounts(self._store)

    def add(self, name: str, role: str, password: str, *, actor: str) -> Account:
        """Add an account (anyone adds the first, an owner; after that, an owner)."""
        return accounts_service.add_account(self._store, name, role, password, actor=actor)

    def remove(self, name: str, *, actor: str) -> None:
        """Remove an account (an owner's change; the last owner stays)."""
        accounts_service.remove_account(self._store, name, actor=actor)

    def set_password(self, name: str, password: str, *, actor: str) -> None:
        """Change a password (one's own, or anyone's as an owner); its sessions end."""
        accounts_service.set_password(self._store, name, password, actor=actor)

    def set_role(self, name: str, role: str, *, actor: str) -> str:
        """Change an account's role (an owner's change); returns the old role."""
        return accounts_service.set_role(self._store, name, role, actor=actor)

    def sign_in(self, name: str, password: str) -> SignedIn:
        """A new session for a right name and password (AccessError otherwise)."""
        return accounts_service.sign_in(self._store, name, password)

    def sign_in_verified(self, name: str) -> SignedIn:
        """A new session for an identity single sign-on verified (AccessError: no account)."""
        return accounts_service.sign_in_verified(self._store, name)

    def session(self, token: str | None) -> Account | None:
        """The account of a live session, with its current role; None when it ended."""
        return accounts_service.session_account(self._store, token)

    def sign_out(self, token: str | None) -> None:
        """End a session."""
        accounts_service.sign_out(self._store, token)
