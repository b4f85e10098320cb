"""The one home of the app's session-state keys, query parameters and shared resources."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from thematic import Project, views

PROJECT_ENV = "THEMATIC_PROJECT"
DEFAULT_PROJECT = Path(__file__).resolve().parents[1] / "sample.thematic"

CODER = "coder"              # sidebar text input: the person making decisions
DOCUMENT = "doc"             # reader's document selectbox, bound to the ?doc= query parameter
READER_PAGE = "page"         # reader's page of turns, bound to the ?page= query parameter
DOCUMENT_KINDS = "doc_kinds" # documents page: which kinds of document to list
NOTICE = "notice"            # (level, text) left by a callback for the next run to show


def project_path() -> Path:
    """The project file the app opens: ``$THEMATIC_PROJECT`` or ``sample.thematic``."""
    return Path(os.environ.get(PROJECT_ENV) or DEFAULT_PROJECT).expanduser().resolve()


@st.cache_resource(show_spinner="Opening the project…")
def open_project(path: str) -> Project:
    """One Project (it holds an engine, never a session) per project file, for all sessions."""
    return Project.open(path)


def project() -> Project:
    """The open project of this app."""
    return open_project(str(project_path()))


def coder() -> str:
    """The coder name typed in the sidebar ("" if none)."""
    return str(st.session_state.get(CODER) or "").strip()


def notify(level: str, text: str) -> None:
    """Leave a message for the next run (callbacks run before the page is drawn)."""
    st.session_state[NOTICE] = (level, text)


def show_notice() -> None:
    """Show, once, the message a callback left."""
    level, text = st.session_state.pop(NOTICE, (None, None))
    if text:
        {"error": st.error, "success": st.success}.get(level, st.info)(views.plain(text))
