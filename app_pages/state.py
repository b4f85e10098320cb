"""The one home of the app's session-state keys, query parameters and shared resources.

Reads go through :class:`CachedReads`, the project's
:class:`~thematic.services.reads.ProjectReads` with every read cached keyed on the project
file and its revision (``project.revision()``, the newest audit event id), so a rerun that
changed nothing reads nothing, and any change (by anyone, in any session) makes the next run
read afresh. :func:`project` gives each run a :class:`CachedProject` reading through them.
The big frames (codings, segments, the review queue, analyses) are kept with
``st.cache_resource`` (shared, never copied: 50k codings would take seconds to unpickle on
every rerun), so pages treat them as read-only; small results use ``st.cache_data``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from thematic import Project
from thematic.jobs import JobBoard
from thematic.models import Codebook, Settings
from thematic.projects_folder import ProjectsFolder
from thematic.services.reads import ProjectReads
from thematic.store import StoredDocument, StoredTurn

PROJECT_ENV = "THEMATIC_PROJECT"          # the project a session opens by default
PROJECTS_DIR_ENV = "THEMATIC_PROJECTS_DIR"  # the folder of projects the app lists and opens
URL_PROJECT, URL_CODER = "project", "coder"  # query parameters that keep them across reloads
DEFAULT_PROJECT = Path(__file__).resolve().parents[1] / "sample.thematic"

# --- keys of the Topics, Themes, Analysis and Export pages
TOPIC_SHOW = "tp_show"              # topics: which states of candidate to list
TOPIC_SEED = "tp_seed"              # topics: random_state of a run
TOPIC_MIN_SIZE = "tp_min_size"      # topics: smallest topic (0: scaled to the data)
TOPIC_PARENTS = "tp_parents"        # topics: how broader candidates are made (codebook, ward)
TOPIC_ACTION = "tp_act"             # topics: prefix of each card's widgets (tp_act-<id>-...)
THEME = "th_theme"                  # themes: the theme being read and edited
THEME_NEW = "th_new"                # themes: prefix of the "new theme" form's widgets
THEME_EDIT = "th_edit"              # themes: prefix of the edit form's widgets
THEME_QUOTE = "th_quote"            # themes: the extract picked as an exemplar quote
THEME_TAB = "th_tab"                # themes: the tab shown (kept after an action)
AN_ROWS = "an_rows"                 # analysis: codes or themes as rows
AN_BY = "an_by"                     # analysis: participant or an attribute as columns
AN_VALUE = "an_value"               # analysis: what a cell counts
AN_GRID = "an_grid"                 # analysis: the matrix table (its clicked cell)
AN_TAB = "an_tab"                   # analysis: the tab shown (only its analysis is computed)
AN_DRILL_ROW, AN_DRILL_COL = "an_drill_row", "an_drill_col"  # analysis: the cell drilled into
AN_COOC = "an_cooc"                 # analysis: co-occurrence method
AN_COOC_GRID = "an_cooc_grid"       # analysis: the co-occurrence table (its clicked cell)
FW_PARTICIPANT, FW_COLUMN = "fw_participant", "fw_column"  # framework: the cell being edited
FW_SUMMARY = "fw_summary"           # framework: prefix of the summary editor's widgets
AGREE_A, AGREE_B, AGREE_UNIT = "ag_a", "ag_b", "ag_unit"   # agreement: the pair and the unit
SAT_BASE, SAT_RUN = "sat_base", "sat_run"  # saturation: base size and run length (Guest et al.)
EXPORT_ITEM = "ex_item"             # export: the download chosen
EXPORT_PSEUDONYMISE = "ex_pseudo"   # export: replace names in quotes and transcripts
EXPORT_READY = "ex_ready"           # export: the prepared download (views.ExportResult)


def _method(project: Project, name: str) -> Any:
    """``project.<name>`` for a dotted name (``"analysis.matrix"``)."""
    target: Any = project
    for part in name.split("."):
        target = getattr(target, part)
    return target


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_read(path: str, revision: int, name: str, kwargs: tuple[tuple[str, Any], ...]) -> Any:
    # on the cached project: the read's own codings, segments... come from the shared caches
    return _method(CachedProject(open_project(path), path, revision), name)(**dict(kwargs))


def cached_call(project: CachedProject, name: str, /, **kwargs: Any) -> Any:
    """``project.<name>(**kwargs)`` (a read such as ``"topics.frame"``), cached on the project
    file and its revision."""
    return _cached_read(project._path, project.revision_read, name, tuple(sorted(kwargs.items())))

# --- session-state keys (one place; pages import these names, never spell the strings)
PROJECT_PATH = "project_path"    # a project opened or created on the Project page (overrides env)
CODER = "coder"                  # the person making decisions, chosen once per browser session
CODER_CHOICE = "coder_choice"    # the sidebar's coder picker
DOCUMENT = "doc"                 # transcript's document selectbox, bound to ?doc=
READER_PAGE = "page"             # transcript's page of turns, bound to ?page=
DOCUMENT_KINDS = "doc_kinds"     # documents page: which kinds of document to list
NOTICE = "notice"                # (level, text) left by a callback for the next run to show
SELECTION = "selection"          # the span chosen in the transcript (a views.Span) or None
SELECTION_NONCE = "selection_nonce"  # the newest component value already taken
SELECTOR = "selector"            # the selectable-transcript component's key
SEEK = "seek"                    # seconds into the recording a timestamp click asked for
LAST_CODE = "last_code"          # the code applied last ("apply last code")
PICKED_CODE = "picked_code"      # the transcript's code picker
QUOTE = "quote"                  # the transcript's "code a pasted quote" box
FILTER_CODES, FILTER_CODERS = "f_codes", "f_coders"
FILTER_STATUSES, FILTER_ENGINES = "f_statuses", "f_engines"
REVIEW_CODES, REVIEW_ENGINES, REVIEW_DOCS = "r_codes", "r_engines", "r_docs"
REVIEW_CONFIDENCE = "r_conf"
REVIEW_PAGE = "r_page"
REVIEW_INFORMATIVE = "r_informative"  # order the queue by the classifier
CODE_SELECTED = "cb_code"        # codebook: the code being edited
# --- reading, search and memos
READER_MODE = "rd_mode"          # transcripts: stripes | highlights | calm (views.READER_MODES)
SHOW_SUGGESTIONS = "rd_suggest"  # transcripts: draw and list the suggestions
CHOSEN_CODING = "rd_coding"      # transcripts: the coding chosen in the margin (its id) or None
SEARCH_TEXT, SEARCH_EXACT = "sr_text", "sr_exact"      # search: the words, exact forms only
SEARCH_WHERE = "sr_where"        # search and query: conditions (role=newcomer, ...)
SEARCH_RESULT = "sr_result"      # search and query: the last result (kind, text, frame)
QUERY_TEXT, QUERY_SUGGESTED = "sr_query", "sr_query_suggested"
SEARCH_CODE, SEARCH_EXTENT = "sr_code", "sr_extent"    # search: code the results with, and what
SET_CHOSEN = "sr_set"            # search: the saved set being looked at
MEMO_FILTER, MEMO_KINDS = "mm_filter", "mm_kinds"      # memos: text search, kinds of target
PARTICIPANTS_PART = "pp_part"    # participants: table | edit | pseudonyms
ATTRIBUTE_GRID = "pp_grid"       # participants: prefix of the attribute grid's key (per revision)
NEW_ATTRIBUTE, NEW_ATTRIBUTE_TYPE = "pp_new_attr", "pp_new_attr_type"
PSEUDONYM_GRID = "pp_pseudo"     # participants: prefix of the pseudonym grid's key (per revision)
CODEBOOK_TAB = "cb_tab"          # codebook: the tab shown (kept after an action)
RUN_ENGINES = "run_engines"      # run panel: the engines chosen
RUN_BACKEND = "run_backend"      # run panel: the embedding backend chosen
RUN_DISMISSED = "run_dismissed"  # run panel: the id of the run whose report was put away
RUN_OPEN = "run_open"            # run panel: whether its expander is open
RUN_TURN_VECTORS = "run_turn_vectors"  # run panel: how turns and their sentences get their vectors
RUN_FINETUNED = "run_finetuned"  # run panel: whether the run uses the fine-tuned encoder
REVIEW_CURSOR = "r_cursor"       # review: the suggestion shown first
REVIEW_BULK = "r_bulk"           # review: (status, coding ids) of a bulk decision to confirm
URL_TAKEN = "url_taken"          # the URL's project and coder were read (once per session)
#: What a session picked inside one project (dropped when it opens another): these keys, and
#: every key starting with one of the prefixes
PER_PROJECT_KEYS = (DOCUMENT, READER_PAGE, SELECTION, SELECTION_NONCE, SEEK, LAST_CODE, PICKED_CODE,
                    QUOTE, FILTER_CODES, FILTER_CODERS, FILTER_STATUSES, FILTER_ENGINES,
                    REVIEW_CODES, REVIEW_ENGINES, REVIEW_DOCS, REVIEW_PAGE, CODE_SELECTED, THEME,
                    THEME_QUOTE, AN_DRILL_ROW, AN_DRILL_COL, FW_PARTICIPANT, FW_COLUMN,
                    REVIEW_CURSOR, REVIEW_BULK, RUN_DISMISSED, CHOSEN_CODING, SEARCH_RESULT,
                    SEARCH_CODE, SET_CHOSEN)
PER_PROJECT_PREFIXES = (f"{EXPORT_READY}-", f"{TOPIC_ACTION}-", f"{THEME_EDIT}-")


def default_project() -> Path:
    """``$THEMATIC_PROJECT``, else ``sample.thematic``: what a session without a project in
    its URL opens."""
    return Path(os.environ.get(PROJECT_ENV) or DEFAULT_PROJECT).expanduser().resolve()


def projects_folder() -> ProjectsFolder:
    """The folder whose projects the Project page lists, creates and opens: ``$THEMATIC_PROJECTS_DIR``,
    else the default project's folder. The app opens no other file but the default project."""
    return ProjectsFolder(os.environ.get(PROJECTS_DIR_ENV) or default_project().parent)


