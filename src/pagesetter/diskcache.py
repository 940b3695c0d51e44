"""pagesetter's own cache folder: derived data kept between runs, keyed by content.

Fonts' facts, converted font programs, word breaks and parsed
articles live here; any entry can be deleted at any time and is built again.
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
