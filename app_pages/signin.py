"""Sign-in for a project with accounts: the gate every page passes, and the sidebar's account.

Once the project has an account (``thematic user add``), :func:`gate` runs before anything of
the project is drawn: a visitor who is not signed in gets only the sign-in form (no project
name, no counts, no text). A signed-in session is a token kept in this browser session's
state; the library checks it on every run (it ends when idle for an hour, twelve hours after
sign-in, when the password changes or the account is removed), and the person coding is
the signed-in account, with the role it has now. A project without accounts opens as before.

Single sign-on (optional): with an ``[auth]`` section in ``.streamlit/secrets.toml`` (see
``deploy/README.md``), a "Sign in with your institution" button uses Streamlit's OIDC login;
the account whose name is the e-mail address the identity provider returns is signed in.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages import state
from thematic.errors import AccessError
from thematic.views import esc, md

TOKEN = "signin_token"      # the session token of the signed-in account
FORM = "signin_form"        # the sign-in form's key


def gate(project: Any) -> Any:
    """The signed-in account (None: the project has no accounts, single-user); draws the
    sign-in form and stops the run when nobody is signed in."""
    if not project.accounts.list():
        return None
    account = project.accounts.session(st.session_state.get(TOKEN))
    if account is None:
        st.session_state.pop(TOKEN, None)
        st.session_state[state.CODER] = ""
        _form(project)
        st.stop()
    st.session_state[state.CODER] = account.name
    return account


def _form(project: Any) -> None:
    st.title("Sign in")
    st.caption("This project is shared by a team: sign in with your account.")
    with st.form(FORM, clear_on_submit=True):
        name = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            signed = project.accounts.sign_in(name, password)
        except AccessError as error:
            st.error(md(error))
        else:
            st.session_state[TOKEN] = signed.token
            st.rerun()
    _single_sign_on(project)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file: no single sign-on
        return False


def _single_sign_on(project: Any) -> None:
    """Streamlit's OIDC login, when configured: the account named by the verified e-mail."""
    if not _oidc_configured():
        return
    user = st.user
    if not user.is_logged_in:
        st.button("Sign in with your institution", on_click=st.login)
        return
    try:
        signed = project.accounts.sign_in_verified(str(user.get("email") or ""))
    except AccessError as error:
        st.error(md(error))
        st.button("Sign out of your institution", on_click=st.logout)
        return
    st.session_state[TOKEN] = signed.token
    st.rerun()


def _sign_out(project: Any) -> None:
    project.accounts.sign_out(st.session_state.pop(TOKEN, None))
    st.session_state[state.CODER] = ""


def sidebar(project: Any, account: Any) -> bool:
    """The signed-in account and a sign-out button in the sidebar; False when the project
    has no accounts (the caller then shows its coder picker)."""
    if account is None:
        return False
    st.html(f'<div data-testid="th-coder">Signed in as <b>{esc(account.name)}</b> '
            f'({esc(account.role)})</div>')
    st.button("Sign out", icon=":material/logout:", on_click=_sign_out, args=(project,),
              key="sign_out")
    return True