def project_path() -> Path:
    """The project file of this session: the one opened on the Project page or named in the
    URL, else :func:`default_project`."""
    chosen = st.session_state.get(PROJECT_PATH)
    return Path(chosen) if chosen else default_project()


def use_project(path: Path) -> None:
    """Make ``path`` (checked by the caller: the projects folder's) this session's project;
    what the session had picked in the previous project (document, selection...) is dropped."""
    if st.session_state.get(PROJECT_PATH) != str(path):
        for key in list(st.session_state):
            if key in PER_PROJECT_KEYS or str(key).startswith(PER_PROJECT_PREFIXES):
                del st.session_state[key]
    st.session_state[PROJECT_PATH] = str(path)
    projects_folder().mark_opened(path)


def take_from_url() -> None:
    """On a session's first run (a reload, a new tab, a link), take the project and the coder
    from the URL (``?project=NAME&coder=NAME``); a name outside the projects folder is refused."""
    from thematic.errors import ThematicError
    from thematic.views import md

    if st.session_state.get(URL_TAKEN):
        return
    st.session_state[URL_TAKEN] = True
    name = st.query_params.get(URL_PROJECT)
    if name and not st.session_state.get(PROJECT_PATH):
        try:
            use_project(projects_folder().existing(name))
        except ThematicError as error:
            notify("error", f"Cannot open the project of the link: {md(error)}")
    who = str(st.query_params.get(URL_CODER) or "").strip()
    if who and not coder():
        set_coder(who)


