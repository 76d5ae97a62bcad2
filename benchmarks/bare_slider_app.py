"""The yardstick for ``bench_latency.py``: a bare Streamlit page with one slider.

    .venv/bin/python -m streamlit run benchmarks/bare_slider_app.py

Nothing but a slider and ``st.write`` of its value, so "slider -> settled page" here is the
cost of Streamlit itself (websocket round trip, script run, render) on this machine.
"""

import streamlit as st

value = st.slider("Value", 0, 100, 50)
st.write(f"Value is {value}")
