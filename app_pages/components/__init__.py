"""Small Streamlit components of our own (static HTML/JS, no build step)."""
