"""Topics: waiting for the library's methods (they land on main)."""

import streamlit as st

st.title("Topics")
st.info("This page arrives with the library's topics methods.")
