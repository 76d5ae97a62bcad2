"""Many employees at once: the team pot page in N sessions, over Streamlit's own websocket.

    .venv/bin/python benchmarks/bench_sessions.py                          # 1, 10, 40 sessions
    .venv/bin/python benchmarks/bench_sessions.py --sessions 1 10 40 40 --rounds 5
    .venv/bin/python benchmarks/bench_sessions.py --server-arg runner.postScriptGC=true
    .venv/bin/python benchmarks/bench_sessions.py --compare-dir /tmp/old --compare-label before
    .venv/bin/python benchmarks/bench_sessions.py --approve 2025-Q3 2025-Q4 2026-Q1 2026-Q2

Starts the dashboard in the team audience (``TEL_AUDIENCE=team``) on the 1,000-person roster
(``streamlit run app.py -- --plan ... --roster sample_data/roster_1000.csv --months ...``)
with a temporary ``TEL_DATA_DIR`` (no approval in force, unless ``--approve`` names quarters
to approve there first), and drives it with a plain websocket client, no browser, speaking
the browser's protocol (``BackMsg``/``ForwardMsg`` protobufs on ``/_stcore/stream``):

* page load: a ``rerun_script`` with ``page_name="pot"`` (what a browser opening ``/pot``
  sends), timed from the send to the ``script_finished`` of that run;
* widget change: what a browser sends after typing in "Hours written off": a ``rerun_script``
  on the page's hash (from the ``navigation`` message) with every number input's state (ids
  read from the page's deltas; the hours change every round) and, when the input is drawn in
  a fragment, that fragment's id (the browser reruns only the fragment then); timed the same
  way. The first changes (warm-up) check that the page's sentence follows the hours typed.

For each N in ``--sessions``: N websockets are opened, the pot is loaded in all of them at once,
then the hours are changed in all of them at once ``--rounds`` times; the table shows medians
and 90th percentiles over every session and round, in seconds. The server's RSS
(``/proc/<pid>/status`` VmRSS) is read before, with the N sessions open, 2 s after they close
(Streamlit keeps a closed session ``server.disconnectedSessionTTL`` seconds for a reconnect),
and once that time is over and the kept sessions are dropped (Streamlit drops expired ones
when it next keeps one: the script opens and closes one more websocket). ``--ttl`` sets that
time here (default 10 s, not Streamlit's 120 s; ``--ttl 0`` keeps the default and skips the
last reading). RSS is a high-water mark: memory Python frees is reused, seldom handed back to
the system. To see it reused, give an N twice (``--sessions 40 40``): the second wave should
add little.

Variants, each on its own server, all started first and run in turn for each N (a busy moment
on the machine lands on all of them): ``--app-dir`` (this checkout by default, ``--label``
names it) with its ``.streamlit/config.toml``; ``--compare-dir DIR`` the same on another
checkout (``--compare-label``), e.g. an export of the tree before a change; ``--server-arg
OPT=VAL`` (repeatable) the app dir with config options overridden on the command line. One
warm-up session per server (a load and two changes, unrecorded) fills the process-wide
caches first. Prints figures only: no assert on timing. The client runs on the same machine
and parses every message, so quote figures with the load average, which is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pot"  # pages/pot.py: the team's home
HOURS_LABEL = "Hours written off"
START_ARGS = ["--plan", "sample_data/plan.toml", "--roster", "sample_data/roster_1000.csv",
              "--months", "sample_data/months.csv"]
FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


# --------------------------------------------------------------------------------------------
# The server


@dataclass
class Server:
    label: str
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def approved_store(approve: list[str]) -> str:
    """A new data folder whose store holds the start files as one saved scenario, with
    ``approve`` (quarters) approved: the team pages then show those quarters as approved."""
    data_dir = tempfile.mkdtemp(prefix="tel-bench-data-")  # never a real store
    if approve:
        sys.path.insert(0, str(ROOT))
        from tel.io.loaders import read_scenario
        from tel.io.store import Store

        files = dict(zip(START_ARGS[::2], START_ARGS[1::2], strict=True))
        scenario = read_scenario(*(ROOT / files[f"--{k}"] for k in ("plan", "roster", "months")))
        with Store(Path(data_dir) / "tel.sqlite3") as store:
            version = store.create("Bench", scenario.unwrap())
            for quarter in approve:
                store.approve(version.id, quarter, "bench", "Bench")
    return data_dir


@contextmanager
def start_server(label: str, app_dir: Path, options: list[str], ttl: int,
                 data_dir: str) -> Iterator[Server]:
    """``streamlit run app.py`` in the team audience on a free port, waiting for its health
    check. ``options``: ``OPT=VAL`` config overrides."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false"]
    if ttl:
        cmd.append(f"--server.disconnectedSessionTTL={ttl}")
    cmd += [f"--{opt}" for opt in options]
    cmd += ["--", *START_ARGS]
    env = {**os.environ, "TEL_AUDIENCE": "team", "TEL_DATA_DIR": data_dir}
    log = Path(tempfile.gettempdir()) / f"bench-sessions-{label.replace('/', '_')}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=app_dir, stdout=out, stderr=subprocess.STDOUT, env=env)
        url = f"127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"http://{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.25)
            yield Server(label, url, proc, log)
        except BaseException:
            print(f"{label}: the server's log is {log}", file=sys.stderr)
            raise
        else:
            log.unlink(missing_ok=True)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


