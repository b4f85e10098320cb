"""Accounts and sign-in: who may open a project on a team server, and as what.

Passwords are hashed with argon2id (``argon2-cffi``'s RFC 9106 defaults: memory-hard, salted)
and never stored, printed nor logged; a password is only ever compared through the hash.
Signing in answers a wrong password and an unknown name alike, in the same time (an unknown
name is verified against a hash of a random password), and slows repeated failures down per
name. A session is a random token given to the signed-in browser; the store keeps only its
SHA-256, and the session ends when it has been idle too long, is too old, when the account's
password changes or when the account is removed. A role change applies to the next action.

The first account must be an owner (someone must be able to manage the others); after that
only an owner adds, removes or changes accounts, and the last owner cannot be removed or
lowered.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import regex

from thematic import access
from thematic.errors import AccessError, ParameterError
from thematic.store import ProjectStore
from thematic.store.accounts import Account, name_key

log = logging.getLogger(__name__)

NAME_PATTERN = regex.compile(r"^\w[\w.@+-]{0,63}$")
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
#: the one answer to a failed sign-in, whether the name or the password was wrong
WRONG = "wrong username or password"
FREE_FAILURES = 3                   # failures per name before sign-in slows down
MAX_WAIT = timedelta(seconds=60)    # the longest wait between two attempts
FAILURE_MEMORY = timedelta(minutes=15)
IDLE = timedelta(minutes=60)        # a session unused this long ends
LIFETIME = timedelta(hours=12)      # a session ends this long after sign-in whatever happens


@dataclass(frozen=True)
class SignedIn:
    """A signed-in session: its token (give it back to :func:`session_account`) and account."""

    token: str
    account: Account
    expires_at: datetime


# ---------------------------------------------------------------------------- checks
def check_name(name: str) -> str:
    """A valid account name (NFC): a letter or digit, then letters, digits, ``. _ @ + -``;
    at most 64 characters. Raises ParameterError (without echoing a long name)."""
    text = unicodedata.normalize("NFC", str(name or "").strip())
    if not NAME_PATTERN.match(text) or len(name_key(text)) > 64:
        shown = repr(text[:40]) + ("..." if len(text) > 40 else "")
        raise ParameterError(f"an account name must be 1-64 letters, digits or . _ @ + - "
                             f"(starting with a letter or digit). Got {shown} instead.")
    return text


def check_role(role: str) -> str:
    """One of :data:`thematic.access.ROLES`."""
    if role not in access.ROLES:
        raise ParameterError(f"role must be one of {', '.join(access.ROLES)}. Got {role!r} instead.")
    return role


def check_password(password: str) -> str:
    """A password of 8-1024 characters, not only spaces; the message never shows it."""
    if not isinstance(password, str) or not password.strip():
        raise ParameterError("the password is empty", hint="Give one of at least 8 characters.")
    if len(password) < MIN_PASSWORD:
        raise ParameterError(f"the password is too short ({len(password)} characters)",
                             hint=f"Give one of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise ParameterError(f"the password is too long ({len(password)} characters)",
                             hint=f"Give one of at most {MAX_PASSWORD} characters.")
    return password


def read_password_file(path: str | Path) -> str:
    """The password in a file: its first line, without the line break."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"cannot read the password file ({exc.__class__.__name__})",
                             path=path) from None
    return text.splitlines()[0] if text.splitlines() else ""


# ---------------------------------------------------------------------------- hashing
@functools.lru_cache(maxsize=1)
def _hasher() -> object:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; the password cannot be read back)."""
    return str(_hasher().hash(check_password(password)))  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password: unknown names are verified against it, so that they take
    as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(24))


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))  # type: ignore[attr-defined]
    except (VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------------------- managing accounts
def add_account(store: ProjectStore, name: str, role: str, password: str, *,
                actor: str) -> Account:
    """Add an account. Anyone may add the project's first account, which must be an owner;
    after that only an owner adds accounts."""
    name, role = check_name(name), check_role(role)
    check_password(password)
    first = not store.accounts.exist()
    if first and role != "owner":
        raise ParameterError(f"the first account must be an owner. Got role {role!r} instead.",
                             remedy="add-owner")
    digest = hash_password(password)
    with store.unit(actor, "accounts") as uow:
        store.accounts.add(uow, name, role, digest)
    log.info("account %s added (%s)", name, role)
    return store.accounts.get(name)  # type: ignore[return-value]


def remove_account(store: ProjectStore, name: str, *, actor: str) -> None:
    """Remove an account (its sessions end; its work stays). The last owner stays."""
    with store.unit(actor, "accounts") as uow:
        if store.accounts.role_of(uow.session, name) == "owner" and store.accounts.owners(uow.session) <= 1:
            raise AccessError("the project's last owner cannot be removed",
                              hint="Make another account an owner first.")
        store.accounts.remove(uow, name)


def set_password(store: ProjectStore, name: str, password: str, *, actor: str) -> None:
    """Change ``name``'s password: an owner may change anyone's, everyone their own. The
    account's open sessions end."""
    digest = hash_password(password)
    own = name_key(str(actor or "").strip()) == name_key(name.strip())
    with store.unit(actor, "own password" if own else "accounts") as uow:
        store.accounts.set_password(uow, name, digest)


