"""History: every change to the project, newest first (when, who, what, whether undone), and
one person's changes."""

import streamlit as st

from app_pages import state

project = state.project()
st.title("History")
person = st.selectbox("Person", project.coders.names(), index=None, placeholder="everyone",
                      help="Only this person's changes (an account or a coder's name).")
frame = project.review.history(limit=500, by=person)
st.caption(f"{len(frame)} change{'s' if len(frame) != 1 else ''}"
           + (" by this person" if person else "") + ", newest first (at most 500).")
st.dataframe(frame.drop(columns=["txn", "undo_of"]), hide_index=True,
             column_config={"at": st.column_config.DatetimeColumn("when", format="YYYY-MM-DD HH:mm:ss"),
                            "actor": "who", "action": "what", "changes": "rows changed"})
