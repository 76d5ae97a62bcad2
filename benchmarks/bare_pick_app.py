"""The yardstick for ``bench_latency.py``'s quarter and filter cases: a bare Streamlit page
with the same kinds of input, a sidebar select box and a multiselect.

    .venv/bin/python -m streamlit run benchmarks/bare_pick_app.py

Picking from a list costs Streamlit more than a slider's arrow key (the list closes, the
choice is sent, the box redraws): on the 2-CPU development VM ~45 ms against ~25 ms. A
page's quarter switch is compared with this page's, and with the bare slider as well.
"""

import streamlit as st

with st.sidebar:
    quarter = st.selectbox("Quarter", ["2026-Q3", "2026-Q2"])
st.write(f"Quarter is {quarter}")
chosen = st.multiselect("Department", ["Projects", "Service Desk", "Sales"],
                        placeholder="All departments")
st.caption(f"Showing {', '.join(chosen)}" if chosen else "All departments")
