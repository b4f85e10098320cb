"""What the app shows: pure functions over the :class:`~thematic.Project` API.

The Streamlit pages (``app_pages/``) only lay out what these functions return: DataFrames,
frozen dataclasses and HTML strings in which every piece of project text is escaped. Every
decision on data (which documents are interviews, which codings are in view, how overlapping
codings split a turn, how a timestamp reads) is made here, where it is tested without a browser.

Examples
--------
>>> format_time(3725.4)
'1:02:05'
>>> html_ = highlight_html("a <b> c", [Highlight(2, 5, 1, "x", "X", "accepted", "#ffcc00")])
>>> html_.startswith('a <mark class="th-mark th-accepted" data-codings="1" title="X (accepted)"')
True
>>> "&lt;b&gt;</mark>" in html_ and "<b>" not in html_
True
"""

# The views are split by job; import them from here.
from thematic.views.analysis_view import *  # noqa: F403
from thematic.views.cards import *  # noqa: F403
from thematic.views.code_editor import *  # noqa: F403
from thematic.views.codebook_view import *  # noqa: F403
from thematic.views.coding import *  # noqa: F403
from thematic.views.common import *  # noqa: F403
from thematic.views.filters import *  # noqa: F403
from thematic.views.language_view import *  # noqa: F403
from thematic.views.memos_view import *  # noqa: F403
from thematic.views.reader import *  # noqa: F403
from thematic.views.review_view import *  # noqa: F403
from thematic.views.run_view import *  # noqa: F403
from thematic.views.search_view import *  # noqa: F403
from thematic.views.shell import *  # noqa: F403
from thematic.views.tables import *  # noqa: F403
