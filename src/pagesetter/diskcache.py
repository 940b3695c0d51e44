"""pagesetter's own cache folder: derived data kept between runs, keyed by content.

Fonts' facts, converted font programs, word breaks, parsed articles and
parsed YAML live here; any entry can be deleted at any time and is built again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    root = os.environ.get("PAGESETTER_CACHE_DIR")
    if root:
        path = Path(root)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "pagesetter"
    try:
        path.mkdir(parents=True, exist_ok=True)
        return path if os.access(path, os.W_OK) else None
    except OSError:
        return None


def store(entry: Path, data: bytes) -> None:
    """Put ``data`` in the cache as ``entry``, whole or not at all (a temporary file renamed
    into place); a cache that cannot be written is no error, just no cache this time."""
    try:
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=f".{entry.stem[:20]}-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, entry)
    except OSError:
        pass


def memo(kind: str, parts: tuple[str, ...], build, accept=None):
    """``build()``'s result, kept pickled in the cache folder by ``kind`` and the digest of ``parts``
    (what it depends on: a code stamp, a text); built again when the entry is missing or damaged,
    or when ``accept`` refuses what it holds."""
    import hashlib
    import pickle

    folder = cache_dir()
    if folder is None:
        return build()
    key = hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    entry = folder / f"{kind}-{key}.pickle"
    try:
        value = pickle.loads(entry.read_bytes())  # our own cache folder
        if accept is None or accept(value):
            return value
    except Exception:
        pass  # missing or damaged: built again
    value = build()
    try:
        store(entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass
    return value


def code_stamp(files, packages=()) -> str:
    """What derived data depends on besides its input: our ``files`` and the installed
    ``packages`` (found, not imported), by path, size and time."""
    from importlib.util import find_spec
    files = list(files)
    for package in packages:
        spec = find_spec(package)
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    stamp = []
    for f in files:
        try:
            st = os.stat(f)
            stamp.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamp.append(f"{f}:?")
    return "|".join(stamp)


def read_index(name: str) -> dict:
    """A small table kept in the cache folder as ``name``; {} when there is none (or it is broken).
    Kept with marshal, which is built in: reading one costs a run no parser's import."""
    import marshal

    folder = cache_dir()
    if folder is None:
        return {}
    try:
        data = marshal.loads((folder / name).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_index(name: str, data: dict) -> None:
    """``data``: strings, numbers, and lists or tuples of them."""
    import marshal

    folder = cache_dir()
    if folder is not None:
        store(folder / name, marshal.dumps(data))

LIMIT_MB = 500      # default size of the folder, PAGESETTER_CACHE_LIMIT_MB to change it
PRUNE_EVERY = 3600  # seconds: the folder is looked over at most this often


def _limit() -> float | None:
    """The folder's limit in bytes; None (and a one-line warning) for a setting that is not a
    positive number of megabytes, which trims nothing rather than everything."""
    import math
    import sys

    text = os.environ.get("PAGESETTER_CACHE_LIMIT_MB", str(LIMIT_MB))
    try:
        mb = float(text)
    except ValueError:
        mb = math.nan
    if not (math.isfinite(mb) and mb > 0):
        sys.stderr.write(f"warning: PAGESETTER_CACHE_LIMIT_MB={text!r} is not a positive number of megabytes; "
                         "the cache folder is not trimmed\n")
        return None
    return mb * 2**20


def prune(now: float | None = None) -> None:
    """Keep the folder under its limit: at most once an hour, when it has grown past the limit,
    the entries used longest ago (by access or write time) go until it is down to 80% of it.
    Every entry can be built again, so losing one costs time, never a result."""
    import time

    folder = cache_dir()
    if folder is None:
        return
    now = time.time() if now is None else now
    stamp = folder / ".pruned"
    try:
        if now - stamp.stat().st_mtime < PRUNE_EVERY:
            return
    except OSError:
        pass
    limit = _limit()
    if limit is None:
        return
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        return
    entries = []
    for base, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            if name != ".pruned":
                entries.append((max(st.st_atime, st.st_mtime), st.st_size, path))
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    for _, size, path in sorted(entries):
        if total <= 0.8 * limit:
            break
        try:
            os.unlink(path)
            total -= size
        except OSError:
            pass
