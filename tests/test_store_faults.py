"""The store when its file or folder is not what it should be: damaged, read-only, or a
mistyped ``TEL_DATA_DIR``. Always one plain message naming the place; never a traceback, and
never a file overwritten or recreated (nothing saved is lost)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from apptest_support import sample_scenario

import tel.io.store
from tel.io.store import (
    DB_FILENAME,
    Store,
    StoreDamaged,
    StoreError,
    StoreReadOnly,
    checked_data_dir,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled(folder: Path, count: int = 30) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    scenario = sample_scenario()
    with Store(folder) as store:
        for i in range(count):
            store.create(f"plan {i}", scenario, "a note")
    return folder / DB_FILENAME


def damage(path: Path) -> None:
    """Overwrite bytes in the middle of the file, as a bad disk or a bad copy would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(bytes(range(256)) * 16)


# --------------------------------------------------------------------------- damaged


def test_a_damaged_store_is_reported_as_damaged_with_its_path_and_left_untouched(
    tmp_path: Path,
) -> None:
    path = filled(tmp_path / "data")
    damage(path)
    before = digest(path)
    with pytest.raises(StoreDamaged) as caught:
        Store(path.parent)
    message = str(caught.value)
    assert str(path) in message
    assert "damaged" in message and "left untouched" in message
    assert digest(path) == before  # not repaired, overwritten or recreated
    assert sorted(p.name for p in path.parent.iterdir()) == [DB_FILENAME]


def test_a_file_that_is_not_a_database_at_all_is_damaged_too(tmp_path: Path) -> None:
    path = tmp_path / DB_FILENAME
    path.write_bytes(b"these are not the pages you are looking for\n" * 200)
    before = digest(path)
    with pytest.raises(StoreDamaged):
        Store(tmp_path)
    assert digest(path) == before


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    target = f"{path.as_uri()}?mode=ro" if read_only else str(path)
    db = sqlite3.connect(target, uri=read_only, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    return db


def test_damage_met_after_opening_is_the_same_plain_message(tmp_path: Path) -> None:
    path = filled(tmp_path / "good")
    damaged = filled(tmp_path / "bad")
    damage(damaged)
    with Store(path.parent) as store:
        store._db.close()  # as if the disk went bad under an open store
        store._db = connect(damaged)
        with pytest.raises(StoreDamaged) as caught:
            for info in store.list_scenarios():
                store.load(info.id)
        assert str(path) in str(caught.value) and "left untouched" in str(caught.value)


# --------------------------------------------------------------------------- read-only


def test_a_read_only_store_can_be_read_and_a_save_is_refused_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = filled(tmp_path, count=2)
    before = digest(path)
    # what os.access says for a chmod 444 file (root may write anywhere, so say it here)
    monkeypatch.setattr(tel.io.store, "_writable", lambda p: False)
    with Store(tmp_path) as store:
        assert store.read_only
        names = [s.name for s in store.list_scenarios()]
        assert sorted(names) == ["plan 0", "plan 1"]
        assert store.load(store.list_scenarios()[0].id) == sample_scenario()
        with pytest.raises(StoreReadOnly) as caught:
            store.create("another", sample_scenario())
    assert str(caught.value).startswith(f"the store at {path} is read-only: ")
    assert digest(path) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anyway")
def test_a_chmod_444_store_reads_and_refuses_saves(tmp_path: Path) -> None:
    path = filled(tmp_path, count=1)
    path.chmod(0o444)
    try:
        with Store(tmp_path) as store:
            assert len(store.list_scenarios()) == 1
            with pytest.raises(StoreReadOnly, match="read-only"):
                store.create("another", sample_scenario())
    finally:
        path.chmod(0o644)


def test_a_write_the_database_refuses_is_reported_as_read_only(tmp_path: Path) -> None:
    path = filled(tmp_path, count=1)
    with Store(tmp_path) as store:
        # SQLite itself refusing the write, whatever the permissions said at opening
        store._db.close()
        store._db = connect(path, read_only=True)
        with pytest.raises(StoreReadOnly, match=f"the store at {path} is read-only"):
            store.create("another", sample_scenario())


# --------------------------------------------------------------------------- TEL_DATA_DIR


def test_a_mistyped_tel_data_dir_is_refused_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wanted = tmp_path / "tel-dat" / "store"
    monkeypatch.setenv("TEL_DATA_DIR", str(wanted))
    for opening in (checked_data_dir, Store):
        with pytest.raises(StoreError) as caught:
            opening()
        assert f"TEL_DATA_DIR is {wanted}" in str(caught.value)
        assert "does not exist" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_tel_data_dir_naming_a_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("x")
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path / "notes.txt"))
    with pytest.raises(StoreError, match="not a folder"):
        checked_data_dir()


def test_an_existing_tel_data_dir_is_used_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEL_DATA_DIR", str(tmp_path))
    assert checked_data_dir() == tmp_path
    with Store() as store:
        assert store.path == tmp_path / DB_FILENAME


def test_the_default_folder_may_still_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEL_DATA_DIR", raising=False)
    monkeypatch.setattr(tel.io.store.platformdirs, "user_data_dir",
                        lambda name: str(tmp_path / "home" / ".local" / "share" / name))
    with Store() as store:
        assert store.path.parent.is_dir()