def keep_in_url() -> None:
    """Write the session's project and coder into the URL, so that a reload or a copied link
    opens the same project as the same coder (page, document and page of turns are in the URL
    already: the page's path and its bound widgets)."""
    name = projects_folder().name_of(project_path())  # None for a default outside the folder
    for key, value in ((URL_PROJECT, name), (URL_CODER, coder() or None)):
        if value and st.query_params.get(key) != value:
            st.query_params[key] = value
        elif not value and key in st.query_params:
            del st.query_params[key]


def project_target() -> str:
    """What :func:`project` opens: a database URL as given (``$THEMATIC_PROJECT`` may be one,
    for a team server), else the project file's resolved path."""
    chosen = st.session_state.get(PROJECT_PATH) or os.environ.get(PROJECT_ENV)
    if chosen and "://" in str(chosen):
        return str(chosen)
    return str(project_path())


def project_fixed() -> bool:
    """Whether the app serves one project only (``$THEMATIC_PROJECT`` is a database URL: a
    team server), so that no page opens or creates another one on the server's disk."""
    return "://" in os.environ.get(PROJECT_ENV, "")


def project_label() -> str:
    """The project for messages: a URL with its password hidden."""
    from thematic.store.database import mask_url

    return mask_url(project_target())


@st.cache_resource(show_spinner="Opening the project…")
def open_project(path: str) -> Project:
    """One Project (it holds an engine, never a session) per project file, for all sessions."""
    return Project.open(path)


