"""Plotly figures that update in place.

``st.plotly_chart`` gives each chart an identity that includes its figure, so a changed
figure is a new chart: the browser throws the old one away and draws the new one from
scratch (``Plotly.newPlot``), about twice the work of updating it (``Plotly.react``), on
every slider step. This component keeps one identity per key and hands the new figure to
``Plotly.react``. Plotly.js itself is the copy the ``plotly`` package ships, served by
Streamlit's component file route and loaded once per browser tab.

A chart is marked ``data-drawing`` until plotly has drawn its latest figure (the browser
tests and ``benchmarks/bench_latency.py`` wait for it).

Everything a chart shows is in the figure the page built: pages filter who may see what
before they build it, so nothing here knows about audiences.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
import streamlit as st
from streamlit.components.v1 import declare_component
from streamlit.runtime import Runtime

NAME = "tel_chart"
KEY_PREFIX = "telchart-"
PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"  # holds the plotly.min.js it ships
PLOTLY_JS_URL = f"component/{__name__}.plotlyjs/plotly.min.js"  # relative to the page

_JS = """
// One plotly.js per tab. A failed load is forgotten, so the next chart asks again.
function plotlyLoaded(url) {
  if (!window.__telPlotly) {
    window.__telPlotly = new Promise((resolve, reject) => {
      if (window.Plotly) { resolve(window.Plotly); return; }
      const s = document.createElement("script");
      s.src = new URL(url, document.baseURI).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { s.remove(); window.__telPlotly = null; reject(new Error(url)); };
      document.head.appendChild(s);
    });
  }
  return window.__telPlotly;
}

export default function (component) {
  const { data, parentElement } = component;
  const div = parentElement.querySelector("div.tel-chart");  // from _HTML
  const fig = JSON.parse(data.figure);
  div.setAttribute("aria-label", data.alt);
  div.style.minHeight = ((fig.layout && fig.layout.height) || 450) + "px";
  // data-drawing: set until plotly has drawn this figure (tests and benchmarks wait on it)
  const turn = (div.telTurn = (div.telTurn || 0) + 1);
  div.setAttribute("data-drawing", "true");
  const done = () => { if (div.telTurn === turn) div.removeAttribute("data-drawing"); };
  plotlyLoaded(data.src)
    .then((Plotly) => {
      div.querySelector(".tel-chart-failed")?.remove();
      if (!div.telWidth) {  // follow the column's width (the sidebar opens and closes)
        div.telWidth = div.clientWidth;
        new ResizeObserver(() => {
          if (div.clientWidth && div.clientWidth !== div.telWidth && div._fullLayout) {
            div.telWidth = div.clientWidth;
            Plotly.Plots.resize(div);
          }
        }).observe(div);
      }
      return Plotly.react(div, fig.data, fig.layout, data.config);
    })
    .then(done, (err) => {
      done();
      if (!div.querySelector(".tel-chart-failed")) {
        const p = document.createElement("p");
        p.className = "tel-chart-failed";
        p.textContent = "This chart could not be drawn (plotly.js did not load). "
          + "Change any setting or reload the page to try again.";
        div.appendChild(p);
      }
      console.error("tel chart:", err);
    });
}
"""

# Present from the moment the element mounts, before the script has run: a page is not
# settled while a chart is still to be drawn.
_HTML = '<div class="tel-chart" data-testid="telChart" role="figure" data-drawing="true"></div>'

_CSS = """
div.tel-chart { width: 100%; }
"""


@functools.cache
def _mount() -> Any:
    """The component, registered on first use (inside a script run: at import time there is
    no runtime to register it on). Not style-isolated: plotly puts its styles in the page."""
    return st.components.v2.component(NAME, html=_HTML, js=_JS, css=_CSS,
                                     isolate_styles=False)


def _serve_plotly_js() -> None:
    """Streamlit's component file route serves a declared component's folder: declaring
    plotly's package data as one makes plotly.min.js reachable at ``PLOTLY_JS_URL``. Once
    per server (AppTest starts one per test)."""
    registry = Runtime.instance().component_registry
    if registry.get_component_path(f"{__name__}.plotlyjs") is None:
        declare_component("plotlyjs", path=str(PLOTLY_DIR))


def show(fig: Any, key: str, config: dict[str, Any] | None = None) -> None:
    """Draw ``fig`` under ``key``; the same key on the next run updates it in place. The
    element's container carries the class ``st-key-{KEY_PREFIX}...``: a page is settled when
    each such container holds a drawn chart."""
    _serve_plotly_js()
    _mount()(key=KEY_PREFIX + key, data={
        "figure": pio.to_json(fig, validate=False),
        "config": {"displaylogo": False, "responsive": True, **(config or {})},
        "src": PLOTLY_JS_URL,
        "alt": alt_text(fig.layout.title.text),
    })


def alt_text(title: str | None) -> str:
    """A chart's title as a screen reader should say it: plotly's markup taken out.

    >>> alt_text('<span style="color:#444444">[As booked]</span> Payouts<br>by person')
    '[As booked] Payouts by person'
    """
    plain = re.sub(r"<br\s*/?>", " ", title or "", flags=re.IGNORECASE)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", plain)).split())

