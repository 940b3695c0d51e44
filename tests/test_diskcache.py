"""The cache folder stays under its limit: the entries used longest ago go first."""

from __future__ import annotations

import os

from pagesetter import diskcache


def _entry(folder, name, size, used):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (used, used))
    return path


def test_prune_removes_the_least_recently_used_entries_down_to_80_percent(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PAGESETTER_CACHE_LIMIT_MB", "1")
    mb = 2**20
    old = _entry(tmp_path, "article-old.pickle", mb // 2, 1000)
    older = _entry(tmp_path, "figures/older.pdfops", mb // 4, 500)
    new = _entry(tmp_path, "font-new.marshal", mb // 2, 3000)
    diskcache.prune(now=10_000)
    assert not older.exists() and not old.exists() and new.exists()


def test_prune_leaves_a_folder_under_its_limit_and_looks_at_most_once_an_hour(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("PAGESETTER_CACHE_LIMIT_MB", "1")
    small = _entry(tmp_path, "words-2.json", 1000, 5000)
    diskcache.prune(now=10_000)
    assert small.exists()
    big = _entry(tmp_path, "subset-x.marshal", 2 * 2**20, 2000)
    diskcache.prune(now=10_000 + 60)  # looked over a minute ago: not again yet
    assert big.exists()
    diskcache.prune(now=10_000 + diskcache.PRUNE_EVERY + 1)
    assert not big.exists() and small.exists()


def test_prune_with_a_bad_limit_warns_in_one_line_and_trims_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAGESETTER_CACHE_DIR", str(tmp_path))
    _entry(tmp_path, "a", 10, 1)
    for bad in ("lots", "0", "-5", "nan"):
        monkeypatch.setenv("PAGESETTER_CACHE_LIMIT_MB", bad)
        diskcache.prune(now=10_000)
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "PAGESETTER_CACHE_LIMIT_MB" in err and repr(bad) in err
        assert (tmp_path / "a").exists()
