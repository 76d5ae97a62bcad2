"""Saved scenarios: save the working scenario, reopen any version, delete and restore,
export and import."""

import pandas as pd
import streamlit as st

from tel.io.store import MAX_IMPORT_BYTES, ImportRefused, StoreError
from tel.ui import meeting, state
from tel.ui import store as saved
from tel.ui.bootstrap import bootstrap
from tel.ui.state import url_params
from tel.ui.text import md

work = bootstrap("saved")
store = saved.store_or_stop()

st.title("Saved scenarios")
st.caption(f"Kept in `{store.path}`. Every save is a new version: nothing is ever "
           "overwritten, and a deleted scenario can be restored with all its versions.")
if notice := st.session_state.pop(saved.NOTICE_KEY, None):
    st.success(notice, icon=":material/check_circle:")

scenarios = store.list_scenarios()
names = {s.id: s.name for s in scenarios}

# --- save -------------------------------------------------------------------------------
def _save() -> None:
    """Save button callback (runs before the page, so the form can be emptied after)."""
    ss = st.session_state
    target = ss.get("saved.target")
    try:
        w = state.current()  # the people what-if is saved beside the loaded roster
        v = saved.save_working(store, w, name=ss.get("saved.name", ""),
                               note=ss.get("saved.note", ""), into=target)
    except StoreError as exc:
        ss["saved.problem"] = f"Not saved: {md(str(exc), 300)}."
        return
    shown = names[target] if target else " ".join(ss.get("saved.name", "").split())
    ss[saved.NOTICE_KEY] = f"Saved {md(shown)} version {v.number}."
    ss["saved.name"], ss["saved.note"] = "", ""


with st.container(border=True):
    st.markdown("**Save the working scenario**")
    changed = {k: v for k, v in url_params(state.Work(
        work.source, work.whatif.without_people())).items() if k != "q"}
    st.caption(f"Data: {work.source.label}" + (
        f" · with {len(changed)} what-if setting(s) applied (plan knobs and GP figures are "
        "saved as they are now)" if changed else " · no what-if applied"))
    c1, c2, c3 = st.columns([2, 2, 3])
    target = c1.selectbox("Save as", [None, *names], key="saved.target",
                          format_func=lambda sid: "a new scenario" if sid is None
                          else f"a new version of {names[sid]}")
    c2.text_input("Name", key="saved.name", max_chars=200, disabled=target is not None,
                  placeholder="e.g. FY26 plan, house 30%")
    c3.text_input("Note", key="saved.note", max_chars=500, placeholder="What changed and why")
    if not work.whatif.people.empty:
        st.warning(f"The people what-if ({work.whatif.people.summary()}) is saved with the "
                   "version, beside the loaded roster, and reopens with it. A version with "
                   "hypothetical people cannot be approved and never reaches a payroll file.",
                   icon=":material/person_off:")
    st.button("Save", type="primary", icon=":material/save:", key="saved.save", on_click=_save)
    if problem := st.session_state.pop("saved.problem", None):
        st.error(problem)

# --- the list -----------------------------------------------------------------------------
st.subheader("Scenarios")
if not scenarios:
    st.info("Nothing saved yet.", icon=":material/history:")