# --- cached reads, keyed on (path, revision, arguments)
def _reads(path: str) -> ProjectReads:
    return open_project(path).reads


@st.cache_resource(max_entries=32, show_spinner=False)
def _codings(path: str, revision: int, status: str | None, document: int | str | None,
             evidence: bool = True) -> pd.DataFrame:
    return _reads(path).codings(status=status, document=document, evidence=evidence)


@st.cache_data(max_entries=8, show_spinner=False)
def _codebook(path: str, revision: int) -> Codebook:
    return _reads(path).codebook()


@st.cache_data(max_entries=8, show_spinner=False)
def _documents(path: str, revision: int) -> pd.DataFrame:
    return _reads(path).documents()


@st.cache_resource(max_entries=64, show_spinner=False)
def _document(path: str, revision: int, ref: int | str) -> StoredDocument:
    return _reads(path).document(ref)


@st.cache_resource(max_entries=64, show_spinner=False)
def _turns(path: str, revision: int, ref: int | str) -> list[StoredTurn]:
    return _reads(path).turns(ref)


@st.cache_resource(max_entries=8, show_spinner=False)
def _segments(path: str, revision: int, unit: str | None) -> pd.DataFrame:
    return _reads(path).segments(unit)


@st.cache_data(max_entries=16, show_spinner=False)
def _decisions(path: str, revision: int, coder: str | None) -> pd.DataFrame:
    return _reads(path).decisions(coder=coder)


REORDER_EVERY = 10  # decisions between two trainings of the classifier that orders the queue


def order_pending(project: CachedProject) -> bool:
    """True while the review order of the project's revision is not learned yet (it is being
    learned in the background, or is about to be)."""
    from thematic.services.background import order_key

    key = order_key(project.store)
    job = jobs().get(key)
    now = job.state() if job is not None else None
    if now is not None and now.running:
        return True
    bucket = _order_bucket(project._path, project.revision_read)
    if bucket == 0 or (now is not None and now.tag == bucket):  # ended (done, or failed)
        return False
    return True


def _order_bucket(path: str, revision: int) -> int:
    counts = _simple(path, revision, "status").get("codings", {})
    return (int(counts.get("accepted", 0)) + int(counts.get("rejected", 0))) // REORDER_EVERY


def _review_order(path: str, revision: int, start: bool = False) -> tuple[int, ...]:
    """The classifier's order of the queue, retrained every :data:`REORDER_EVERY` decisions
    in the background (``services.background.review_order``; ``start``: start that work when
    the order is not the current one): never computed on a page's first paint; until it is
    ready the queue goes by confidence (or the previous order)."""
    from thematic.services.background import review_order

    bucket = _order_bucket(path, revision)  # 0: under 10 decisions, nothing to learn from yet
    if bucket == 0:
        return ()
    found = review_order(jobs(), open_project(path).store, bucket=bucket, start=start)
    return tuple(found[1]) if found else ()


@st.cache_resource(max_entries=32, show_spinner=False)
def _codings_for(path: str, revision: int, coder: str, document: int | None,
                 status: str | None = None) -> pd.DataFrame:
    from thematic.views import as_seen_by

    mode = _simple(path, revision, "settings").review_mode
    # the queue needs no evidence but of the cards drawn (``reads.coding_evidence``)
    codings = _codings(path, revision, status, document, status != "suggested")
    if mode != "independent":
        return codings
    return as_seen_by(codings, _decisions(path, revision, coder), coder, mode)


