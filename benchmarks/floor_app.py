"""A floor for ``bench_floor.py``: the home page's quarter switch with nothing computed.

    FLOOR=live .venv/bin/python -m streamlit run benchmarks/floor_app.py

Both quarters' results and the home page's two figures are built once, at start; a quarter
switch only shows them: a title, one metric and the two charts, drawn by ``FLOOR``:
``plotly`` (``st.plotly_chart``, a new chart each time), ``live`` (``tel.ui.live_chart``,
updated in place) or ``none`` (no chart). What is left is Streamlit's and the browser's
cost of showing them, which no work on the server can remove.
"""

import os
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tel.core.money import format_money  # noqa: E402
from tel.core.periods import Quarter  # noqa: E402
from tel.engine.quarter import compute_scenario  # noqa: E402
from tel.io.loaders import read_scenario  # noqa: E402
from tel.render import figures  # noqa: E402
from tel.ui import live_chart  # noqa: E402

FLOOR = os.environ.get("FLOOR", "live")
SAMPLE = ROOT / "sample_data"


@st.cache_resource
def prebuilt() -> dict[str, tuple[int, object, object]]:
    s = read_scenario(SAMPLE / "plan.toml", SAMPLE / "roster_1000.csv",
                      SAMPLE / "months.csv").unwrap()
    out = {}
    for label in ("2026-Q2", "2026-Q3"):
        q = Quarter.parse(label)
        r = compute_scenario(s, q)
        months = [f"{y:04d}-{m:02d}" for y, m in q.months(s.plan.fiscal_year_start)]
        out[label] = (r.gp_total, figures.gp_vs_threshold(r, months=months, netting="quarter"),
                      figures.waterfall(r, netting="quarter"))
    return out


with st.sidebar:
    quarter = st.selectbox("Quarter", ["2026-Q3", "2026-Q2"])
gp, gp_chart, waterfall = prebuilt()[quarter]
st.title("This quarter")
st.metric("Quarter GP", format_money(gp))
if FLOOR == "plotly":
    st.plotly_chart(gp_chart, key="gp", theme=None)
    st.plotly_chart(waterfall, key="waterfall", theme=None)
elif FLOOR == "live":
    live_chart.show(gp_chart, "gp")
    live_chart.show(waterfall, "waterfall")
