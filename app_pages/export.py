"""Export: waiting for the library's methods (they land on main)."""

import streamlit as st

st.title("Export")
st.info("This page arrives with the library's export methods.")