@st.cache_resource(max_entries=16, show_spinner=False)
def _review_queue(path: str, revision: int, filters: Any, coder: str,
                  order: tuple[int, ...]) -> pd.DataFrame:
    from thematic.views import review_queue

    return review_queue(_codings_for(path, revision, coder, None, "suggested"),
                        _codebook(path, revision),
                        filters=filters, order=list(order) or None)


@st.cache_data(max_entries=8, show_spinner=False)
def _simple(path: str, revision: int, method: str) -> Any:
    """A read without arguments (name, status, settings, participants, ...)."""
    return getattr(_reads(path), method)()


class CachedReads(ProjectReads):
    """The reads of a project file, cached on the revision read when the run started."""

    def __init__(self, project: Project, path: str, revision: int | None = None) -> None:
        super().__init__(project.store)
        self._path = path
        self.revision_read = project.revision() if revision is None else revision

    def _simple(self, method: str) -> Any:
        return _simple(self._path, self.revision_read, method)

    def revision(self) -> int:
        return self.revision_read

    def name(self) -> str:
        return str(self._simple("name"))

    def settings(self) -> Settings:
        return self._simple("settings")  # type: ignore[no-any-return]

    def status(self) -> dict[str, Any]:
        return dict(self._simple("status"))

    def coders(self) -> list[str]:
        return list(self._simple("coders"))

    def participants(self) -> pd.DataFrame:
        return self._simple("participants")  # type: ignore[no-any-return]

    def attribute_types(self) -> dict[str, str]:
        return dict(self._simple("attribute_types"))

    def themes(self) -> pd.DataFrame:
        return self._simple("themes")  # type: ignore[no-any-return]

    def theme_codes(self) -> pd.DataFrame:
        return self._simple("theme_codes")  # type: ignore[no-any-return]

    def theme_quotes(self) -> pd.DataFrame:
        return self._simple("theme_quotes")  # type: ignore[no-any-return]

    def framework_summaries(self) -> pd.DataFrame:
        return self._simple("framework_summaries")  # type: ignore[no-any-return]

    def codings(self, *, status: str | None = None,
                document: int | str | None = None, evidence: bool = True) -> pd.DataFrame:
        return _codings(self._path, self.revision_read, status, document, evidence)

    def decisions(self, *, coder: str | None = None) -> pd.DataFrame:
        return _decisions(self._path, self.revision_read, coder)

    def codebook(self) -> Codebook:
        return _codebook(self._path, self.revision_read)

    def documents(self) -> pd.DataFrame:
        return _documents(self._path, self.revision_read)

    def document(self, ref: int | str) -> StoredDocument:
        return _document(self._path, self.revision_read, ref)

    def turns(self, document: int | str) -> list[StoredTurn]:
        return _turns(self._path, self.revision_read, document)

    def segments(self, unit: str | None = None) -> pd.DataFrame:
        return _segments(self._path, self.revision_read, unit)


class CachedProject(Project):
    """The shared :class:`~thematic.Project` of a file reading through :class:`CachedReads`;
    its changes (``review.accept``, ``codebook.merge_codes``, ...) are Project's own."""

    def __init__(self, project: Project, path: str, revision: int | None = None) -> None:
        reads = CachedReads(project, path, revision)
        super().__init__(project.store, reads)
        self._path = path
        self.revision_read = reads.revision_read

    def codings_for(self, coder: str, *, document: int | None = None,
                    status: str | None = None) -> pd.DataFrame:
        """The codings as ``coder`` sees them (in independent review: only their decisions);
        ``status="suggested"`` reads only the suggestions (every one still open in independent
        review), which is all the review queue needs."""
        return _codings_for(self._path, self.revision_read, coder, document, status)

    def review_queue_view(self, filters: Any, coder: str, *,
                          informative: bool = True) -> pd.DataFrame:
        """The review queue (``views.review_queue``) ``coder`` sees, cached on the revision and
        the order; ``informative``: the classifier's most informative suggestions first, once
        its order is ready (it is computed in the background)."""
        order = _review_order(self._path, self.revision_read) if informative else ()
        return _review_queue(self._path, self.revision_read, filters, coder, order)

    def review_order(self) -> list[int] | None:
        """Coding ids most informative first (the classifier's order), when it is ready."""
        return list(_review_order(self._path, self.revision_read)) or None

    def learn_review_order(self) -> None:
        """Start learning the review order of this revision in the background, unless it is
        learned or being learned (a page calls this once it is drawn)."""
        _review_order(self._path, self.revision_read, start=True)


