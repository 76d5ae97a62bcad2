"""The only Streamlit glue inside tel/: bootstrap, session state, shared widgets."""