else:
    st.dataframe(
        pd.DataFrame({
            "Scenario": [s.name for s in scenarios],
            "Versions": [s.version_count for s in scenarios],
            "Last saved": [saved.when(s.updated_at) for s in scenarios],
            "Created": [saved.when(s.created_at) for s in scenarios],
        }),
        hide_index=True, height=min(400, 38 + 35 * len(scenarios)),
    )
    sid = st.selectbox("Scenario", list(names), key="saved.pick",
                       format_func=lambda i: names[i])
    versions = store.versions(sid)
    st.dataframe(
        pd.DataFrame({
            "Version": [v.number for v in versions],
            "Saved": [saved.when(v.created_at) for v in versions],
            "Note": [v.note for v in versions],
            "Origin": [v.origin or "saved here" for v in versions],
            "Checksum": [v.sha256[:12] for v in versions],
        }),
        hide_index=True, height=min(360, 38 + 35 * len(versions)),
        column_config={"Note": st.column_config.TextColumn(width="large")},
    )
    by_number = {v.number: v for v in versions}
    o1, o2, o3 = st.columns(3)
    with o1, st.container(border=True):
        number = st.selectbox("Version", list(by_number)[::-1], key=f"saved.version.{sid}",
                              format_func=lambda n: f"version {n}")
        if st.button("Open as working data", icon=":material/open_in_new:",
                     key="saved.open"):
            try:
                opened = saved.open_version(store, by_number[number].id)
                st.session_state[saved.NOTICE_KEY] = (
                    f"Now working on {md(opened)}: every page shows it.")
                st.rerun()
            except StoreError as exc:
                st.error(md(str(exc), 300))
    with o2, st.container(border=True):
        st.markdown("**Export**")
        if meeting.is_on():  # the file holds the roster: names and salaries
            st.caption("The download holds the roster: hidden in meeting view.")
        else:
            st.download_button(
                "Download all versions (JSON)", data=lambda: store.export_json(sid),
                file_name=f"tel-scenario-{saved.slug(names[sid])}.json",
                mime="application/json", icon=":material/download:", key="saved.export",
                on_click="ignore")
    with o3, st.container(border=True):
        sure = st.checkbox(f"Yes, delete {md(names[sid])}", key=f"saved.sure.{sid}",
                           help="It can be restored below, with all its versions.")
        if st.button("Delete", disabled=not sure, icon=":material/delete:",
                     key="saved.delete"):
            try:
                store.delete(sid)
            except StoreError as exc:  # e.g. a read-only store
                st.error(f"Not deleted: {md(str(exc), 300)}.")
            else:
                st.session_state[saved.NOTICE_KEY] = (
                    f"Deleted {md(names[sid])}. Restore it under *Deleted scenarios*.")
                st.rerun()

deleted = [s for s in store.list_scenarios(include_deleted=True) if s.deleted]
with st.expander(f"Deleted scenarios ({len(deleted)})", icon=":material/restore_from_trash:"):
    if not deleted:
        st.caption("None.")
    for s in deleted:
        d1, d2 = st.columns([4, 1], vertical_alignment="center")
        d1.text(f"{s.name} — {s.version_count} version(s), last saved "
                f"{saved.when(s.updated_at)}")
        if d2.button("Restore", key=f"saved.restore.{s.id}", icon=":material/undo:"):
            try:
                store.restore(s.id)
            except StoreError as exc:  # e.g. a read-only store
                st.error(f"Not restored: {md(str(exc), 300)}.")
                continue
            now = store.get(s.id).name  # renamed "… (2)" if a live scenario took its name
            st.session_state[saved.NOTICE_KEY] = f"Restored {md(s.name)}" + (
                f" as {md(now)}: another scenario is called {md(s.name)} now." if now != s.name
                else ".")
            st.rerun()

# --- import -----------------------------------------------------------------------------
st.subheader("Import a scenario")
upload = st.file_uploader("Scenario file (JSON, as exported above)", type=["json"],
                          key="saved.import", max_upload_size=MAX_IMPORT_BYTES // 2**20)
if st.button("Import", disabled=upload is None, icon=":material/upload:", key="saved.do_import"):
    try:
        made = store.import_json(upload.getvalue())
        st.session_state[saved.NOTICE_KEY] = (
            f"Imported {md(made.name)}: {len(made.versions)} version(s)." + "".join(
                f" Note: {md(w, 200)}." for w in made.warnings))
        st.rerun()
    except ImportRefused as exc:
        st.error("The file was not imported:\n\n" + "\n".join(
            f"- {md(p, 300)}" for p in exc.problems))
    except StoreError as exc:
        st.error(f"The file was not imported: {md(str(exc), 300)}")
