"""The project root: which files a render may read.

As with Typst's ``--root``, a render reads only files inside one folder. By
default that is the current directory when the layout (or edition) lies
inside it, otherwise the layout's own folder. Every path a layout, edition,
style file or font list names is resolved (symlinks followed) and refused
when it lands outside the root; only regular files are opened, never FIFOs
or devices, so a read can neither leak nor hang. Error messages name the
path and the field, never a file's content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pagesetter.errors import PagesetterError

ROOT_ENV = "PAGESETTER_ROOT"  # like TYPST_ROOT: the --root of every command


def default_root(file: Path, cwd: Path | None = None) -> Path:
    """The current directory when ``file`` lies inside it, else ``file``'s own folder."""
    cwd = Path(cwd or os.getcwd()).resolve()
    target = Path(file).resolve()
    return cwd if target.is_relative_to(cwd) else target.parent


def project_root(file: Path, given: Path | None = None) -> Path:
    """The root for a render of ``file``: ``--root`` (or ``$PAGESETTER_ROOT``), else the default."""
    if given is None and os.environ.get(ROOT_ENV):
        given = Path(os.environ[ROOT_ENV])
    if given is None:
        return default_root(file)
    root = Path(given).resolve()
    if not root.is_dir():
        raise PagesetterError(f"the project root {str(given)!r} is not a directory", field="--root")
    return root


def _fail(where, message: str, file: str | None = None) -> PagesetterError:
    if where is not None:
        return where.error(message)
    return PagesetterError(message, file=file)


def inside(root: Path, text: str, base: Path, where=None, *, what: str = "file", directory: bool = False) -> Path:
    """``text`` (relative to ``base``) resolved, checked to lie inside ``root`` and to be a
    regular file (or, with ``directory``, a folder). ``where`` is the YAML node that named it."""
    if "\x00" in text:
        raise _fail(where, f"the {what} path holds a NUL character")
    path = (Path(base) / text).resolve()
    if not path.is_relative_to(root):
        raise _fail(where, f"the {what} {text!r} lies outside the project root {str(root)!r} "
                           "(pass --root to widen it)")
    if directory:
        if not path.is_dir():
            raise _fail(where, f"{what} {str(path)!r} not found")
        return path
    return regular_file(path, where, what=what)


def regular_file(path: Path, where=None, *, what: str = "file") -> Path:
    """``path`` when it is a regular file; FIFOs, devices and folders are refused unopened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise _fail(where, f"{what} {str(path)!r} not found", None if where else str(path)) from None
    except OSError as exc:
        raise _fail(where, f"cannot read {what} {str(path)!r}: {exc.strerror}", None if where else str(path)) from None
    if stat.S_ISDIR(mode):
        raise _fail(where, f"{what} {str(path)!r} is a folder, not a file", None if where else str(path))
    if not stat.S_ISREG(mode):
        raise _fail(where, f"{what} {str(path)!r} is not a regular file (a pipe or device?)",
                    None if where else str(path))
    return path


def read_bytes(path: Path, *, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of a regular file, opened so that a FIFO swapped in after the check cannot block."""
    path = regular_file(Path(path), what=what)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise PagesetterError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise PagesetterError(f"{what} is not a regular file", file=str(path))
        if limit is not None and st.st_size > limit:
            raise PagesetterError(f"{what} is {st.st_size / 2**20:.1f} MB; the limit is {limit / 2**20:g} MB",
                                  file=str(path))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError as exc:
        raise PagesetterError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None
    finally:
        os.close(fd)