# --------------------------------------------------------------------------------------------
# One browser session, without the browser


@dataclass
class Session:
    ws: ClientConnection
    page_hash: str = ""
    number_inputs: dict[str, float] = field(default_factory=dict)  # widget id -> value
    hours_id: str = ""
    hours_fragment: str = ""  # the fragment the input is drawn in, if any: a browser says so
    errors: list[str] = field(default_factory=list)
    writeoff: str = ""  # the page's sentence on the hours typed: shows the change landed

    @classmethod
    async def open(cls, url: str) -> Session:
        ws = await connect(f"ws://{url}/_stcore/stream", subprotocols=["streamlit"],  # type: ignore[list-item]
                           max_size=None, open_timeout=120, ping_interval=None)
        return cls(ws)

    async def _run(self, state: ClientState) -> float:
        """Send one rerun request; seconds until that run's ``script_finished``."""
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "script_finished":
                if fwd.script_finished in FINISHED:
                    return time.perf_counter() - t0
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("the page did not compile")
            elif kind == "navigation":  # the page this run shows, as the browser keeps it
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_not_found":
                raise RuntimeError(f"page not found: {fwd.page_not_found.page_name}")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "exception":
                    self.errors.append(el.exception.message or el.exception.type)
                elif which == "markdown" and " hours written off at " in el.markdown.body:
                    self.writeoff = el.markdown.body
                elif which == "number_input":
                    ni = el.number_input
                    if ni.id not in self.number_inputs:
                        self.number_inputs[ni.id] = ni.default
                    if ni.label == HOURS_LABEL:
                        self.hours_id = ni.id
                        self.hours_fragment = fwd.delta.fragment_id

    async def load(self) -> float:
        """Open the page as a browser does at ``/pot``."""
        state = ClientState(page_name=PAGE, page_script_hash="", query_string="")
        return await self._run(state)

    async def change_hours(self, hours: float) -> float:
        """Type ``hours`` in "Hours written off": every number input's state is sent."""
        if not self.hours_id:
            raise RuntimeError(f"no {HOURS_LABEL!r} input on the page")
        self.number_inputs[self.hours_id] = hours
        state = ClientState(page_script_hash=self.page_hash, page_name="", query_string="",
                            fragment_id=self.hours_fragment)  # "" reruns the whole page
        for wid, value in self.number_inputs.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            w.double_value = value
        return await self._run(state)

    async def close(self) -> None:
        await self.ws.close()


# --------------------------------------------------------------------------------------------
# One step: N sessions


@dataclass
class Step:
    label: str
    sessions: int
    loads: list[float]
    changes: list[float]
    rss_before: float
    rss_open: float
    rss_closed: float
    rss_after: float | None
    errors: int


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile, nearest rank (a 90th percentile of 1 value is that value)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def warm_up(server: Server) -> str:
    """One session's load and two changes, checked; says how a change reruns the page."""
    s = await Session.open(server.url)
    await s.load()
    for hours in (11.5, 12.5):
        await s.change_hours(hours)
        if not s.writeoff.startswith(f"{hours} hours written off"):  # the rerun saw the input
            raise RuntimeError(f"{server.label}: the change did not land: {s.writeoff!r}")
    await s.close()
    if s.errors:
        raise RuntimeError(f"{server.label}: the page shows an exception: {s.errors[:3]}")
    return "its fragment" if s.hours_fragment else "the whole page"