def set_role(store: ProjectStore, name: str, role: str, *, actor: str) -> str:
    """Change ``name``'s role; returns the old one. The last owner keeps theirs."""
    role = check_role(role)
    with store.unit(actor, "accounts") as uow:
        if (store.accounts.role_of(uow.session, name) == "owner" and role != "owner"
                and store.accounts.owners(uow.session) <= 1):
            raise AccessError("the project's last owner must stay an owner",
                              hint="Make another account an owner first.")
        return store.accounts.set_role(uow, name, role)


def accounts(store: ProjectStore) -> list[Account]:
    """Every account of the project (names and roles; never a hash)."""
    return store.accounts.list()


def require_export(store: ProjectStore, actor: str | None, *, identifying: bool,
                   what: str = "export") -> None:
    """Check that ``actor`` may export: a viewer only pseudonymised outputs (``identifying``
    False); in a project without accounts, anyone anything."""
    permission = access.EXPORT_IDENTIFYING if identifying else access.EXPORT
    store.accounts.require(actor, permission, what)


# ---------------------------------------------------------------------------- signing in
def _wait_left(store: ProjectStore, key: str) -> float:
    failures, last = store.accounts.failures(key, _now() - FAILURE_MEMORY)
    if failures < FREE_FAILURES or last is None:
        return 0.0
    wait = min(timedelta(seconds=2 ** (failures - FREE_FAILURES)), MAX_WAIT)
    return max(0.0, (last + wait - _now()).total_seconds())


def _now() -> datetime:
    """Now in UTC without a zone, as the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def sign_in(store: ProjectStore, name: str, password: str, *,
            lifetime: timedelta = LIFETIME) -> SignedIn:
    """Check a name and password; a new session on success.

    Raises
    ------
    AccessError
        "wrong username or password" for an unknown name and a wrong password alike (same
        work: the password is verified against a hash either way), or a wait after repeated
        failures for that name.
    """
    text = unicodedata.normalize("NFC", str(name or "").strip())[:200]
    key = name_key(text)[:64]  # what the failures are counted under (a column of 64)
    wait = _wait_left(store, key)
    if wait > 0:
        raise AccessError(f"too many failed sign-ins for this name: wait {wait:.0f} s",
                          hint="Then try again.")
    stored = store.accounts.password_hash(text) if NAME_PATTERN.match(text) else None
    ok = _verify(stored or _dummy_hash(), str(password or "")[:MAX_PASSWORD * 4])
    if not (ok and stored):
        store.accounts.record_failure(key, _now() - FAILURE_MEMORY)
        log.info("failed sign-in")
        raise AccessError(WRONG)
    store.accounts.clear_failures(key)
    token = secrets.token_urlsafe(32)
    expires = _now() + lifetime
    account = store.accounts.open_session(text, _token_hash(token), expires)
    log.info("%s signed in", account.name)
    return SignedIn(token, account, expires)


def sign_in_verified(store: ProjectStore, name: str, *,
                     lifetime: timedelta = LIFETIME) -> SignedIn:
    """A new session for an identity a single sign-on provider has verified (the app's OIDC
    login): the account named ``name`` (its e-mail address), without a password.

    Raises AccessError when the project has no such account.
    """
    text = unicodedata.normalize("NFC", str(name or "").strip())[:200]
    if not text or store.accounts.get(text) is None:
        raise AccessError("this project has no account for your sign-in",
                          hint="Ask an owner to add an account named as your e-mail address.")
    token, expires = secrets.token_urlsafe(32), _now() + lifetime
    account = store.accounts.open_session(text, _token_hash(token), expires)
    log.info("%s signed in through single sign-on", account.name)
    return SignedIn(token, account, expires)


def session_account(store: ProjectStore, token: str | None, *,
                    idle: timedelta = IDLE) -> Account | None:
    """The account of a live session with its current role; None when the session ended
    (expired, idle, signed out, password changed, account removed) or never was."""
    if not token:
        return None
    return store.accounts.session_account(_token_hash(token), idle)


def sign_out(store: ProjectStore, token: str | None) -> None:
    """End a session."""
    if token:
        store.accounts.close_session(_token_hash(token))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def time_to_verify() -> float:
    """Seconds one password check takes here (for the documentation and benchmarks)."""
    start = time.perf_counter()
    _verify(_dummy_hash(), "not the password")
    return time.perf_counter() - start


__all__ = ["SignedIn", "accounts", "add_account", "check_name", "check_password", "hash_password",
           "read_password_file", "remove_account", "require_export", "session_account",
           "set_password", "set_role", "sign_in", "sign_in_verified", "sign_out"]