@st.cache_resource(max_entries=32, show_spinner="Computing…")
def _analysis(path: str, revision: int, method: str, items: tuple[tuple[str, Any], ...]) -> Any:
    # on the cached project: every analysis reads the one codings frame of the revision
    cached = CachedProject(open_project(path), path, revision)
    return getattr(cached.analysis, method)(**dict(items))


def analysis(project: CachedProject, method: str, **kwargs: Any) -> Any:
    """``project.analysis.<method>(**kwargs)`` (pure over the project's frames), cached on
    the revision, so that moving between views or reruns never computes it twice."""
    return _analysis(project._path, project.revision_read, method, tuple(sorted(kwargs.items())))


def project() -> CachedProject:
    """The open project of this session, its reads cached on its revision."""
    path = project_target()
    return CachedProject(open_project(path), path)


# --- who is coding: the one place that knows (sign-in may replace these functions)
def coder() -> str:
    """The coder chosen for this browser session ("" if none yet)."""
    return str(st.session_state.get(CODER) or "").strip()


def set_coder(name: str) -> None:
    """Make ``name`` this session's coder ("" forgets it)."""
    st.session_state[CODER] = str(name or "").strip()


def _picked_coder() -> None:
    set_coder(str(st.session_state.get(CODER_CHOICE) or ""))


def coder_sidebar(project: Project) -> None:
    """The sidebar's "who is coding" picker, or the coder and a Switch button."""
    from thematic.views import esc

    name = coder()
    if name:
        st.html(f'<div data-testid="th-coder">Coding as <b>{esc(name)}</b></div>')
        st.button("Switch coder", icon=":material/person:", on_click=set_coder, args=("",),
                  key="switch_coder")
    else:
        st.selectbox("Who is coding?", project.coders.names(), index=None, key=CODER_CHOICE,
                     accept_new_options=True, placeholder="pick or type your name",
                     on_change=_picked_coder,
                     help="Chosen once for this browser session; recorded with every decision.")


def notify(level: str, text: str, *, where: str = "") -> None:
    """Leave a message for the next run (callbacks run before the page is drawn).

    ``text`` is Markdown: pass project data through ``views.md`` first. ``where`` names the
    control it is about: ``show_notice(where)`` beside that control shows it there (the
    page's top ``show_notice()`` shows only the messages of no control).
    """
    st.session_state[NOTICE] = (level, text, where)


def show_notice(where: str = "", container: Any = None) -> None:
    """Show, once, the message a callback left for ``where`` (in ``container``, when given)."""
    notice = st.session_state.get(NOTICE)
    if not notice or (notice[2] if len(notice) > 2 else "") != where:
        return
    del st.session_state[NOTICE]
    level, text = notice[0], notice[1]
    if text:
        box = container if container is not None else st
        {"error": box.error, "success": box.success, "warning": box.warning}.get(level, box.info)(text)


def act(action: Any, *args: Any, done: str = "", where: str = "", **kwargs: Any) -> Any:
    """Run one library action in a callback: its error (a ThematicError) becomes a notice
    (shown beside the control ``where``, when given)."""
    from thematic.errors import ThematicError

    try:
        result = action(*args, **kwargs)
    except ThematicError as error:
        from thematic.views import md

        notify("error", md(error), where=where)
        return None
    if done:
        notify("success", done, where=where)
    return result


@st.cache_resource
def jobs() -> JobBoard:
    """The server's background jobs (suggestion runs), shared by every session."""
    return JobBoard()