async def step(server: Server, n: int, rounds: int, ttl: int) -> Step:
    rss_before = server.rss_mb()
    sessions = await asyncio.gather(*(Session.open(server.url) for _ in range(n)))
    loads = list(await asyncio.gather(*(s.load() for s in sessions)))
    changes: list[float] = []
    for r in range(rounds):
        hours = 20.0 + r * 0.5
        changes += await asyncio.gather(*(s.change_hours(hours) for s in sessions))
    rss_open = server.rss_mb()
    errors = sum(len(s.errors) for s in sessions)
    await asyncio.gather(*(s.close() for s in sessions))
    closed_at = time.monotonic()
    await asyncio.sleep(2)
    rss_closed = server.rss_mb()
    rss_after = None
    if ttl:
        await asyncio.sleep(max(0.0, closed_at + ttl + 1 - time.monotonic()))
        probe = await Session.open(server.url)  # storing it drops the expired sessions
        await probe.close()
        await asyncio.sleep(2)
        rss_after = server.rss_mb()
    return Step(server.label, n, loads, changes, rss_before, rss_open, rss_closed, rss_after,
                errors)


# --------------------------------------------------------------------------------------------
# The table


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


LABEL_WIDTH = 32
COLUMNS = ("N", "load median", "load p90", "change median", "change p90", "RSS MB before",
           "RSS MB open", "RSS MB closed", "RSS MB after", "errors")


def row(st: Step) -> str:
    after = "-" if st.rss_after is None else f"{st.rss_after:.0f}"
    cells = [str(st.sessions), f"{statistics.median(st.loads):.2f}", f"{pct(st.loads, 0.9):.2f}",
             f"{statistics.median(st.changes):.2f}", f"{pct(st.changes, 0.9):.2f}",
             f"{st.rss_before:.0f}", f"{st.rss_open:.0f}", f"{st.rss_closed:.0f}", after,
             str(st.errors)]
    return "| " + " | ".join([st.label.ljust(LABEL_WIDTH)] + [
        c.rjust(len(h)) for c, h in zip(cells, COLUMNS, strict=True)]) + " |"


def header() -> str:
    names = "| " + " | ".join(["variant".ljust(LABEL_WIDTH), *COLUMNS]) + " |"
    rule = "| " + " | ".join("-" * len(h) for h in ["variant".ljust(LABEL_WIDTH), *COLUMNS])
    return names + "\n" + rule + " |"


async def main_async(args: argparse.Namespace) -> None:
    variants: list[tuple[str, Path, list[str]]] = [(args.label, args.app_dir, [])]
    if args.compare_dir:
        variants.append((args.compare_label or str(args.compare_dir.name), args.compare_dir, []))
    if args.server_arg:
        variants.append((f"{args.label} {' '.join(args.server_arg)}", args.app_dir,
                         args.server_arg))
    steps: list[Step] = []
    data_dir = approved_store(args.approve)
    try:
        with _servers(variants, args.ttl, data_dir) as servers:
            for server in servers:
                print(f"{server.label}: a change of the hours reruns {await warm_up(server)}")
            print(f"servers up, warm; load average {load_average()}", flush=True)
            for n in args.sessions:
                for server in servers:
                    st = await step(server, n, args.rounds, args.ttl)
                    steps.append(st)
                    print(row(st) + f"   (load average {load_average()})", flush=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"\n{args.rounds} widget changes per session; times in seconds, from the request to"
          f" the run's script_finished; load average at the end {load_average()}\n")
    print(header())
    for st in steps:
        print(row(st))


@contextmanager
def _servers(variants: list[tuple[str, Path, list[str]]], ttl: int,
             data_dir: str) -> Iterator[list[Server]]:
    from contextlib import ExitStack

    with ExitStack() as stack:
        yield [stack.enter_context(start_server(label, path, opts, ttl, data_dir))
               for label, path, opts in variants]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 40])
    ap.add_argument("--rounds", type=int, default=5, help="widget changes per session")
    ap.add_argument("--app-dir", type=Path, default=ROOT)
    ap.add_argument("--label", default="current", help="the app dir's name in the table")
    ap.add_argument("--compare-dir", type=Path, default=None,
                    help="another checkout to run the same way (before/after a change)")
    ap.add_argument("--compare-label", default="", help="its name in the table")
    ap.add_argument("--server-arg", action="append", default=[], metavar="OPT=VAL",
                    help="a variant of this checkout with config overrides, e.g. "
                    "runner.postScriptGC=true (repeatable: one variant with all of them)")
    ap.add_argument("--ttl", type=int, default=10,
                    help="server.disconnectedSessionTTL for the servers (0: Streamlit's default,"
                    " and no reading after it)")
    ap.add_argument("--approve", nargs="*", default=[], metavar="QUARTER",
                    help="approve these quarters first (a store in a temporary data folder "
                    "shared by the servers), e.g. 2025-Q3 2025-Q4 2026-Q1 2026-Q2 2026-Q3")
    args = ap.parse_args()
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
